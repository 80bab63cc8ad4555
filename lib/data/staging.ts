/**
 * Building a folder out of sight and moving it into place only when complete:
 * a failed build leaves no partial target behind, and a successful one
 * replaces any previous target in one rename.
 *
 * @module
 */
import * as path from "node:path";
import { processAlive } from "../lock.ts";
import { ensureDir, exists, parseStagingName, stagingPath } from "../paths.ts";

/**
 * Deletes the temporary folders that {@linkcode buildDirAtomically} left
 * beside `target` in a process that was killed before it could clean up
 * (`<target>.tmp-<pid>-…`, `<target>.old-<pid>-…` whose process is gone;
 * checked through `/proc` on Linux, elsewhere nothing is deleted). Returns
 * the paths deleted.
 */
export async function removeStaleStaging(target: string): Promise<string[]> {
  const parent = path.dirname(target);
  if (!exists(parent)) return [];
  const removed: string[] = [];
  for await (const entry of Deno.readDir(parent)) {
    const staged = parseStagingName(entry.name);
    if (staged?.target !== path.basename(target)) continue;
    if (processAlive(staged.pid)) continue;
    const stale = path.join(parent, entry.name);
    await Deno.remove(stale, { recursive: true });
    removed.push(stale);
  }
  return removed;
}

/**
 * Creates an empty temporary folder beside `target`
 * (`<target>.tmp-<pid>-<random>`), runs `build` on it and, when `build`
 * resolves, renames the folder to `target` (a previous `target` is moved
 * aside first and deleted after the swap). When `build` throws, the temporary
 * folder is deleted, `target` is left as it was, and the error is rethrown.
 */
export async function buildDirAtomically<T>(
  target: string,
  build: (tmp: string) => Promise<T>,
): Promise<T> {
  ensureDir(path.dirname(target));
  const tmp = stagingPath(target);
  await Deno.mkdir(tmp);
  let result: T;
  try {
    result = await build(tmp);
    if (exists(target)) {
      const old = stagingPath(target, "old");
      await Deno.rename(target, old);
      await Deno.rename(tmp, target);
      await Deno.remove(old, { recursive: true });
    } else {
      await Deno.rename(tmp, target);
    }
  } catch (err) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw err;
  }
  return result;
}
