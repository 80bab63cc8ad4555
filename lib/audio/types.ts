/**
 * Shapes shared by the audio decoders.
 *
 * @module
 */

/** Header facts (WAV: from the header only, no full decode; other formats: decode). */
export interface AudioInfo {
  /** The file (or label) the audio came from. */
  path: string;
  /** Container detected from the magic bytes: `wav`, `mp3`, `flac`, `ogg`, … */
  container: "wav" | "mp3" | "flac" | "ogg" | string;
  /** Sample encoding: `pcm8/16/24/32`, `float32/64`, `mulaw`, `alaw` (WAV), or `mp3`, `flac`, `vorbis`, `opus`, … */
  codec: string;
  /** Native sample rate in Hz. */
  sampleRate: number;
  /** Number of channels in the file. */
  channels: number;
  /** Samples per channel. */
  frames: number;
  /** `frames / sampleRate`. */
  durationS: number;
}

/** Options of {@linkcode loadAudio}-style decoding. */
export interface LoadOptions {
  /** Target sample rate (default 16000); `null` keeps the native rate. */
  sr?: number | null;
  /** Mix down to mono (default true); `false` also returns `channelData`. */
  mono?: boolean;
}

/** Decoded audio, mixed to mono and resampled to `sr`. */
export interface LoadedAudio {
  /** Mono samples in [-1, 1] at `sr` (the channel average, also when `mono: false`). */
  samples: Float32Array;
  /** Sample rate of `samples` (and `channelData`). */
  sr: number;
  /** Facts about the source file (native rate, channels, frames). */
  info: AudioInfo;
  /** Every channel at `sr`; only when `mono: false`. */
  channelData?: Float32Array[];
}
