/**
 * Mel filter banks exactly as librosa 0.10.2's `librosa.filters.mel(htk=False,
 * norm="slaney")` (Slaney's mel scale, area-normalised triangles, weights
 * rounded to float32 like librosa's default dtype), stored sparsely, and
 * their application to a power spectrogram.
 *
 * @module
 */

/** Options for {@linkcode melFilterBank}. */
export interface MelOptions {
  /** Sample rate (Hz). */
  sr: number;
  /** FFT size. */
  nFft: number;
  /** Number of mel bands. */
  nMels: number;
  /** Lowest edge (Hz), default 0. */
  fmin?: number;
  /** Highest edge (Hz), default sr / 2. */
  fmax?: number;
}

/**
 * A sparse mel filter bank: band `m` has weights `weights[offsets[m] …
 * offsets[m + 1])` for FFT bins `starts[m]`, `starts[m] + 1`, ….
 */
export interface MelFilterBank {
  /** Number of mel bands. */
  nMels: number;
  /** Number of FFT bins (`nFft / 2 + 1`). */
  bins: number;
  /** First non-zero bin of each band. */
  starts: Int32Array;
  /** Start of each band's weights in `weights` (length nMels + 1). */
  offsets: Int32Array;
  /** Concatenated non-zero weights. */
  weights: Float64Array;
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

/** Hz → mel on Slaney's scale (`librosa.hz_to_mel(htk=False)`). */
export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ
    ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP
    : hz / F_SP;
}

/** Mel → Hz on Slaney's scale (`librosa.mel_to_hz(htk=False)`). */
export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL
    ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL))
    : F_SP * mel;
}

/** librosa's Slaney-normalised mel filter bank, stored sparsely. */
export function melFilterBank(options: MelOptions): MelFilterBank {
  const { sr, nFft, nMels } = options;
  const fmin = options.fmin ?? 0;
  const fmax = options.fmax ?? sr / 2;
  if (!(nMels > 0 && nFft > 0 && fmin >= 0 && fmin < fmax && fmax <= sr / 2)) {
    throw new Error(
      `melFilterBank: bad parameters sr=${sr} nFft=${nFft} nMels=${nMels} fmin=${fmin} fmax=${fmax}`,
    );
  }
  const bins = Math.floor(nFft / 2) + 1;
  const fftFreqs = new Float64Array(bins);
  const step = sr / 2 / (bins - 1);
  for (let k = 0; k < bins; k++) fftFreqs[k] = k * step;
  const minMel = hzToMel(fmin);
  const maxMel = hzToMel(fmax);
  const melF = new Float64Array(nMels + 2);
  const melStep = (maxMel - minMel) / (nMels + 1);
  for (let i = 0; i < nMels + 2; i++) melF[i] = melToHz(minMel + i * melStep);
  const starts = new Int32Array(nMels);
  const offsets = new Int32Array(nMels + 1);
  const values: number[] = [];
  for (let m = 0; m < nMels; m++) {
    const lowDiff = melF[m + 1] - melF[m];
    const highDiff = melF[m + 2] - melF[m + 1];
    const enorm = 2 / (melF[m + 2] - melF[m]);
    let first = -1;
    let last = -1;
    const row = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const lower = (fftFreqs[k] - melF[m]) / lowDiff;
      const upper = (melF[m + 2] - fftFreqs[k]) / highDiff;
      const w = Math.max(0, Math.min(lower, upper));
      // librosa stores the triangle in float32, then scales it in float64
      // and stores the product in float32 again.
      row[k] = Math.fround(Math.fround(w) * enorm);
      if (row[k] !== 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    offsets[m] = values.length;
    if (first >= 0) {
      starts[m] = first;
      for (let k = first; k <= last; k++) values.push(row[k]);
    }
  }
  offsets[nMels] = values.length;
  return { nMels, bins, starts, offsets, weights: Float64Array.from(values) };
}

/**
 * Applies `bank` to a time-major power spectrogram (frames × bins) and
 * returns the mel power spectrogram (frames × nMels), float64.
 */
export function applyMelFilterBank(
  power: Float64Array,
  frames: number,
  bank: MelFilterBank,
): Float64Array {
  const { nMels, bins, starts, offsets, weights } = bank;
  const out = new Float64Array(frames * nMels);
  for (let t = 0; t < frames; t++) {
    const p = t * bins;
    for (let m = 0; m < nMels; m++) {
      let acc = 0;
      const o0 = offsets[m];
      const n = offsets[m + 1] - o0;
      const s = p + starts[m];
      for (let i = 0; i < n; i++) acc += weights[o0 + i] * power[s + i];
      out[t * nMels + m] = acc;
    }
  }
  return out;
}
