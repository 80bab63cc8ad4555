/**
 * Augmentation: seeded, pure waveform transforms (additive white / pink /
 * noise-bank noise at an SNR, gain, time shift, speed perturbation, pitch
 * shift, time stretch), SpecAugment masking on feature matrices, and
 * pipelines that apply a random subset of them — to the training fold only.
 *
 * Every transform is `fn(input, options)`: it never mutates `input`, returns
 * a new array, and draws any randomness from an `Rng` or seed in `options`.
 *
 * @module
 */
export { type Rng, type RngSource, toRng } from "./rng.ts";
export {
  type AugmentConfig,
  DEFAULT_AUGMENT_CONFIG,
  validateAugmentConfig,
} from "./config.ts";
export { pinkNoise, whiteNoise } from "./noise_generators.ts";
export {
  addBankNoise,
  addNoise,
  type AddNoiseOptions,
  addPinkNoise,
  addWhiteNoise,
  type BankNoiseOptions,
  type ColouredNoiseOptions,
} from "./add_noise.ts";
export {
  loadNoiseBank,
  type LoadNoiseBankOptions,
  type NoiseBank,
  type NoiseClip,
} from "./noise_bank.ts";
export { bandLimit, type BandLimitOptions } from "./band_limit.ts";
export { gain, type GainOptions } from "./gain.ts";
export {
  timeShift,
  type TimeShiftMode,
  type TimeShiftOptions,
} from "./time_shift.ts";
export { speedPerturb, type SpeedPerturbOptions } from "./speed_perturb.ts";
export { timeStretch, type TimeStretchOptions } from "./time_stretch.ts";
export { pitchShift, type PitchShiftOptions } from "./pitch_shift.ts";
export {
  freqMask,
  type MaskOptions,
  type MaskValue,
  timeMask,
} from "./spec_augment.ts";
export {
  assertTrainingFold,
  isTrainingFold,
  mapTrainingFold,
  markTrainingFold,
  type TrainingFold,
} from "./training_fold.ts";
export type {
  FeatureTransformOptions,
  WaveformTransformOptions,
} from "./transforms.ts";
export {
  type ApplyOptions,
  type AugmentPipeline,
  createAugmentPipeline,
  type FeatureExample,
  type FeatureStep,
  type FoldAugmenter,
  type NumericKeys,
  type ParamRange,
  type StepSpec,
  type WaveformExample,
  type WaveformStep,
} from "./pipeline.ts";
