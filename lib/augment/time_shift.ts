/**
 * Time shift: moves the waveform later (positive shift) or earlier
 * (negative), keeping its length.
 *
 * @module
 */
import { requireFinite, requirePositive, requireSamples } from "./validate.ts";

/** What fills the samples a shift uncovers. */
export type TimeShiftMode = "roll" | "zero";

/** Options for {@linkcode timeShift}. */
export interface TimeShiftOptions {
  /** Shift in seconds; positive moves the audio later. */
  shiftSeconds: number;
  /** Sample rate of the input in Hz. */
  sr: number;
  /**
   * `roll` (default): circular — what falls off one end comes back at the
   * other, so no audio is lost. `zero`: what falls off is dropped and the
   * uncovered samples are silence (a delayed or early-cut recording).
   */
  mode?: TimeShiftMode;
}

/**
 * Returns the input shifted by `round(shiftSeconds · sr)` samples. Shifts
 * longer than the clip roll round (`roll`) or give silence (`zero`).
 */
export function timeShift(
  samples: Float32Array,
  options: TimeShiftOptions,
): Float32Array {
  requireSamples("timeShift", samples);
  const seconds = requireFinite(
    "timeShift",
    "shiftSeconds",
    options.shiftSeconds,
  );
  const sr = requirePositive("timeShift", "sr", options.sr);
  const mode = options.mode ?? "roll";
  if (mode !== "roll" && mode !== "zero") {
    throw new Error(
      `timeShift: option mode must be "roll" or "zero", got ${String(mode)}`,
    );
  }
  const n = samples.length;
  const shift = Math.round(seconds * sr);
  const out = new Float32Array(n);
  if (mode === "roll") {
    const s = ((shift % n) + n) % n;
    out.set(samples.subarray(0, n - s), s);
    out.set(samples.subarray(n - s), 0);
  } else if (shift >= 0) {
    if (shift < n) out.set(samples.subarray(0, n - shift), shift);
  } else if (-shift < n) {
    out.set(samples.subarray(-shift), 0);
  }
  return out;
}
