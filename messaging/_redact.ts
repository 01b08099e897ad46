/**
 * Redaction of broker URLs for logs and error messages.
 *
 * @module
 */

/** Returns `url` with its password replaced by `***`, so that it can be logged. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // An unparsable URL may still contain a password: show none of it.
    return "(invalid URL)";
  }

  if (parsed.password !== "") {
    parsed.password = "***";
  }

  return parsed.toString();
}
