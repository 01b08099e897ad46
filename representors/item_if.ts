/**
 * Item conditions: typed predicates for TypeScript, and a small expression language for actions
 * loaded from WeSTL JSON files. Expressions are parsed by jsep and evaluated over an allow-list of
 * operations; nothing is ever passed to `eval`.
 *
 * @module
 */

import jsep from "jsep";
import {
  arePermissionsReadOnly,
  DELETER_PERMISSIONS,
  hasAnyPermission,
  PUTTER_PERMISSIONS,
  SHARER_PERMISSIONS,
  type TypeRegistry,
} from "../objects/mod.ts";
import type { ItemIf, ItemIfContext } from "./action.ts";

/**
 * Holds when the caller may edit the item (`EDITOR` or `COOWNER`).
 *
 * @example
 * ```ts
 * import { canEdit } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(canEdit({ item: { type: "x.Y" }, permissions: ["VIEWER", "EDITOR"] }), true);
 * assert.equal(canEdit({ item: { type: "x.Y" }, permissions: ["VIEWER"] }), false);
 * ```
 */
export const canEdit: ItemIf = ({ permissions }: ItemIfContext): boolean =>
  hasAnyPermission(permissions, PUTTER_PERMISSIONS);

/**
 * Holds when the caller may delete the item (`DELETER` or `COOWNER`).
 *
 * @example
 * ```ts
 * import { canDelete } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(canDelete({ item: { type: "x.Y" }, permissions: ["DELETER"] }), true);
 * ```
 */
export const canDelete: ItemIf = ({ permissions }: ItemIfContext): boolean =>
  hasAnyPermission(permissions, DELETER_PERMISSIONS);

/**
 * Holds when the caller may share the item (`SHARER` or `COOWNER`).
 *
 * @example
 * ```ts
 * import { canShare } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(canShare({ item: { type: "x.Y" }, permissions: ["EDITOR"] }), false);
 * ```
 */
export const canShare: ItemIf = ({ permissions }: ItemIfContext): boolean =>
  hasAnyPermission(permissions, SHARER_PERMISSIONS);

/**
 * Holds when the caller may only view the item: `VIEWER` without `EDITOR` or `COOWNER`.
 *
 * @example
 * ```ts
 * import { isReadOnly } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isReadOnly({ item: { type: "x.Y" }, permissions: ["VIEWER"] }), true);
 * ```
 */
export const isReadOnly: ItemIf = ({ permissions }: ItemIfContext): boolean =>
  arePermissionsReadOnly(permissions);

/** Raised for an item condition that cannot be parsed or uses something outside the language. */
export class ItemIfSyntaxError extends Error {
  /** The expression. */
  readonly expression: string;

  /** Creates the error for `expression` with a description of the problem. */
  constructor(expression: string, problem: string) {
    super(`Invalid itemIf expression ${JSON.stringify(expression)}: ${problem}`);
    this.name = "ItemIfSyntaxError";
    this.expression = expression;
  }
}

jsep.addBinaryOp("or", 1);
jsep.addBinaryOp("and", 2);
jsep.addBinaryOp("is", 6);
jsep.addBinaryOp("is not", 6);
jsep.addBinaryOp("in", 7);
jsep.addBinaryOp("not in", 7);
jsep.addUnaryOp("not");
jsep.addLiteral("None", null);
jsep.addLiteral("True", true);
jsep.addLiteral("False", false);

type Evaluate = (context: ItemIfContext) => unknown;
type Node = jsep.Expression;

/**
 * Functions an expression may call. HEA's own names keep HEA's meanings, including
 * `has_read_only_permission()`, which holds when the caller may edit (the opposite of its name) and
 * is kept so that existing WeSTL files behave as they did. New files should use the names that state
 * what they check: `can_edit()`, `can_delete()`, `can_share()` and `is_read_only()`.
 */
const PERMISSION_FUNCTIONS: Readonly<Record<string, ItemIf>> = {
  can_edit: canEdit,
  can_delete: canDelete,
  can_share: canShare,
  is_read_only: isReadOnly,
  has_editor_permission: canEdit,
  has_deleter_permission: canDelete,
  has_sharer_permission: canShare,
  has_read_only_permission: (context) => !isReadOnly(context),
};

