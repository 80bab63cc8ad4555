/**
 * The DSP core, on librosa's map: window (`filters.get_window`), real FFT,
 * centred framing, STFT (complex, power and inverse: `stft` / `istft`), mel
 * filter banks (`filters.mel`), `power_to_db`, the orthonormal DCT-II,
 * RMS (`feature.rms`) and silence trimming (`effects.trim`). Pure
 * TypeScript in float64; the features' wasm kernel is tested against it.
 *
 * @module
 */
export { hannWindow } from "./window.ts";
export { createRealFft, type RealFft } from "./fft.ts";
export {
  forEachFrame,
  frameCount,
  type FrameOptions,
  requireHopLength,
} from "./frame.ts";
export type { Matrix64 } from "./matrix.ts";
export {
  type ComplexSpectrogram,
  istft,
  type IstftOptions,
  powerSpectrogram,
  stft,
  type StftOptions,
} from "./stft.ts";
export {
  applyMelFilterBank,
  hzToMel,
  type MelFilterBank,
  melFilterBank,
  type MelOptions,
  melToHz,
} from "./mel.ts";
export { powerToDb, type PowerToDbOptions } from "./db.ts";
export { applyDct, dctMatrix } from "./dct.ts";
export { rms, rmsDb, type RmsOptions } from "./rms.ts";
export { trimBounds, type TrimOptions } from "./trim.ts";
