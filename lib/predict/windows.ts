/**
 * Sliding windows over a recording for the prediction timeline.
 *
 * @module
 */
import type { SampleSpan } from "./level.ts";

/**
 * Windows of `window` samples every `hop` samples over `n` samples, covering
 * all of them: starts at 0, hop, 2·hop, … while the window ends before `n`,
 * then one last window aligned to the end (`[n − window, n)`). A signal no
 * longer than one window gives the single span `[0, n)`.
 */
export function slidingWindows(
  n: number,
  window: number,
  hop: number,
): SampleSpan[] {
  for (const [name, v] of [["n", n], ["window", window], ["hop", hop]]) {
    if (!Number.isInteger(v) || (v as number) <= 0) {
      throw new RangeError(
        `slidingWindows: ${name} must be a positive integer, got ${v}`,
      );
    }
  }
  if (n <= window) return [{ start: 0, end: n }];
  const spans: SampleSpan[] = [];
  for (let start = 0; start + window < n; start += hop) {
    spans.push({ start, end: start + window });
  }
  spans.push({ start: n - window, end: n });
  return spans;
}
