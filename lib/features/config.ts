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
import { createHash } from "node:crypto";

/** Which implementation computes the spectra, MFCC and log-mel features. */
export type FeatureFlavour = "librosa" | "meyda";

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
  normalize: "utterance" | "none";
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

/** Keys of {@linkcode FeatureConfig} in a fixed order (for hashing). */
const CONFIG_KEYS: readonly (keyof FeatureConfig)[] = [
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

/**
 * A stable 16-hex-digit hash of the config (SHA-256 of its canonical JSON
 * with keys in a fixed order), for cache keys and model cards.
 */
export function featureConfigHash(config: FeatureConfig): string {
  return hashKeys(config, CONFIG_KEYS);
}

/**
 * Hash of the fields that change the extracted (not yet cropped or padded)
 * features: every field but `frames`, which `fixLength` applies afterwards.
 * The feature cache is keyed by it, so changing the model's input length
 * reuses cached features instead of extracting them again.
 */
export function extractionConfigHash(config: FeatureConfig): string {
  return hashKeys(config, CONFIG_KEYS.filter((k) => k !== "frames"));
}

function hashKeys(
  config: FeatureConfig,
  keys: readonly (keyof FeatureConfig)[],
): string {
  const canonical = JSON.stringify(keys.map((k) => [k, config[k]]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/**
 * Checks a config (e.g. one read from a model card) and returns it typed;
 * throws an Error naming `source` and the first bad field.
 */
export function validateFeatureConfig(
  value: unknown,
  source = "feature config",
): FeatureConfig {
  const fail = (reason: string): never => {
    throw new Error(`${source}: ${reason}`);
  };
  if (typeof value !== "object" || value === null) fail("not an object");
  const c = value as Record<string, unknown>;
  if (c.version !== 1) fail(`unsupported version ${String(c.version)}`);
  if (c.flavour !== "librosa" && c.flavour !== "meyda") {
    fail(`flavour must be "librosa" or "meyda", got ${String(c.flavour)}`);
  }
  if (c.kind !== "mfcc" && c.kind !== "logmel") {
    fail(`kind must be "mfcc" or "logmel", got ${String(c.kind)}`);
  }
  for (
    const k of [
      "sr",
      "nFft",
      "winLength",
      "hopLength",
      "nMels",
      "nMfcc",
      "frames",
    ] as const
  ) {
    const v = c[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
      fail(`${k} must be a positive integer, got ${String(v)}`);
    }
  }
  const n = c as unknown as FeatureConfig;
  if (n.winLength > n.nFft) fail(`winLength ${n.winLength} > nFft ${n.nFft}`);
  if (n.nFft < 8 || (n.nFft & (n.nFft - 1)) !== 0) {
    fail(`nFft must be a power of two ≥ 8, got ${n.nFft}`);
  }
  if (n.flavour === "meyda" && n.kind === "mfcc" && n.nMfcc > 40) {
    fail(`meyda flavour computes at most 40 MFCC, got nMfcc ${n.nMfcc}`);
  }
  if (typeof c.fmin !== "number" || typeof c.fmax !== "number") {
    fail("fmin and fmax must be numbers");
  }
  if (!(n.fmin >= 0 && n.fmin < n.fmax && n.fmax <= n.sr / 2)) {
    fail(`need 0 ≤ fmin < fmax ≤ sr/2, got fmin=${n.fmin} fmax=${n.fmax}`);
  }
  if (n.kind === "mfcc" && n.nMfcc > n.nMels) {
    fail(`nMfcc ${n.nMfcc} > nMels ${n.nMels}`);
  }
  if (c.deltaOrder !== 0 && c.deltaOrder !== 1 && c.deltaOrder !== 2) {
    fail(`deltaOrder must be 0, 1 or 2, got ${String(c.deltaOrder)}`);
  }
  if (
    c.trimTopDb !== null &&
    (typeof c.trimTopDb !== "number" || !(c.trimTopDb > 0))
  ) fail(`trimTopDb must be a positive number or null`);
  if (c.normalize !== "utterance" && c.normalize !== "none") {
    fail(`normalize must be "utterance" or "none", got ${String(c.normalize)}`);
  }
  return { ...n };
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
