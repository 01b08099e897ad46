import {
  completeObjectTree,
  type HeaObject,
  type Permission,
  type PermissionContext,
} from "../objects/mod.ts";
import {
  type ActionLink,
  type DocumentItem,
  negotiateRepresentor,
  REPRESENTORS,
  type RunTimeAction,
  type RunTimeDocument,
} from "../representors/mod.ts";
import { getLogger } from "@logtape/logtape";
import type { CollectionOptions } from "./collection_options.ts";
import { isObjectId } from "../db/mod.ts";
import { HttpError } from "./http_error.ts";
import type { RequestContext } from "./request_context.ts";
import { NO_CACHE_HEADERS } from "./responses.ts";

const logger = getLogger(["hea", "http"]);
const FLUSH_BYTES = 16 * 1024;

/**
 * Returns the caller's permissions on an object and on each of its attributes. The attribute
 * permissions are computed when a representor first reads them, because Collection+JSON reads them
 * only for the form of a single item, so a listing would compute them for every item in vain.
 */
export function documentItem(
  object: HeaObject,
  options: CollectionOptions,
  caller: PermissionContext,
): DocumentItem {
  const type = options.registry.get(object.type) ?? options.type;
  completeObjectTree(object, type, options.registry);
  const permissions = caller.getPermissions(object, type);
  let attributePermissions: Record<string, Permission[]> | undefined;

  return {
    object,
    permissions,
    get attributePermissions(): Record<string, Permission[]> {
      attributePermissions ??= caller.getAllAttributePermissions(object, type, permissions);
      return attributePermissions;
    },
  };
}

/** Builds a run-time document from a handler's items and actions. */
export function runTimeDocument(
  request: Request,
  context: RequestContext,
  options: CollectionOptions,
  items: Iterable<DocumentItem> | AsyncIterable<DocumentItem>,
  links: readonly ActionLink[] | undefined,
  includeData = true,
): RunTimeDocument {
  return {
    // The request as the client addressed it, so the document's links share one base URL.
    href: `${context.baseUrl}${context.url.pathname}${context.url.search}`,
    actions: attachActions(options, links, context.baseUrl),
    items,
    parameters: context.params,
    headers: templateHeaders(request.headers),
    registry: options.registry,
    caller: context.permissions,
    includeData,
    ...(options.actions?.title === undefined ? {} : { title: options.actions.title }),
  };
}

/** Headers that carry credentials, which must never be expanded into a link of a response. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "oidc_access_token",
]);

/** Returns the request headers that URI templates may use: all but those carrying credentials. */
function templateHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (!CREDENTIAL_HEADERS.has(name)) {
      result[name] = value;
    }
  }

  return result;
}

/** Attaches the actions of `links` to a document, or none when the collection has no actions. */
export function attachActions(
  options: CollectionOptions,
  links: readonly ActionLink[] | undefined,
  baseUrl: string,
): RunTimeAction[] {
  if (!links || links.length === 0) {
    return [];
  }
  if (!options.actions) {
    throw new TypeError(
      `Collection ${options.collection} attaches actions but has no action set; pass actions`,
    );
  }

  return options.actions.attach(links, baseUrl);
}

/**
 * Renders a document in the media type that `Accept` requests, streaming the body. Throws a 406
 * before anything is read when nothing acceptable is available.
 */
export function documentResponse(
  request: Request,
  context: RequestContext,
  document: RunTimeDocument,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  const representor = negotiateRepresentor(request.headers.get("accept"));
  if (!representor) {
    throw notAcceptableError();
  }

  const chunks = representor.render(document);
  const encoder = new TextEncoder();
  // A client that disconnects, or a HEAD request, cancels the stream while a pull may be under way.
  // The pull then fails, but the request itself did not.
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let buffered = "";
        while (buffered.length < FLUSH_BYTES) {
          const next = await chunks.next();
          if (next.done) {
            if (buffered) {
              controller.enqueue(encoder.encode(buffered));
            }
            controller.close();
            return;
          }
          buffered += next.value;
        }
        controller.enqueue(encoder.encode(buffered));
      } catch (error) {
        if (cancelled) {
          return;
        }
        logger.error("Request {requestId} failed while streaming its response: {error}", {
          requestId: context.requestId,
          error,
        });
        controller.error(error);
      }
    },
    async cancel() {
      cancelled = true;
      await chunks.return(undefined);
    },
  });

  return new Response(body, {
    status: init.status ?? 200,
    headers: { "content-type": representor.mediaType, ...NO_CACHE_HEADERS, ...init.headers },
  });
}

/** Ensures that a representor exists for `Accept` before a handler does any work. */
export function checkAcceptable(request: Request): void {
  if (!negotiateRepresentor(request.headers.get("accept"))) {
    throw notAcceptableError();
  }
}

function notAcceptableError(): HttpError {
  const available = REPRESENTORS.map((representor) => representor.mediaType).join(", ");
  return new HttpError(
    406,
    `None of the media types in Accept is available; accept one of ${available}`,
  );
}

/** Returns the message for an object the caller cannot see or that does not exist. */
export function notFoundError(options: CollectionOptions, id: string): HttpError {
  // Anything but an id the store could have issued is quoted and escaped, so control characters
  // from the URL reach neither a client nor a log unescaped.
  const printableId = isObjectId(id) ? id : JSON.stringify(id);
  return new HttpError(404, `${options.type.displayName} ${printableId} not found`);
}
