/**
 * Speed perturbation (Ko et al., 2015, Kaldi's `speed` augmentation): plays
 * the clip faster or slower, like a tape — tempo and pitch change together.
 *
 * @module
 */
import { resampleByRatio } from "./fractional_resample.ts";
import { requirePositive, requireSamples } from "./validate.ts";

/** Options for {@linkcode speedPerturb}. */
export interface SpeedPerturbOptions {
  /**
   * Speed factor: 1.1 plays 10% faster (duration ÷ 1.1, every frequency
   * × 1.1); 0.9 plays 10% slower.
   */
  factor: number;
}

/**
 * Returns the input played at `factor` times its speed: band-limited
 * resampling by `1/factor`, so the output has `round(n / factor)` samples at
 * the same sample rate.
 */
export function speedPerturb(
  samples: Float32Array,
  options: SpeedPerturbOptions,
): Float32Array {
  requireSamples("speedPerturb", samples);
  const factor = requirePositive("speedPerturb", "factor", options.factor);
  if (factor === 1) return Float32Array.from(samples);
  return resampleByRatio(samples, 1 / factor);
}
