/**
 * Energy levels for prediction: is a whole recording silent, and which
 * sliding windows of it are, from the {@linkcode rmsDb} of stretches of it.
 *
 * @module
 */
import { rmsDb } from "../dsp/mod.ts";

/**
 * A recording is silent when its loudest 50 ms stretch has an RMS below this
 * level (dB re full scale). −70 dBFS is about 10 steps of 16-bit PCM; quiet
 * studio speech (RAVDESS) sits near −45 dBFS, its pauses near −100 dBFS.
 */
export const SILENT_CLIP_DBFS = -70;

/**
 * Default threshold of {@linkcode silentWindows}: a window whose RMS is more
 * than this many dB below the loudest window's is silent.
 */
export const DEFAULT_SILENCE_DB = 30;

/**
 * Level of the loudest 50 ms stretch of `samples` at rate `sr` (dBFS): the
 * maximum RMS over 50 ms blocks hopped by 25 ms (the whole signal if it is
 * shorter).
 */
export function peakLevelDb(samples: Float32Array, sr: number): number {
  const block = Math.max(1, Math.round(0.05 * sr));
  if (samples.length <= block) return rmsDb(samples);
  const hop = Math.max(1, block >> 1);
  let best = -Infinity;
  for (let start = 0; start + block <= samples.length; start += hop) {
    best = Math.max(best, rmsDb(samples, start, start + block));
  }
  return best;
}

/** A window as sample indices `[start, end)`. */
export interface SampleSpan {
  /** First sample. */
  start: number;
  /** One past the last sample. */
  end: number;
}

/**
 * Marks silent windows: a window is silent when its RMS level is more than
 * `silenceDb` below the loudest window's. The loudest window is therefore
 * never silent (a recording that is silent throughout is refused earlier, by
 * {@linkcode peakLevelDb} against {@linkcode SILENT_CLIP_DBFS}).
 */
export function silentWindows(
  samples: Float32Array,
  windows: readonly SampleSpan[],
  silenceDb: number = DEFAULT_SILENCE_DB,
): boolean[] {
  return silentLevels(
    windows.map((w) => rmsDb(samples, w.start, w.end)),
    silenceDb,
  );
}

/**
 * The rule of {@linkcode silentWindows} on window levels (RMS in dBFS): a
 * level more than `silenceDb` below the loudest is silent. The live page
 * applies it to the windows heard so far.
 */
export function silentLevels(
  levels: readonly number[],
  silenceDb: number = DEFAULT_SILENCE_DB,
): boolean[] {
  const loudest = Math.max(...levels);
  return levels.map((l) => !(l >= loudest - silenceDb));
}