/**
 * Compiles an item condition written in HEA's expression syntax, a subset of Python's:
 * attribute names (dotted for nested objects), string, number, `None`, `True` and `False` literals,
 * `==`, `!=`, `<`, `<=`, `>`, `>=`, `is`, `is not`, `in`, `not in`, `and`, `or`, `not`, arithmetic,
 * the permission functions, `Type.get_type_name()` and `isheaobject(module.Type)`. A missing
 * attribute is `None`.
 *
 * @throws {ItemIfSyntaxError} for anything else, at compile time.
 *
 * @example
 * ```ts
 * import { compileItemIf } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const condition = compileItemIf('display_name == "x" and can_edit()');
 * assert.equal(condition({ item: { type: "a.B", display_name: "x" }, permissions: ["EDITOR"] }), true);
 * assert.equal(condition({ item: { type: "a.B", display_name: "y" }, permissions: ["EDITOR"] }), false);
 * assert.throws(() => compileItemIf("__import__('os')"), /Invalid itemIf/);
 * ```
 */
export function compileItemIf(expression: string, registry?: TypeRegistry): ItemIf {
  let tree: Node;
  try {
    tree = jsep(expression);
  } catch (error) {
    throw new ItemIfSyntaxError(expression, error instanceof Error ? error.message : String(error));
  }

  const evaluate = compileNode(tree, expression, registry);
  return (context) => truthy(evaluate(context));
}

function compileNode(node: Node, expression: string, registry: TypeRegistry | undefined): Evaluate {
  switch (node.type) {
    case "Literal": {
      const value = (node as jsep.Literal).value;
      return () => value;
    }
    case "Identifier":
    case "MemberExpression": {
      const path = dottedPath(node, expression);
      return ({ item }) => attributeAt(item, path);
    }
    case "CallExpression":
      return compileCall(node as jsep.CallExpression, expression, registry);
    case "UnaryExpression":
      return compileUnary(node as jsep.UnaryExpression, expression, registry);
    case "BinaryExpression":
      return compileBinary(node as jsep.BinaryExpression, expression, registry);
    case "Compound":
      throw new ItemIfSyntaxError(expression, "write one expression, not several");
    default:
      throw new ItemIfSyntaxError(expression, `${node.type} is not supported`);
  }
}

function compileCall(
  node: jsep.CallExpression,
  expression: string,
  registry: TypeRegistry | undefined,
): Evaluate {
  const callee = node.callee;
  if (callee.type === "Identifier") {
    const name = (callee as jsep.Identifier).name;
    const permissionFunction = PERMISSION_FUNCTIONS[name];
    if (permissionFunction && node.arguments.length === 0) {
      return permissionFunction;
    }
    if ((name === "isheaobject" || name === "is_heaobject") && node.arguments.length === 1) {
      const typeName = dottedPath(node.arguments[0] as Node, expression).join(".");
      return ({ item }) =>
        registry ? registry.isSubtype(item.type, typeName) : item.type === typeName;
    }
  }
  if (
    callee.type === "MemberExpression" && node.arguments.length === 0 &&
    ((callee as jsep.MemberExpression).property as jsep.Identifier).name === "get_type_name"
  ) {
    const typeName = resolveTypeName(
      dottedPath((callee as jsep.MemberExpression).object, expression),
      expression,
      registry,
    );
    return () => typeName;
  }

  throw new ItemIfSyntaxError(
    expression,
    `only ${
      Object.keys(PERMISSION_FUNCTIONS).join("(), ")
    }(), Type.get_type_name() and isheaobject(Type) may be called`,
  );
}

function compileUnary(
  node: jsep.UnaryExpression,
  expression: string,
  registry: TypeRegistry | undefined,
): Evaluate {
  const argument = compileNode(node.argument, expression, registry);
  switch (node.operator) {
    case "not":
    case "!":
      return (context) => !truthy(argument(context));
    case "-":
      return (context) => -Number(argument(context));
    case "+":
      return (context) => Number(argument(context));
    default:
      throw new ItemIfSyntaxError(expression, `operator ${node.operator} is not supported`);
  }
}

