/**
 * Audio input: decoding WAV of every kind (own reader) and mp3/flac/ogg
 * (`audio-decode`), WAV writing, band-limited resampling, mono mixing and the
 * {@linkcode AudioError} every decoder throws.
 *
 * @module
 */
export { AudioError } from "./errors.ts";
export type { AudioInfo, LoadedAudio, LoadOptions } from "./types.ts";
export {
  decodeAudioBytes,
  DEFAULT_SR,
  loadAudio,
  probeAudio,
  readAudioFile,
} from "./decode.ts";
export {
  type AudioShape,
  checkAudioShape,
  sampleRateProblem,
} from "./bounds.ts";
export { decodeWav } from "./wav.ts";
export { mixToMono } from "./mix.ts";
export {
  createStreamResampler,
  resample,
  type StreamResampler,
} from "./resample.ts";
export { encodeWav, type EncodeWavOptions } from "./encode.ts";
export { sniffContainer, type Sniffed } from "./sniff.ts";
export {
  type AudioBundle,
  audioDisplay,
  type AudioDisplayable,
  type AudioDisplayOptions,
} from "./display.ts";
