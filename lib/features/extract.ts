/**
 * The full single-utterance path: samples at `config.sr` → (trim) → base
 * features (MFCC or log-mel, by flavour) → (deltas stacked as extra
 * dimensions) → (per-utterance normalisation).
 *
 * @module
 */
import { type Matrix64, trimBounds } from "../dsp/mod.ts";
import {
  type FeatureConfig,
  featureDims,
  type FeatureMatrix,
} from "./config.ts";
import { delta } from "./delta.ts";
import { logMelSpectrogram, mfcc } from "./librosa.ts";
import { meydaLogMel, meydaMfcc } from "./meyda.ts";
import { normalizeUtterance } from "./normalize.ts";

/** MFCC or log-mel of `samples` in the configured flavour, without deltas. */
export function baseFeatures(
  samples: Float32Array,
  config: FeatureConfig,
): Matrix64 {
  if (config.flavour === "meyda") {
    return config.kind === "mfcc"
      ? meydaMfcc(samples, config)
      : meydaLogMel(samples, config);
  }
  return config.kind === "mfcc"
    ? mfcc(samples, config)
    : logMelSpectrogram(samples, config);
}

/**
 * Extracts one utterance's features (frames × {@linkcode featureDims}),
 * not yet cropped or padded (see `fixLength`). `samples` must be mono at
 * `config.sr`.
 */
export function extractFeatures(
  samples: Float32Array,
  config: FeatureConfig,
): FeatureMatrix {
  if (samples.length === 0) throw new Error("extractFeatures: empty audio");
  let x = samples;
  if (config.trimTopDb !== null) {
    const [start, end] = trimBounds(samples, { topDb: config.trimTopDb });
    if (end > start) x = samples.subarray(start, end);
  }
  const base = baseFeatures(x, config);
  const { frames } = base;
  const dims = featureDims(config);
  let stacked = base.data;
  if (config.deltaOrder > 0) {
    stacked = new Float64Array(frames * dims);
    const blocks = [base.data];
    for (let order = 1; order <= config.deltaOrder; order++) {
      blocks.push(
        delta(base.data, frames, base.dims, { order: order as 1 | 2 }),
      );
    }
    for (let t = 0; t < frames; t++) {
      blocks.forEach((b, i) =>
        stacked.set(
          b.subarray(t * base.dims, (t + 1) * base.dims),
          t * dims + i * base.dims,
        )
      );
    }
  }
  if (config.normalize === "utterance") {
    normalizeUtterance(stacked, frames, dims);
  }
  return { data: new Float32Array(stacked), frames, dims };
}
