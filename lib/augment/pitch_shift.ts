/**
 * Pitch shift: moves every frequency by a number of semitones and keeps the
 * duration — librosa's recipe: time-stretch by `rate = 2^(−semitones/12)`
 * (phase vocoder, pitch kept, length × 1/rate), then resample by `rate` (length
 * back to the original, every frequency × 1/rate = 2^(semitones/12)).
 *
 * @module
 */
import { resampleByRatio } from "./fractional_resample.ts";
import { stretchFrameOptions, timeStretch } from "./time_stretch.ts";
import { requireFinite, requireSamples } from "./validate.ts";

/** Options for {@linkcode pitchShift}. */
export interface PitchShiftOptions {
  /** Shift in semitones (12 = one octave up; may be fractional or negative). */
  semitones: number;
  /** FFT size of the phase vocoder, a power of two (default 1024). */
  nFft?: number;
  /** Hop of the phase vocoder (default `nFft / 4`). */
  hopLength?: number;
}

/**
 * Returns the input shifted by `semitones`, with exactly the input's length
 * (the resampled result is cut or zero-padded by at most a sample or two).
 */
export function pitchShift(
  samples: Float32Array,
  options: PitchShiftOptions,
): Float32Array {
  requireSamples("pitchShift", samples);
  const semitones = requireFinite("pitchShift", "semitones", options.semitones);
  const frame = stretchFrameOptions(
    "pitchShift",
    options.nFft,
    options.hopLength,
  );
  if (semitones === 0) return Float32Array.from(samples);
  const rate = 2 ** (-semitones / 12);
  const stretched = timeStretch(samples, { rate, ...frame });
  const shifted = resampleByRatio(stretched, rate);
  const out = new Float32Array(samples.length);
  out.set(shifted.subarray(0, samples.length));
  return out;
}
