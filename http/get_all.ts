/**
 * The handler factory of `GET /{collection}`.
 *
 * @module
 */

import type { DesktopObject } from "../objects/mod.ts";
import type { DocumentItem } from "../representors/mod.ts";
import type { CollectionOptions } from "./collection_options.ts";
import {
  checkAcceptable,
  documentItem,
  documentResponse,
  runTimeDocument,
} from "./_document_response.ts";
import { parsePage, parseSort } from "./query_params.ts";
import type { Handler } from "./router.ts";

/**
 * Creates the handler that lists the objects the caller may view, sorted by `sort`/`sort_attr` and
 * paginated by `begin`/`end`, with the `getAll` actions. The response streams from the store, so a
 * large collection never sits in memory. Invalid query parameters are a 400.
 *
 * @example
 * ```ts
 * import { getAll, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().get("/properties", getAll(options));
 * const response = await router.fetch(new Request("http://localhost/properties", { headers: { accept: "application/json" } }));
 * assert.deepEqual(await response.json(), []);
 * await database.close();
 * ```
 */
export function getAll(options: CollectionOptions): Handler {
  return async (request, context) => {
    checkAcceptable(request);
    const params = context.url.searchParams;
    const sort = parseSort(params);
    const page = parsePage(params);

    const objects = options.database.getAll(options.collection, context.permissions, {
      sort,
      begin: page.begin,
      ...(page.end === undefined ? {} : { end: page.end }),
    })[Symbol.asyncIterator]();
    // Reading the first object before responding turns a database outage into an error status
    // rather than a 200 whose body breaks off.
    const first = await objects.next();
    const items = streamItems(first, objects, options, context.permissions);

    return documentResponse(
      request,
      context,
      runTimeDocument(request, context, options, items, options.links?.getAll),
    );
  };
}

async function* streamItems(
  first: IteratorResult<DesktopObject>,
  rest: AsyncIterator<DesktopObject>,
  options: CollectionOptions,
  caller: Parameters<typeof documentItem>[2],
): AsyncGenerator<DocumentItem> {
  let next = first;
  try {
    while (!next.done) {
      yield documentItem(next.value, options, caller);
      next = await rest.next();
    }
  } finally {
    if (!next.done) {
      await rest.return?.();
    }
  }
}
