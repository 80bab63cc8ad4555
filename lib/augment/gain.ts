/**
 * Gain: scales the waveform by a level change in dB.
 *
 * @module
 */
import { requireFinite, requireSamples } from "./validate.ts";

/** Options for {@linkcode gain}. */
export interface GainOptions {
  /** Level change in dB (+6 ≈ doubles the amplitude). */
  gainDb: number;
}

/**
 * Returns `samples · 10^(gainDb/20)`. Not clipped: peaks may pass ±1 for
 * positive gains (features are computed on floats).
 */
export function gain(
  samples: Float32Array,
  options: GainOptions,
): Float32Array {
  requireSamples("gain", samples);
  const g = 10 ** (requireFinite("gain", "gainDb", options.gainDb) / 20);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] * g;
  return out;
}
