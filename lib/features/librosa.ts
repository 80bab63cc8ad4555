/**
 * The `librosa` flavour, step by step in float64: power spectrogram → Slaney
 * mel → `power_to_db(ref=1, amin=1e-10, top_db=80)` → orthonormal DCT-II.
 * Matches librosa 0.10.2's `melspectrogram` + `power_to_db` and
 * `feature.mfcc` (tested against every case in `shared/reference/librosa`).
 *
 * @module
 */
import {
  applyDct,
  applyMelFilterBank,
  dctMatrix,
  type Matrix64,
  melFilterBank,
  powerSpectrogram,
  powerToDb,
} from "../dsp/mod.ts";

/** Spectral parameters shared by the librosa functions. */
export interface SpectralOptions {
  /** Sample rate (Hz). */
  sr: number;
  /** FFT size. */
  nFft: number;
  /** Window length. */
  winLength: number;
  /** Hop length. */
  hopLength: number;
  /** Mel bands. */
  nMels: number;
  /** Lowest mel edge (Hz). */
  fmin: number;
  /** Highest mel edge (Hz). */
  fmax: number;
}

/**
 * `librosa.power_to_db(librosa.feature.melspectrogram(...), ref=1.0,
 * amin=1e-10, top_db=80)`, time-major (frames × nMels).
 */
export function logMelSpectrogram(
  samples: Float32Array,
  o: SpectralOptions,
): Matrix64 {
  const spec = powerSpectrogram(samples, o);
  const bank = melFilterBank(o);
  const mel = applyMelFilterBank(spec.data, spec.frames, bank);
  return { data: powerToDb(mel), frames: spec.frames, dims: o.nMels };
}

/** `librosa.feature.mfcc(...)` (dct_type=2, norm="ortho"), time-major (frames × nMfcc). */
export function mfcc(
  samples: Float32Array,
  o: SpectralOptions & { nMfcc: number },
): Matrix64 {
  const db = logMelSpectrogram(samples, o);
  const data = applyDct(
    db.data,
    db.frames,
    dctMatrix(o.nMfcc, o.nMels),
    o.nMfcc,
  );
  return { data, frames: db.frames, dims: o.nMfcc };
}
