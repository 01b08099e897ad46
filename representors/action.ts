/**
 * Design-time actions: what a client may do with the objects a document carries, declared once per
 * service and attached to handlers.
 *
 * @module
 */

import type { HeaObject, Permission } from "../objects/mod.ts";

/**
 * A target tag of an action, which decides where a representor shows it:
 *
 * - `cj`: shown in Collection+JSON at all;
 * - `item` / `list`: applies to each item, or to the whole list;
 * - `read` (with `item cj`): an item link; `href` (with `item cj`): the item's own href and rel;
 * - `app` (with `cj`, safe, no inputs): a document link;
 * - `cj-template`: the template (form); `add`: the template shows input defaults, not item values.
 */
export type TargetTag = "cj" | "item" | "list" | "read" | "href" | "app" | "cj-template" | "add";

/** A choice offered by a select input. */
export interface Suggestion {
  /** The value submitted when the choice is picked. */
  readonly value: unknown;
  /** The text shown for the choice. */
  readonly text: string;
}

/** The source of a select input's choices, relative to the gateway root. */
export interface OptionsFromUrl {
  /** The path of the choices' collection, a URI template over the item's attributes. */
  readonly path: string;
  /** The attribute of each choice that contains the value. */
  readonly value: string;
  /** The attribute of each choice that contains the text. */
  readonly text: string;
  /** The absolute URL template of the choices, set when the action is attached. */
  readonly href?: string;
}

/** One input of an action: a form field, a query parameter, or a template row. */
export interface ActionInput {
  /** The attribute or parameter name. */
  readonly name: string;
  /** The label shown for the input. Defaults to the name. */
  readonly prompt?: string;
  /** The default value. */
  readonly value?: unknown;
  /** Whether the client must not change the value. */
  readonly readOnly?: boolean;
  /** Whether the client must supply a value. */
  readonly required?: boolean;
  /** A regular expression the value must match. */
  readonly pattern?: string;
  /** The widget: `textarea`, `select`, or one of HEA's `url`, `datetime`, `object-url`... */
  readonly type?: string;
  /** Fixed choices for a select input. */
  readonly suggest?: readonly Suggestion[];
  /** The nested object or list of objects the input belongs to. */
  readonly section?: string;
  /** The label of the section, set on the section's first input. */
  readonly sectionPrompt?: string;
  /** Whether a select input takes one value or several. */
  readonly cardinality?: "single" | "multiple";
  /** Whether clients show the input. */
  readonly display?: boolean;
  /** A collection from which a select input loads its choices. */
  readonly optionsFromUrl?: OptionsFromUrl;
  /** Type names of the objects an `object-url` input may point at. */
  readonly objectUrlTargetTypesInclude?: readonly string[];
}

/** The input of an item-if predicate: the item and the caller's permissions on it. */
export interface ItemIfContext {
  /** The item's attributes. */
  readonly item: HeaObject;
  /** The caller's permissions on the item. */
  readonly permissions: readonly Permission[];
}

/** Decides whether an action applies to one item. */
export type ItemIf = (context: ItemIfContext) => boolean;

/** A design-time action. */
export interface Action {
  /** A unique name, by convention `<project>-<type>-<verb>`, such as `heaserver-registry-component-get-self`. */
  readonly name: string;
  /** `safe` for reads, `unsafe` for writes. */
  readonly type: "safe" | "unsafe";
  /** The effect of the action on the server's state: `read`, `append`, `replace`, `remove`... */
  readonly action?: string;
  /** The places where clients show the action. */
  readonly target: readonly TargetTag[];
  /** The link relations of the action. */
  readonly rel?: readonly string[];
  /** The label shown for the action. */
  readonly prompt?: string;
  /** A description for people. */
  readonly description?: string;
  /** The inputs of a form or query. */
  readonly inputs?: readonly ActionInput[];
  /** When set, the action applies only to items for which it returns true. */
  readonly itemIf?: ItemIf;
}

/** A design-time action attached to a handler, with the URL it points at. */
export interface RunTimeAction extends Action {
  /** The URL as a URI template over the item's attributes, route parameters and headers. */
  readonly href: string;
  /** The link relations at run time; they replace the design-time ones. */
  readonly rel: readonly string[];
  /** When set, the action applies only to items for which it returns true. */
  readonly itemIf?: ItemIf;
}

/** The attachment of a design-time action to a handler: which one, where it points, and when it applies. */
export interface ActionLink {
  /** The design-time action's name. */
  readonly name: string;
  /** The URL path relative to the service's base URL, a URI template; empty for the base URL. */
  readonly path?: string;
  /** The link relations, replacing the action's own. A string is split on whitespace. */
  readonly rel?: string | readonly string[];
  /** The base URL to resolve `path` against, instead of the service's. */
  readonly root?: string;
  /**
   * When set, the action applies only to items for which it holds, replacing the action's own
   * condition. A string is compiled with {@linkcode compileItemIf}.
   */
  readonly itemIf?: ItemIf | string;
}

/**
 * Returns whether an action carries a target tag.
 *
 * @example
 * ```ts
 * import { hasTarget } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const action = { name: "a", type: "safe", target: ["item", "read", "cj"] } as const;
 * assert.equal(hasTarget(action, "read"), true);
 * assert.equal(hasTarget(action, "app"), false);
 * ```
 */
export function hasTarget(action: Action, tag: TargetTag): boolean {
  return action.target.includes(tag);
}

/**
 * Joins a base URL and a path the way HEA does: one `/` between them, none added when the base
 * already ends with one or the path is empty.
 *
 * @example
 * ```ts
 * import { joinUrl } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(joinUrl("http://localhost:8080", "components/{id}"), "http://localhost:8080/components/{id}");
 * assert.equal(joinUrl("http://localhost:8080/", ""), "http://localhost:8080/");
 * ```
 */
export function joinUrl(base: string, path: string): string {
  if (path === "") {
    return base;
  }
  if (base === "") {
    return path;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    return path;
  }

  return base.endsWith("/")
    ? base + path.replace(/^\/+/, "")
    : `${base}/${path.replace(/^\/+/, "")}`;
}
