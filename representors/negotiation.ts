/**
 * Content negotiation: the representor that an `Accept` header requests.
 *
 * @module
 */

import Negotiator from "negotiator";
import { COLLECTION_JSON_MEDIA_TYPE, renderCollectionJson } from "./collection_json.ts";
import type { RunTimeDocument } from "./document.ts";
import { NVP_JSON_MEDIA_TYPE, renderNvpJson } from "./nvp_json.ts";
import { renderWstl, WSTL_MEDIA_TYPE } from "./wstl_json.ts";

/** Turns a run-time document into a stream of text in one media type. */
export interface Representor {
  /** The media type the representor writes. */
  readonly mediaType: string;
  /** Streams the document. */
  render(document: RunTimeDocument): AsyncGenerator<string>;
}

/**
 * The representors, in the order in which a wildcard in `Accept` picks them: Collection+JSON, then
 * WeSTL, then name-value-pair JSON.
 *
 * @example
 * ```ts
 * import { REPRESENTORS } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(REPRESENTORS[0]?.mediaType, "application/vnd.collection+json");
 * ```
 */
export const REPRESENTORS: readonly Representor[] = Object.freeze([
  { mediaType: COLLECTION_JSON_MEDIA_TYPE, render: renderCollectionJson },
  { mediaType: WSTL_MEDIA_TYPE, render: renderWstl },
  { mediaType: NVP_JSON_MEDIA_TYPE, render: renderNvpJson },
]);

const MEDIA_TYPES = REPRESENTORS.map((representor) => representor.mediaType);

/**
 * Chooses the representor for an `Accept` header, honouring q-values and wildcards. A type named in
 * `Accept` wins over a wildcard of the same quality; named types of equal quality go by their order
 * in `Accept`, as in HEA's Python services; a wildcard picks Collection+JSON, then WeSTL, then
 * name-value-pair JSON. Media type parameters other than `q` (such as `charset`) are ignored. A
 * missing or empty header means Collection+JSON; `undefined` means nothing acceptable (a 406).
 *
 * @example
 * ```ts
 * import { negotiateRepresentor } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(negotiateRepresentor(null)?.mediaType, "application/vnd.collection+json");
 * assert.equal(negotiateRepresentor("application/json; charset=utf-8")?.mediaType, "application/json");
 * assert.equal(
 *   negotiateRepresentor("application/json;q=0.5, application/vnd.wstl+json")?.mediaType,
 *   "application/vnd.wstl+json",
 * );
 * assert.equal(negotiateRepresentor("text/html"), undefined);
 * ```
 */
export function negotiateRepresentor(accept: string | null): Representor | undefined {
  if (accept === null || accept.trim() === "") {
    return REPRESENTORS[0];
  }

  const [best] = new Negotiator({ headers: { accept: withQualityOnly(accept) } }).mediaTypes(
    MEDIA_TYPES,
  );

  return REPRESENTORS.find((representor) => representor.mediaType === best);
}

/** Drops every media type parameter but `q`, because negotiator requires parameters to match. */
function withQualityOnly(accept: string): string {
  return accept
    .toLowerCase()
    .split(",")
    .map((range) => {
      const [type, ...parameters] = range.split(";");
      const quality = parameters.map((parameter) => parameter.trim()).find((parameter) =>
        parameter.startsWith("q=")
      );
      return quality ? `${type?.trim()};${quality}` : (type?.trim() ?? "");
    })
    .join(", ");
}
