"""Runs the Python HEA registry (heaserver-registry) for the parity test.

scripts/start_python_registry.sh starts this file with the venv's Python and
the registry's own command-line options. It changes two things before it calls
the package's entry point, and neither changes what a response contains:

1. heaserver 1.72 calls aiohttp's run_app without a host, so it listens on
   every interface. This passes host=127.0.0.1.

2. heaserver filters reads and writes with document-form $elemMatch queries,
   such as {"shares": {"$elemMatch": {"$or": [...], "permissions": ...}}} for
   permissions and {"resources": {"$elemMatch": {...}}} for /bytype. FerretDB
   1.24 does not implement them: it rejects $or inside $elemMatch with
   NotImplemented and matches no document for field conditions. So every
   collection that heaserver's Mongo class opens is wrapped. A filter that
   contains $elemMatch goes to FerretDB without its $elemMatch conditions,
   which matches a superset of the documents. Each returned document is then
   matched against the whole original filter with mongoquery, the query
   evaluator that heaserver's own MockMongo test database uses. Skip and limit
   are applied after that match. Writes find their document the same way and
   then write by _id. That takes two commands, which is safe here because the
   parity test sends one request at a time.
"""

import functools
from typing import Any

import aiohttp.web
from mongoquery import Query

from heaserver.service.db import mongo as hea_mongo

ELEM_MATCH = "$elemMatch"
NO_DOCUMENT = {"_id": {"$in": []}}


def contains_elem_match(value: Any) -> bool:
    """Returns whether a filter or condition uses $elemMatch anywhere."""
    if isinstance(value, dict):
        return any(key == ELEM_MATCH or contains_elem_match(member) for key, member in value.items())
    if isinstance(value, (list, tuple)):
        return any(contains_elem_match(member) for member in value)
    return False


def relax(query: dict[str, Any]) -> dict[str, Any]:
    """Returns a filter without $elemMatch that matches every document the given filter matches.

    Conditions that use $elemMatch are dropped, and so is an $or or $nor with such a branch,
    because dropping a condition from a conjunction only widens it.
    """
    relaxed: dict[str, Any] = {}
    for key, condition in query.items():
        if key == "$and":
            branches = [relax(branch) for branch in condition]
            branches = [branch for branch in branches if branch]
            if branches:
                relaxed[key] = branches
        elif not contains_elem_match(condition):
            relaxed[key] = condition
    return relaxed


class PostFilteredCursor:
    """The cursor of a find whose filter FerretDB cannot run, for heaserver's use of it."""

    def __init__(self, collection: Any, query: dict[str, Any], args: tuple, kwargs: dict) -> None:
        self._collection = collection
        self._query = query
        self._args = args
        self._kwargs = kwargs
        self._sort: tuple | None = None
        self._skip = 0
        self._limit = 0

    def sort(self, *args: Any, **kwargs: Any) -> "PostFilteredCursor":
        self._sort = (args, kwargs)
        return self

    def skip(self, count: int) -> "PostFilteredCursor":
        self._skip = count
        return self

    def limit(self, count: int) -> "PostFilteredCursor":
        self._limit = count
        return self

    def __aiter__(self):
        return self._documents()

    async def _documents(self):
        cursor = self._collection.find(relax(self._query), *self._args, **self._kwargs)
        if self._sort is not None:
            cursor = cursor.sort(*self._sort[0], **self._sort[1])
        matcher = Query(self._query)
        skipped = 0
        returned = 0
        try:
            async for document in cursor:
                if not matcher.match(document):
                    continue
                if skipped < self._skip:
                    skipped += 1
                    continue
                if self._limit and returned >= self._limit:
                    break
                returned += 1
                yield document
        finally:
            await cursor.close()

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        documents = [document async for document in self]
        return documents if length is None else documents[:length]

    async def close(self) -> None:
        pass


class FerretDBCollection:
    """A Motor collection that runs filters with $elemMatch as the module docstring describes."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    def find(self, query: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        if query and contains_elem_match(query):
            return PostFilteredCursor(self._collection, query, args, kwargs)
        return self._collection.find(query, *args, **kwargs)

    async def find_one(self, query: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        if query and contains_elem_match(query):
            async for document in PostFilteredCursor(self._collection, query, args, kwargs):
                return document
            return None
        return await self._collection.find_one(query, *args, **kwargs)

    async def _by_id(self, query: dict[str, Any]) -> dict[str, Any]:
        """Returns a filter on the _id of the first document that the query matches."""
        document = await self.find_one(query)
        return {"_id": document["_id"]} if document is not None else NO_DOCUMENT

    async def replace_one(self, query: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if contains_elem_match(query):
            query = await self._by_id(query)
        return await self._collection.replace_one(query, *args, **kwargs)

    async def find_one_and_delete(self, query: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if contains_elem_match(query):
            query = await self._by_id(query)
        return await self._collection.find_one_and_delete(query, *args, **kwargs)

    async def find_one_and_replace(self, query: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if contains_elem_match(query):
            query = await self._by_id(query)
        return await self._collection.find_one_and_replace(query, *args, **kwargs)


def main() -> None:
    aiohttp.web.run_app = functools.partial(aiohttp.web.run_app, host="127.0.0.1")

    open_collection = hea_mongo.Mongo._get_collection

    def open_ferretdb_collection(self: Any, collection: str) -> FerretDBCollection:
        return FerretDBCollection(open_collection(self, collection))

    hea_mongo.Mongo._get_collection = open_ferretdb_collection

    # The registry's startup module configures logging before it imports the service, so it is
    # imported only now.
    from heaserver.registry.startup import main as start_registry

    start_registry()


if __name__ == "__main__":
    main()
