/**
 * Test helper for the `../shared` folder (real RAVDESS clips, librosa
 * references). Where it is absent, tests that need it are skipped with a
 * printed reason; with `SER_REQUIRE_SHARED=1` (set by CI) absence is a failure.
 *
 * @module
 */
import {
  exists,
  LIBROSA_REFERENCE_DIR,
  SHARED_RAVDESS_DIR,
} from "../lib/paths.ts";

const reported = new Set<string>();

/**
 * True if `dir` (default: the shared RAVDESS clips) is present. If it is
 * absent: throws when `SER_REQUIRE_SHARED=1`, otherwise prints why the
 * dependent tests are skipped and returns false. Use as
 * `Deno.test({ name, ignore: !hasShared(), fn })`.
 */
export function hasShared(dir: string = SHARED_RAVDESS_DIR): boolean {
  if (exists(dir)) return true;
  if (Deno.env.get("SER_REQUIRE_SHARED") === "1") {
    throw new Error(
      `SER_REQUIRE_SHARED=1 but ${dir} is missing: the shared data must sit beside the repository`,
    );
  }
  if (!reported.has(dir)) {
    reported.add(dir);
    console.log(`skipping tests that need ${dir}: folder absent`);
  }
  return false;
}

/** True if the librosa reference outputs are present (see {@linkcode hasShared}). */
export function hasLibrosaReference(): boolean {
  return hasShared(LIBROSA_REFERENCE_DIR);
}
