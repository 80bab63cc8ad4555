/**
 * Per-frame descriptors for exploring audio in notebooks, computed by Meyda:
 * RMS, zero-crossing rate, spectral centroid, roll-off, flatness and chroma.
 *
 * @module
 */
import { forEachFrame } from "../dsp/mod.ts";
import { configureMeyda, meydaExtract } from "./meyda.ts";

/** Descriptors with one number per frame. */
export type ScalarDescriptor =
  | "rms"
  | "zcr"
  | "spectralCentroid"
  | "spectralRolloff"
  | "spectralFlatness";

/** Every descriptor {@linkcode descriptors} can compute. */
export type DescriptorName = ScalarDescriptor | "chroma";

/** Options for {@linkcode descriptors}. */
export interface DescriptorOptions {
  /** Frame size in samples, a power of two (default 2048). */
  frameSize?: number;
  /** Hop between frames in samples (default frameSize / 4). */
  hopSize?: number;
  /** Which descriptors (default all). */
  features?: DescriptorName[];
  /** Chroma bins per octave (default 12). */
  chromaBands?: number;
}

/** Per-frame descriptor values. */
export interface Descriptors {
  /** Number of frames (centred: frame t covers time `times[t]`). */
  frames: number;
  /** Centre time of each frame in seconds. */
  times: Float64Array;
  /**
   * One array of length `frames` per scalar descriptor, in Meyda's units:
   * `rms` (linear), `zcr` (crossings per frame), `spectralCentroid` (FFT
   * bin index), `spectralRolloff` (Hz), `spectralFlatness` (0 … 1, NaN on
   * digital silence).
   */
  scalars: Partial<Record<ScalarDescriptor, Float32Array>>;
  /** Chroma, time-major `frames × chromaBands`, each frame scaled to max 1. */
  chroma?: { data: Float32Array; frames: number; dims: number };
}

const ALL: DescriptorName[] = [
  "rms",
  "zcr",
  "spectralCentroid",
  "spectralRolloff",
  "spectralFlatness",
  "chroma",
];

/**
 * Computes Meyda descriptors on centred frames of mono `samples` at `sr`
 * (the same framing as the features: `frameSize/2` zeros padded each side).
 */
export function descriptors(
  samples: Float32Array,
  sr: number,
  options: DescriptorOptions = {},
): Descriptors {
  const frameSize = options.frameSize ?? 2048;
  const hopSize = options.hopSize ?? frameSize / 4;
  const features = options.features ?? ALL;
  const chromaBands = options.chromaBands ?? 12;
  if (features.length === 0) {
    throw new Error("descriptors: no features requested");
  }
  for (const f of features) {
    if (!ALL.includes(f)) {
      throw new Error(`descriptors: unknown feature "${f}"`);
    }
  }
  configureMeyda({ bufferSize: frameSize, sampleRate: sr, chromaBands });
  const rows: Record<string, unknown>[] = [];
  const frames = forEachFrame(samples, {
    frameLength: frameSize,
    hopLength: hopSize,
  }, (frame) => {
    rows.push(meydaExtract(features, frame) as Record<string, unknown>);
  });
  const times = new Float64Array(frames);
  for (let t = 0; t < frames; t++) times[t] = (t * hopSize) / sr;
  const out: Descriptors = { frames, times, scalars: {} };
  for (const f of features) {
    if (f === "chroma") {
      const data = new Float32Array(frames * chromaBands);
      rows.forEach((r, t) => data.set(r.chroma as number[], t * chromaBands));
      out.chroma = { data, frames, dims: chromaBands };
    } else {
      out.scalars[f] = Float32Array.from(rows, (r) => r[f] as number);
    }
  }
  return out;
}
