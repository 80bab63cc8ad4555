/**
 * Test helper: the librosa 0.10.2 reference cases in `shared/reference/librosa`
 * (inputs decoded with lib/audio, parameters parsed from the recorded calls),
 * and the step-by-step float64 path of the librosa flavour on the DSP core
 * (power spectrogram → Slaney mel → `power_to_db` → orthonormal DCT-II) that
 * the wasm kernel behind `mfcc` is checked against.
 *
 * @module
 */
import * as path from "node:path";
import { decodeWav } from "../../lib/audio/mod.ts";
import { LIBROSA_REFERENCE_DIR } from "../../lib/paths.ts";
import {
  applyDct,
  applyMelFilterBank,
  dctMatrix,
  type Matrix64,
  melFilterBank,
  powerSpectrogram,
  powerToDb,
} from "../../lib/dsp/mod.ts";
import type { SpectralOptions } from "../../lib/features/mod.ts";
import { hasLibrosaReference } from "../shared.ts";

/** One reference case: its input signal, parameters and librosa's outputs (dims × frames). */
export interface ReferenceCase {
  name: string;
  samples: Float32Array;
  options: SpectralOptions & { nMfcc: number };
  mfcc: number[][];
  delta: number[][];
  melDb: number[][];
  /** `[topDb, [start, end]]` for every recorded trim. */
  trims: [number, [number, number]][];
}

/**
 * `logMelSpectrogram` step by step on the DSP core (frames × nMels, dB).
 */
export function referenceLogMel(
  y: Float32Array,
  o: SpectralOptions,
): Matrix64 {
  const spec = powerSpectrogram(y, o);
  const mel = applyMelFilterBank(spec.data, spec.frames, melFilterBank(o));
  return { data: powerToDb(mel), frames: spec.frames, dims: o.nMels };
}

/** `mfcc` step by step on the DSP core (frames × nMfcc). */
export function referenceMfcc(
  y: Float32Array,
  o: SpectralOptions & { nMfcc: number },
): Matrix64 {
  const db = referenceLogMel(y, o);
  const data = applyDct(
    db.data,
    db.frames,
    dctMatrix(o.nMfcc, o.nMels),
    o.nMfcc,
  );
  return { data, frames: db.frames, dims: o.nMfcc };
}

/** Parses `name=value` keyword arguments out of a recorded librosa call. */
function callArgs(call: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of call.split("#")[0].matchAll(/(\w+)=([0-9.]+)/g)) {
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** Loads every case listed in index.json (empty if the folder is absent). */
export function loadReferenceCases(): ReferenceCase[] {
  if (!hasLibrosaReference()) return [];
  const index = JSON.parse(
    Deno.readTextFileSync(path.join(LIBROSA_REFERENCE_DIR, "index.json")),
  ) as { cases: string[] };
  return index.cases.map((file) => {
    const c = JSON.parse(
      Deno.readTextFileSync(path.join(LIBROSA_REFERENCE_DIR, file)),
    );
    const wav = path.join(LIBROSA_REFERENCE_DIR, c.input_wav);
    const decoded = decodeWav(Deno.readFileSync(wav), wav);
    const sr = decoded.sampleRate;
    const a = callArgs(c.calls.mfcc);
    if (a.sr !== sr) {
      throw new Error(`${file}: call sr ${a.sr} != WAV rate ${sr}`);
    }
    const nFft = a.n_fft ?? 2048;
    return {
      name: c.name,
      samples: decoded.channelData[0],
      options: {
        sr,
        nFft,
        winLength: a.win_length ?? nFft,
        hopLength: a.hop_length ?? 512,
        nMels: a.n_mels ?? 128,
        fmin: a.fmin ?? 0,
        fmax: a.fmax ?? sr / 2,
        nMfcc: a.n_mfcc ?? 20,
      },
      mfcc: c.mfcc,
      delta: c.delta,
      melDb: c.melspectrogram_db,
      trims: Object.keys(c).filter((k) => k.startsWith("trim_top_db_")).map((
        k,
      ) => [Number(k.slice("trim_top_db_".length)), c[k]]),
    };
  });
}

/** Max and mean |ours − ref|, `ours` time-major, `ref` feature-major (dims × frames). */
export function compareToReference(
  ours: ArrayLike<number>,
  frames: number,
  dims: number,
  ref: number[][],
): { max: number; mean: number } {
  if (ref.length !== dims || ref[0].length !== frames) {
    throw new Error(
      `shape ${frames}×${dims} != reference ${ref[0]?.length}×${ref.length}`,
    );
  }
  let max = 0;
  let sum = 0;
  for (let d = 0; d < dims; d++) {
    for (let t = 0; t < frames; t++) {
      const e = Math.abs(ours[t * dims + d] - ref[d][t]);
      if (e > max) max = e;
      sum += e;
    }
  }
  return { max, mean: sum / (dims * frames) };
}
