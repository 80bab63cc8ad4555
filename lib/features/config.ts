/**
 * The one typed feature configuration, saved with every model so that
 * training and prediction can never disagree.
 *
 * Why `librosa` is the default flavour: it reproduces librosa 0.10.2 — the
 * extractor behind most Python SER work, the original CNN+LSTM recipe
 * included — to within 6.6e-5 dB on log-mel and 1.5e-4 on MFCC on every
 * reference case, whereas Meyda's MFCC is a different feature altogether
 * (max |Δ| 511–733, mean |Δ| 17–26 against librosa's, per-coefficient
 * correlation over time only 0.02–0.31; see `meyda.ts`), so recipes and
 * published results carry over only with `librosa`. It is also far faster:
 * its float64 WebAssembly SIMD kernel runs the whole path (read + decode +
 * resample 48→16 kHz + 40 MFCC) at ≈ 1,580× real time per CPU-second,
 * against ≈ 29× for Meyda called frame by frame (≈ 330 µs per frame, bound
 * by its per-frame allocations, complex FFT and dense mel loops), measured
 * with `deno task bench features` on the 240 shared RAVDESS clips. Meyda
 * stays the extractor for the exploratory descriptors (RMS, ZCR, centroid,
 * roll-off, flatness, chroma) and is available as `flavour: "meyda"` for
 * compatibility with Meyda-based JavaScript code; since the flavour is part
 * of the saved config, a model always gets the features it was trained on.
 *
 * @module
 */
import { expectObject, rejectUnknownKeys, shown } from "../schema.ts";
import {
  MAX_FRAMES,
  MAX_N_FFT,
  MAX_N_MELS,
  MAX_N_MFCC,
  MAX_SAMPLE_RATE,
  MIN_SAMPLE_RATE,
} from "../limits.ts";

/** Which implementation computes the spectra, MFCC and log-mel features. */
export type FeatureFlavour = "librosa" | "meyda";

/**
 * How features are standardised: `utterance` — each clip by its own mean and
 * std per dimension (in extraction); `speaker` — each speaker's clips by that
 * speaker's statistics over all of them (unlabelled; applied to a group of
 * clips, see `normalize.ts`; a single clip falls back to its own); `none`.
 */
export type Normalization = "utterance" | "speaker" | "none";

/** Every {@linkcode Normalization}. */
export const NORMALIZATIONS: readonly Normalization[] = [
  "utterance",
  "speaker",
  "none",
];

/** All feature parameters, in librosa's vocabulary (camelCase). */
export interface FeatureConfig {
  /** Format version of this object. */
  version: 1;
  /** `librosa` (matches librosa 0.10.2) or `meyda` (Meyda 5.6.3's MFCC). */
  flavour: FeatureFlavour;
  /** `mfcc` (nMfcc coefficients) or `logmel` (nMels log-power bands in dB). */
  kind: "mfcc" | "logmel";
  /** Sample rate the audio is resampled to before extraction (Hz). */
  sr: number;
  /** FFT size in samples. */
  nFft: number;
  /** Analysis window length in samples (≤ nFft; zero-padded centred). */
  winLength: number;
  /** Hop between frames in samples. */
  hopLength: number;
  /** Number of mel bands. */
  nMels: number;
  /** Number of MFCC coefficients (kind `mfcc`). */
  nMfcc: number;
  /** Lowest mel filter edge (Hz). */
  fmin: number;
  /** Highest mel filter edge (Hz). */
  fmax: number;
  /** 0: base features only; 1: + delta; 2: + delta and delta-delta. */
  deltaOrder: 0 | 1 | 2;
  /** Silence trimming before features (librosa.effects.trim top_db); null = off. */
  trimTopDb: number | null;
  /** Per-utterance mean/variance normalisation of every feature dimension. */
  normalize: Normalization;
  /** Fixed model length in frames (crop/pad; the true length is kept). */
  frames: number;
}

/**
 * The defaults: 40 MFCC at 16 kHz, 25 ms window, 10 ms hop, 64 mel bands,
 * with deltas and delta-deltas, 60 dB trimming, per-utterance normalisation
 * and 3 s (300 frames) model input.
 */
export const DEFAULT_FEATURE_CONFIG: FeatureConfig = Object.freeze(
  {
    version: 1,
    flavour: "librosa",
    kind: "mfcc",
    sr: 16000,
    nFft: 512,
    winLength: 400,
    hopLength: 160,
    nMels: 64,
    nMfcc: 40,
    fmin: 0,
    fmax: 8000,
    deltaOrder: 2,
    trimTopDb: 60,
    normalize: "utterance",
    frames: 300,
  } as const,
);

/** Number of feature dimensions per frame: base dims × (1 + deltaOrder). */
export function featureDims(config: FeatureConfig): number {
  const base = config.kind === "mfcc" ? config.nMfcc : config.nMels;
  return base * (1 + config.deltaOrder);
}

/** The integer fields with their bounds: [min, max]. */
const INTEGER_RANGES: Readonly<
  Record<
    "sr" | "nFft" | "winLength" | "hopLength" | "nMels" | "nMfcc" | "frames",
    readonly [number, number]
  >
> = {
  sr: [MIN_SAMPLE_RATE, MAX_SAMPLE_RATE],
  nFft: [8, MAX_N_FFT],
  winLength: [1, MAX_N_FFT],
  hopLength: [1, MAX_N_FFT],
  nMels: [1, MAX_N_MELS],
  nMfcc: [1, MAX_N_MFCC],
  frames: [1, MAX_FRAMES],
};

