/**
 * The size bounds every decoder applies (from `lib/limits.ts`), checked on
 * the header facts before samples are decoded or resampled.
 *
 * @module
 */
import {
  MAX_AUDIO_SAMPLES,
  MAX_CHANNELS,
  MAX_DURATION_S,
  MAX_SAMPLE_RATE,
  MIN_SAMPLE_RATE,
} from "../limits.ts";
import { AudioError } from "./errors.ts";

/** The facts a header states about the samples that follow. */
export interface AudioShape {
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Number of channels. */
  channels: number;
  /** Samples per channel (0 or unknown: only rate and channels are checked). */
  frames: number;
}

/** Why `sr` is not a sample rate within the bounds, or null if it is. */
export function sampleRateProblem(sr: number): string | null {
  return Number.isInteger(sr) && sr >= MIN_SAMPLE_RATE && sr <= MAX_SAMPLE_RATE
    ? null
    : `sample rate ${sr} Hz is outside ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz`;
}

/**
 * Throws an {@linkcode AudioError} naming `path` when `shape` (as the
 * `where` says, e.g. `fmt chunk`) is outside the bounds: sample rate,
 * channels, duration or decoded samples.
 */
export function checkAudioShape(
  path: string,
  shape: AudioShape,
  where: string,
): void {
  const { sampleRate, channels, frames } = shape;
  const rate = sampleRateProblem(sampleRate);
  if (rate) throw new AudioError(path, `${rate} (${where})`);
  if (channels > MAX_CHANNELS) {
    throw new AudioError(
      path,
      `${channels} channels (${where}), more than the ${MAX_CHANNELS} supported`,
    );
  }
  const seconds = frames / sampleRate;
  if (seconds > MAX_DURATION_S) {
    throw new AudioError(
      path,
      `${
        seconds.toFixed(1)
      } s of audio (${where}), longer than the ${MAX_DURATION_S} s supported; split the recording`,
    );
  }
  if (frames * channels > MAX_AUDIO_SAMPLES) {
    throw new AudioError(
      path,
      `${frames} frames × ${channels} channels (${where}) is more than the ${MAX_AUDIO_SAMPLES} samples supported (an hour of 48 kHz stereo); resample, mix down or split it`,
    );
  }
}
