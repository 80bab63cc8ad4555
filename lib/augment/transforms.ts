/**
 * The transforms a pipeline can name, with the options each takes from a
 * step (the rest — sample rate, feature dims, random generator — come from
 * the example and the pipeline).
 *
 * @module
 */
import type { Rng } from "../random.ts";
import {
  addBankNoise,
  addPinkNoise,
  addWhiteNoise,
  type BankNoiseOptions,
  type ColouredNoiseOptions,
} from "./add_noise.ts";
import { bandLimit, type BandLimitOptions } from "./band_limit.ts";
import { gain, type GainOptions } from "./gain.ts";
import { pitchShift, type PitchShiftOptions } from "./pitch_shift.ts";
import { freqMask, type MaskOptions, timeMask } from "./spec_augment.ts";
import { speedPerturb, type SpeedPerturbOptions } from "./speed_perturb.ts";
import { timeShift, type TimeShiftOptions } from "./time_shift.ts";
import { timeStretch, type TimeStretchOptions } from "./time_stretch.ts";

/** Step options of each waveform transform, by name. */
export interface WaveformTransformOptions {
  /** {@linkcode addWhiteNoise}. */
  whiteNoise: Omit<ColouredNoiseOptions, "rng">;
  /** {@linkcode addPinkNoise}. */
  pinkNoise: Omit<ColouredNoiseOptions, "rng">;
  /** {@linkcode addBankNoise}. */
  bankNoise: Omit<BankNoiseOptions, "rng" | "sr">;
  /** {@linkcode gain}. */
  gain: GainOptions;
  /** {@linkcode bandLimit}: a telephone or cheap-microphone band. */
  bandLimit: Omit<BandLimitOptions, "sr">;
  /** {@linkcode timeShift}. */
  timeShift: Omit<TimeShiftOptions, "sr">;
  /** {@linkcode speedPerturb}. */
  speedPerturb: SpeedPerturbOptions;
  /** {@linkcode pitchShift}. */
  pitchShift: PitchShiftOptions;
  /** {@linkcode timeStretch}. */
  timeStretch: TimeStretchOptions;
}

/** Step options of each feature-level (SpecAugment) transform, by name. */
export interface FeatureTransformOptions {
  /** {@linkcode timeMask}. */
  timeMask: Omit<MaskOptions, "rng" | "dims">;
  /** {@linkcode freqMask}. */
  freqMask: Omit<MaskOptions, "rng" | "dims">;
}

/** What a waveform transform gets from the example and the pipeline. */
export interface WaveformContext {
  /** Sample rate of the example. */
  sr: number;
  /** The example's generator for this epoch. */
  rng: Rng;
}

/** What a feature transform gets from the example and the pipeline. */
export interface FeatureContext {
  /** Feature dimensions per frame of the example. */
  dims: number;
  /**
   * Equal blocks of the same bands in each frame (e.g. 3 for [base | Δ | ΔΔ]),
   * the `freqMask` default where its step sets no `channels`.
   */
  channels?: number;
  /** The example's generator for this epoch. */
  rng: Rng;
}

/** How a pipeline calls one transform and checks a step's options. */
export interface TransformEntry<O, C> {
  /** Every option a step may set. */
  keys: readonly (keyof O & string)[];
  /** The numeric options, which a step may draw from a range. */
  numeric: readonly (keyof O & string)[];
  /** Options a step must set, fixed or ranged. */
  required: readonly (keyof O & string)[];
  /** Applies the transform. */
  run(input: Float32Array, options: O, context: C): Float32Array;
}

type Registry<P, C> = { [K in keyof P]: TransformEntry<P[K], C> };

const FRAME = ["nFft", "hopLength"] as const;

/** The waveform transforms, by step name. */
export const WAVEFORM_TRANSFORMS: Registry<
  WaveformTransformOptions,
  WaveformContext
> = {
  whiteNoise: {
    keys: ["snrDb"],
    numeric: ["snrDb"],
    required: ["snrDb"],
    run: (x, o, c) => addWhiteNoise(x, { ...o, rng: c.rng }),
  },
  pinkNoise: {
    keys: ["snrDb"],
    numeric: ["snrDb"],
    required: ["snrDb"],
    run: (x, o, c) => addPinkNoise(x, { ...o, rng: c.rng }),
  },
  bankNoise: {
    keys: ["bank", "snrDb"],
    numeric: ["snrDb"],
    required: ["bank", "snrDb"],
    run: (x, o, c) => addBankNoise(x, { ...o, sr: c.sr, rng: c.rng }),
  },
  gain: {
    keys: ["gainDb"],
    numeric: ["gainDb"],
    required: ["gainDb"],
    run: (x, o) => gain(x, o),
  },
  bandLimit: {
    keys: ["lowHz", "highHz"],
    numeric: ["lowHz", "highHz"],
    required: [],
    run: (x, o, c) => bandLimit(x, { ...o, sr: c.sr }),
  },
  timeShift: {
    keys: ["shiftSeconds", "mode"],
    numeric: ["shiftSeconds"],
    required: ["shiftSeconds"],
    run: (x, o, c) => timeShift(x, { ...o, sr: c.sr }),
  },
  speedPerturb: {
    keys: ["factor"],
    numeric: ["factor"],
    required: ["factor"],
    run: (x, o) => speedPerturb(x, o),
  },
  pitchShift: {
    keys: ["semitones", ...FRAME],
    numeric: ["semitones", ...FRAME],
    required: ["semitones"],
    run: (x, o) => pitchShift(x, o),
  },
  timeStretch: {
    keys: ["rate", ...FRAME],
    numeric: ["rate", ...FRAME],
    required: ["rate"],
    run: (x, o) => timeStretch(x, o),
  },
};

const MASK = ["width", "count", "maskValue", "channels"] as const;

/** The feature-level transforms, by step name. */
export const FEATURE_TRANSFORMS: Registry<
  FeatureTransformOptions,
  FeatureContext
> = {
  timeMask: {
    keys: MASK,
    numeric: ["width", "count"],
    required: ["width"],
    run: (x, o, c) => timeMask(x, { ...o, dims: c.dims, rng: c.rng }),
  },
  freqMask: {
    keys: MASK,
    numeric: ["width", "count", "channels"],
    required: ["width"],
    run: (x, o, c) =>
      freqMask(x, {
        channels: c.channels,
        ...o,
        dims: c.dims,
        rng: c.rng,
      }),
  },
};