/** Keys of {@linkcode FeatureConfig} in a fixed order (for hashing). */
export const CONFIG_KEYS: readonly (keyof FeatureConfig)[] = [
  "version",
  "flavour",
  "kind",
  "sr",
  "nFft",
  "winLength",
  "hopLength",
  "nMels",
  "nMfcc",
  "fmin",
  "fmax",
  "deltaOrder",
  "trimTopDb",
  "normalize",
  "frames",
];

/** Throws naming `source` if `value` is not a plain object or has a key no config has. */
function checkKeys(value: unknown, source: string): Record<string, unknown> {
  const o = expectObject(value, source);
  rejectUnknownKeys(o, CONFIG_KEYS, source, "a feature config has");
  return o;
}

/**
 * The one schema check of a feature config, for model cards, feature sets,
 * `--config`'s `features` section (through {@linkcode resolveFeatureConfig})
 * and the batch extractor: every key of {@linkcode FeatureConfig} present and
 * no other, each of its type, and each size within the bounds of
 * `lib/limits.ts` (`sr`, `nFft`, `winLength`, `hopLength`, `nMels`, `nMfcc`,
 * `frames`). Returns a typed copy; throws an Error naming `source` and the
 * first bad field.
 */
export function validateFeatureConfig(
  value: unknown,
  source = "feature config",
): FeatureConfig {
  const fail = (reason: string): never => {
    throw new Error(`${source}: ${reason}`);
  };
  const c = checkKeys(value, source);
  const missing = CONFIG_KEYS.filter((k) => !(k in c));
  if (missing.length > 0) fail(`missing ${missing.join(", ")}`);
  if (c.version !== 1) fail(`unsupported version ${shown(c.version)}`);
  if (c.flavour !== "librosa" && c.flavour !== "meyda") {
    fail(`flavour must be "librosa" or "meyda", got ${shown(c.flavour)}`);
  }
  if (c.kind !== "mfcc" && c.kind !== "logmel") {
    fail(`kind must be "mfcc" or "logmel", got ${shown(c.kind)}`);
  }
  for (const [k, [min, max]] of Object.entries(INTEGER_RANGES)) {
    const v = c[k];
    if (typeof v !== "number" || !Number.isInteger(v)) {
      fail(`${k} must be an integer, got ${shown(v)}`);
    }
    if ((v as number) < min || (v as number) > max) {
      fail(`${k} must be within ${min}–${max}, got ${v}`);
    }
  }
  const n = c as unknown as FeatureConfig;
  if (n.winLength > n.nFft) fail(`winLength ${n.winLength} > nFft ${n.nFft}`);
  if ((n.nFft & (n.nFft - 1)) !== 0) {
    fail(`nFft must be a power of two ≥ 8, got ${n.nFft}`);
  }
  if (n.flavour === "meyda" && n.kind === "mfcc" && n.nMfcc > 40) {
    fail(`meyda flavour computes at most 40 MFCC, got nMfcc ${n.nMfcc}`);
  }
  for (const k of ["fmin", "fmax"] as const) {
    if (typeof c[k] !== "number" || !Number.isFinite(c[k])) {
      fail(`${k} must be a number, got ${shown(c[k])}`);
    }
  }
  if (!(n.fmin >= 0 && n.fmin < n.fmax && n.fmax <= n.sr / 2)) {
    fail(`need 0 ≤ fmin < fmax ≤ sr/2, got fmin=${n.fmin} fmax=${n.fmax}`);
  }
  if (n.kind === "mfcc" && n.nMfcc > n.nMels) {
    fail(`nMfcc ${n.nMfcc} > nMels ${n.nMels}`);
  }
  if (c.deltaOrder !== 0 && c.deltaOrder !== 1 && c.deltaOrder !== 2) {
    fail(`deltaOrder must be 0, 1 or 2, got ${shown(c.deltaOrder)}`);
  }
  if (
    c.trimTopDb !== null &&
    (typeof c.trimTopDb !== "number" || !(c.trimTopDb > 0) ||
      !Number.isFinite(c.trimTopDb))
  ) {
    fail(
      `trimTopDb must be a positive number or null, got ${shown(c.trimTopDb)}`,
    );
  }
  if (!NORMALIZATIONS.includes(c.normalize as FeatureConfig["normalize"])) {
    fail(
      `normalize must be ${
        NORMALIZATIONS.map((n) => `"${n}"`).join(", ")
      }, got ${shown(c.normalize)}`,
    );
  }
  return Object.fromEntries(
    CONFIG_KEYS.map((k) => [k, n[k]]),
  ) as unknown as FeatureConfig;
}

/**
 * A feature config from a partial one (e.g. the `features` section of a
 * `--config` file) over {@linkcode DEFAULT_FEATURE_CONFIG}, held to the same
 * schema as {@linkcode validateFeatureConfig}: unknown keys, wrong types and
 * out-of-range sizes throw, naming `source`.
 */
export function resolveFeatureConfig(
  partial: unknown = {},
  source = "feature config",
): FeatureConfig {
  const given = checkKeys(partial, source);
  return validateFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, ...given }, source);
}

/** A time-major matrix: `data.length === frames * dims`. */
export interface FeatureMatrix {
  /** Row-major values, frame after frame. */
  data: Float32Array;
  /** Number of rows (time frames). */
  frames: number;
  /** Number of columns (feature dimensions). */
  dims: number;
}
