/**
 * The `meyda` flavour: Meyda 5.6.3's own MFCC and mel bands, frame by frame
 * on the same centred frames as librosa (`nFft` samples every `hopLength`,
 * `nFft/2` zeros of padding each side).
 *
 * Meyda's MFCC is not librosa's (Meyda issues #315, #301): it windows the
 * whole `nFft` frame with a symmetric Hann (ignoring `winLength`), drops the
 * Nyquist bin, uses HTK-style mel triangles with integer-bin edges spanning
 * 0 … sr/2 (ignoring `fmin`/`fmax`) and without area normalisation, takes
 * `ln(1 + mel power)` (so the result depends on the signal's scale instead
 * of a dB floor), and an unnormalised DCT-II. Measured on the four
 * speech16k librosa reference signals (16 kHz, nFft 512, hop 160, 64 mels,
 * 40 MFCC; `tests/features/meyda_test.ts`), its coefficients are far from
 * librosa's: max |Δ| 511–733 and mean |Δ| 17.0–26.0 in MFCC units, and the
 * per-coefficient correlation over time averages only r = 0.02–0.31, so the
 * two flavours are not interchangeable (a model trained on one must be used
 * with the same one — the config saved with the model guarantees that).
 *
 * @module
 */
import Meyda from "meyda";
import { forEachFrame, type Matrix64 } from "../dsp/mod.ts";

/** Meyda's mutable global settings and the caches it derives from them. */
interface MeydaState {
  bufferSize: number;
  sampleRate: number;
  melBands: number;
  chromaBands: number;
  numberOfMFCCCoefficients: number;
  windowingFunction: string;
  melFilterBank?: unknown;
  barkScale?: unknown;
  chromaFilterBank?: unknown;
  extract(feature: string | string[], signal: Float32Array): unknown;
}

/** The Meyda singleton, typed (its default export is typed as a namespace under Deno). */
const meyda = Meyda as unknown as MeydaState;

/**
 * `Meyda.extract(feature, frame)` with the current settings (see
 * {@linkcode configureMeyda}); `frame.length` must equal the buffer size.
 */
export function meydaExtract(
  feature: string | string[],
  frame: Float32Array,
): unknown {
  return meyda.extract(feature, frame);
}

/** Meyda settings for one extraction. */
export interface MeydaSettings {
  /** Frame (buffer) size, a power of two. */
  bufferSize: number;
  /** Sample rate (Hz). */
  sampleRate: number;
  /** Mel bands (default 26, Meyda's). */
  melBands?: number;
  /** MFCC coefficients, 1 … 40 (default 13, Meyda's). */
  numberOfMFCCCoefficients?: number;
  /** Chroma bands (default 12). */
  chromaBands?: number;
}

/**
 * Sets Meyda's globals and drops its derived filter banks whenever a
 * setting changes (Meyda only rebuilds the mel bank when the band count
 * changes, so a new buffer size or rate would otherwise reuse a stale one).
 */
export function configureMeyda(s: MeydaSettings): void {
  if ((s.bufferSize & (s.bufferSize - 1)) !== 0 || s.bufferSize < 4) {
    throw new Error(
      `Meyda needs a power-of-two buffer size, got ${s.bufferSize}`,
    );
  }
  const m = meyda;
  const next = {
    bufferSize: s.bufferSize,
    sampleRate: s.sampleRate,
    melBands: s.melBands ?? 26,
    numberOfMFCCCoefficients: s.numberOfMFCCCoefficients ?? 13,
    chromaBands: s.chromaBands ?? 12,
    windowingFunction: "hanning",
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) =>
    m[k] !== next[k]
  );
  if (!changed) return;
  Object.assign(m, next);
  delete m.melFilterBank;
  delete m.barkScale;
  delete m.chromaFilterBank;
}

/** Options of the Meyda flavour's features. */
export interface MeydaFeatureOptions {
  /** Sample rate (Hz). */
  sr: number;
  /** Frame size (power of two). */
  nFft: number;
  /** Hop between frames. */
  hopLength: number;
  /** Mel bands. */
  nMels: number;
}

function meydaMatrix(
  samples: Float32Array,
  o: MeydaFeatureOptions,
  nMfcc: number,
  feature: "mfcc" | "melBands",
): Matrix64 {
  configureMeyda({
    bufferSize: o.nFft,
    sampleRate: o.sr,
    melBands: o.nMels,
    numberOfMFCCCoefficients: nMfcc,
  });
  const dims = feature === "mfcc" ? nMfcc : Math.max(o.nMels, nMfcc);
  const rows: ArrayLike<number>[] = [];
  forEachFrame(samples, { frameLength: o.nFft, hopLength: o.hopLength }, (
    frame,
  ) => {
    rows.push(meydaExtract(feature, frame) as number[]);
  });
  const data = new Float64Array(rows.length * dims);
  rows.forEach((r, t) => data.set(r, t * dims));
  return { data, frames: rows.length, dims };
}

/** Meyda's MFCC (frames × nMfcc, nMfcc ≤ 40). */
export function meydaMfcc(
  samples: Float32Array,
  o: MeydaFeatureOptions & { nMfcc: number },
): Matrix64 {
  if (!(o.nMfcc >= 1 && o.nMfcc <= 40 && o.nMfcc <= o.nMels)) {
    throw new Error(
      `Meyda MFCC needs 1 ≤ nMfcc ≤ min(40, nMels), got ${o.nMfcc}`,
    );
  }
  return meydaMatrix(samples, o, o.nMfcc, "mfcc");
}

/** Meyda's mel bands, `ln(1 + mel power)` (frames × nMels). */
export function meydaLogMel(
  samples: Float32Array,
  o: MeydaFeatureOptions,
): Matrix64 {
  return meydaMatrix(samples, o, 1, "melBands");
}
