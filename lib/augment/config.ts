/**
 * How the training fold is augmented — the `augment` section of a recipe,
 * saved in the model card: waveform copies made before feature extraction
 * and SpecAugment on every training batch.
 *
 * @module
 */
import { MAX_AUGMENT_COPIES } from "../limits.ts";
import { expectInt, expectObject, rejectUnknownKeys } from "../schema.ts";
import {
  createAugmentPipeline,
  type FeatureStep,
  type WaveformStep,
} from "./pipeline.ts";

/** How training data is augmented (saved in the model card). */
export interface AugmentConfig {
  /** Augmented waveform copies of each training clip (0 = none). */
  copies: number;
  /** Steps of the waveform pipeline that makes the copies. */
  waveform: WaveformStep[];
  /** Steps of the feature pipeline run on every training batch (empty = off). */
  features: FeatureStep[];
}

/**
 * Defaults: one copy per clip with pink noise (10–30 dB SNR), gain (±6 dB),
 * pitch shift (±2 semitones), speed (0.9–1.1) and a small time shift; and
 * SpecAugment with two time masks (≤ 10 frames) and two frequency masks
 * (≤ 6 bands, the same bands in the base features and their deltas) per
 * example.
 */
export const DEFAULT_AUGMENT_CONFIG: AugmentConfig = {
  copies: 1,
  waveform: [
    { transform: "pinkNoise", probability: 0.5, ranges: { snrDb: [10, 30] } },
    { transform: "gain", probability: 0.5, ranges: { gainDb: [-6, 6] } },
    {
      transform: "pitchShift",
      probability: 0.3,
      ranges: { semitones: [-2, 2] },
    },
    {
      transform: "speedPerturb",
      probability: 0.3,
      ranges: { factor: [0.9, 1.1] },
    },
    {
      transform: "timeShift",
      probability: 0.3,
      ranges: { shiftSeconds: [-0.1, 0.1] },
    },
  ],
  features: [
    {
      transform: "timeMask",
      probability: 0.5,
      options: { count: 2 },
      ranges: { width: { int: [1, 10] } },
    },
    {
      transform: "freqMask",
      probability: 0.5,
      options: { count: 2 },
      ranges: { width: { int: [1, 6] } },
    },
  ],
};

/**
 * Checks an augmentation config (e.g. a `--config` file's `augment`
 * section, merged over the defaults) and returns it typed: known keys only,
 * `copies` an integer in 0…{@linkcode MAX_AUGMENT_COPIES}, and steps that
 * build a pipeline (known transforms and options, probabilities in [0, 1],
 * well-formed ranges). Errors name `where` and the field.
 */
export function validateAugmentConfig(
  value: unknown,
  where = "augment",
): AugmentConfig {
  const o = expectObject(value, where);
  rejectUnknownKeys(o, ["copies", "waveform", "features"], where);
  expectInt(o.copies, `${where}.copies`, { min: 0, max: MAX_AUGMENT_COPIES });
  for (const key of ["waveform", "features"] as const) {
    const steps = o[key];
    if (!Array.isArray(steps)) {
      throw new Error(`${where}.${key}: must be an array of pipeline steps`);
    }
    steps.forEach((step, i) =>
      rejectUnknownKeys(
        expectObject(step, `${where}.${key}[${i}]`),
        ["transform", "probability", "options", "ranges"],
        `${where}.${key}[${i}]`,
      )
    );
    let domain: string;
    try {
      // Building a pipeline checks every step; the seed does not matter.
      domain = createAugmentPipeline(steps as WaveformStep[], 0).domain;
    } catch (err) {
      throw new Error(`${where}.${key}: ${(err as Error).message}`);
    }
    if (steps.length > 0 && domain !== key) {
      throw new Error(
        `${where}.${key}: holds ${domain} steps (${
          key === "waveform"
            ? "SpecAugment belongs in features"
            : "waveform transforms belong in waveform"
        })`,
      );
    }
  }
  return o as unknown as AugmentConfig;
}
