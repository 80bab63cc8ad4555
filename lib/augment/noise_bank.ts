/**
 * A noise bank: background-noise clips read from a folder, for
 * {@linkcode addBankNoise}.
 *
 * @module
 */
import { loadAudio } from "../audio/mod.ts";
import { walkFiles } from "../paths.ts";

/** One noise clip. */
export interface NoiseClip {
  /** The file it was read from. */
  path: string;
  /** Mono samples at the bank's rate. */
  samples: Float32Array;
}

/** Noise clips, all at one sample rate. */
export interface NoiseBank {
  /** Sample rate of every clip in Hz. */
  sr: number;
  /** The clips, sorted by path. */
  clips: NoiseClip[];
}

/** Options for {@linkcode loadNoiseBank}. */
export interface LoadNoiseBankOptions {
  /** Rate to resample every clip to (default 16000). */
  sr?: number;
}

/**
 * Reads every `.wav` below `dir` (recursively, sorted) as a mono clip at
 * `sr`. Throws if the folder cannot be read or holds no WAV files, and names
 * the file if one cannot be decoded or is silent (all zeros: it could not
 * reach any SNR).
 */
export async function loadNoiseBank(
  dir: string,
  options: LoadNoiseBankOptions = {},
): Promise<NoiseBank> {
  const sr = options.sr ?? 16000;
  if (!Number.isInteger(sr) || sr <= 0) {
    throw new Error(
      `loadNoiseBank: option sr must be a positive integer, got ${sr}`,
    );
  }
  let files: string[];
  try {
    files = walkFiles(dir, [".wav"]);
  } catch (err) {
    throw new Error(
      `${dir}: cannot read the noise folder: ${
        err instanceof Error ? err.message : err
      }`,
      { cause: err },
    );
  }
  if (files.length === 0) {
    throw new Error(`${dir}: no .wav files in the noise folder`);
  }
  const clips: NoiseClip[] = [];
  for (const path of files) {
    const { samples } = await loadAudio(path, { sr });
    if (!samples.some((v) => v !== 0)) {
      throw new Error(`${path}: noise clip is empty or silent (all zeros)`);
    }
    clips.push({ path, samples });
  }
  return { sr, clips };
}
