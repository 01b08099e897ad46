/**
 * The error raised for input that does not describe a valid object.
 *
 * @module
 */

/**
 * Raised when input does not describe a valid object of the expected type. `field` is the path of
 * the offending attribute, such as `type` or `resources[0].base_path`, so that a service can tell
 * the client which value to fix. The HTTP layer turns it into a 400 response.
 *
 * @example Catch a validation failure
 * ```ts
 * import { InvalidObjectError } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const error = new InvalidObjectError("type", "is missing; set it to heaobject.registry.Component");
 * assert.equal(error.field, "type");
 * assert.equal(error.message, "Invalid field type: is missing; set it to heaobject.registry.Component");
 * ```
 */
export class InvalidObjectError extends Error {
  /** The path of the invalid attribute. */
  readonly field: string;

  /** Creates an error for `field` whose message ends with `problem`. */
  constructor(field: string, problem: string) {
    super(`Invalid field ${field}: ${problem}`);
    this.name = "InvalidObjectError";
    this.field = field;
  }
}