function compileBinary(
  node: jsep.BinaryExpression,
  expression: string,
  registry: TypeRegistry | undefined,
): Evaluate {
  const left = compileNode(node.left, expression, registry);
  const right = compileNode(node.right, expression, registry);
  const compare = (test: (a: unknown, b: unknown) => boolean): Evaluate => (context) =>
    test(left(context), right(context));

  switch (node.operator) {
    case "and":
    case "&&":
      return (context) => truthy(left(context)) && truthy(right(context));
    case "or":
    case "||":
      return (context) => truthy(left(context)) || truthy(right(context));
    case "==":
    case "is":
      return compare(equal);
    case "!=":
    case "is not":
      return compare((a, b) => !equal(a, b));
    case "<":
      return compare((a, b) => ordered(a, b) && (a as number) < (b as number));
    case "<=":
      return compare((a, b) => ordered(a, b) && (a as number) <= (b as number));
    case ">":
      return compare((a, b) => ordered(a, b) && (a as number) > (b as number));
    case ">=":
      return compare((a, b) => ordered(a, b) && (a as number) >= (b as number));
    case "in":
      return compare(contains);
    case "not in":
      return compare((a, b) => !contains(a, b));
    case "+":
    case "-":
    case "*":
    case "/":
    case "%":
      return arithmetic(node.operator, left, right);
    default:
      throw new ItemIfSyntaxError(expression, `operator ${node.operator} is not supported`);
  }
}

function arithmetic(operator: string, left: Evaluate, right: Evaluate): Evaluate {
  return (context) => {
    const leftValue = left(context);
    const rightValue = right(context);
    if (operator === "+" && typeof leftValue === "string" && typeof rightValue === "string") {
      return leftValue + rightValue;
    }

    const a = Number(leftValue);
    const b = Number(rightValue);
    switch (operator) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        return a / b;
      default:
        return a % b;
    }
  };
}

function dottedPath(node: Node, expression: string): string[] {
  if (node.type === "Identifier") {
    return [(node as jsep.Identifier).name];
  }
  if (node.type === "MemberExpression" && !(node as jsep.MemberExpression).computed) {
    const member = node as jsep.MemberExpression;
    return [...dottedPath(member.object, expression), (member.property as jsep.Identifier).name];
  }

  throw new ItemIfSyntaxError(expression, "only attribute names and dotted paths may be read");
}

function resolveTypeName(
  path: string[],
  expression: string,
  registry: TypeRegistry | undefined,
): string {
  if (path.length > 1) {
    return path.join(".");
  }
  const className = path[0] as string;
  const matches = registry?.types().filter((type) => type.name.split(".").pop() === className) ??
    [];
  if (matches.length !== 1) {
    throw new ItemIfSyntaxError(
      expression,
      `type ${className} is ${
        matches.length === 0 ? "not registered" : "ambiguous"
      }; write its full dotted name`,
    );
  }

  return (matches[0] as { name: string }).name;
}

const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

function attributeAt(item: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = item;
  for (const segment of path) {
    if (
      FORBIDDEN_SEGMENTS.has(segment) || typeof value !== "object" || value === null ||
      !Object.hasOwn(value, segment)
    ) {
      return null;
    }
    value = (value as Record<string, unknown>)[segment];
  }

  return value ?? null;
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (typeof value === "object" && value !== null) {
    return Object.keys(value).length > 0;
  }

  return Boolean(value);
}

function equal(a: unknown, b: unknown): boolean {
  return a === b || (a === undefined && b === null) || (a === null && b === undefined);
}

function ordered(a: unknown, b: unknown): boolean {
  return (typeof a === "number" && typeof b === "number") ||
    (typeof a === "string" && typeof b === "string");
}

function contains(needle: unknown, haystack: unknown): boolean {
  if (typeof haystack === "string") {
    return typeof needle === "string" && haystack.includes(needle);
  }
  if (Array.isArray(haystack)) {
    return haystack.some((element) => equal(element, needle));
  }

  return false;
}
