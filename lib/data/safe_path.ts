/**
 * Checking names that come from outside (zip entries, file lists of a remote
 * repository) before they become paths on disk.
 *
 * @module
 */

/**
 * Returns `name` as a safe relative POSIX path (`.` and empty components
 * dropped, no trailing slash), or throws `<where>: entry "<name>" <reason>`
 * when the name is empty, absolute (leading `/`, a Windows drive letter),
 * contains a backslash or a NUL character, or has a `..` component that would
 * escape the target folder (zip slip).
 */
export function safeRelativePath(name: string, where: string): string {
  const reject = (reason: string): never => {
    throw new Error(`${where}: entry "${name}" ${reason}`);
  };
  if (name.includes("\0")) reject("contains a NUL character");
  if (name.includes("\\")) reject("contains a backslash");
  if (name.startsWith("/")) reject("is an absolute path");
  if (/^[a-zA-Z]:/.test(name)) reject("is an absolute path (drive letter)");
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) reject("escapes the target folder (zip slip)");
  if (parts.length === 0) reject("has an empty name");
  return parts.join("/");
}
