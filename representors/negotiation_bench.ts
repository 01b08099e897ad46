/**
 * Micro benchmarks of content negotiation, which runs twice per document request: once before the
 * handler reads the store and once when it renders. Run with
 * `deno bench representors/negotiation_bench.ts`.
 *
 * @module
 */

import { negotiateRepresentor } from "./negotiation.ts";

Deno.bench("negotiate: no Accept header", { group: "negotiation" }, () => {
  negotiateRepresentor(null);
});

Deno.bench("negotiate: application/vnd.collection+json", {
  group: "negotiation",
  baseline: true,
}, () => {
  negotiateRepresentor("application/vnd.collection+json");
});

Deno.bench("negotiate: q-values over three types", { group: "negotiation" }, () => {
  negotiateRepresentor(
    "application/json;q=0.5, application/vnd.wstl+json;q=0.9, application/vnd.collection+json",
  );
});

Deno.bench("negotiate: a browser's Accept header", { group: "negotiation" }, () => {
  negotiateRepresentor(
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
  );
});

Deno.bench("negotiate: nothing acceptable", { group: "negotiation" }, () => {
  negotiateRepresentor("text/html");
});
