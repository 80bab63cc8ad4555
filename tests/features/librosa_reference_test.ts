import assert from "node:assert/strict";
import * as path from "node:path";
import { LIBROSA_REFERENCE_DIR } from "../../lib/paths.ts";
import { hasLibrosaReference } from "../shared.ts";
import { logMelSpectrogram, mfcc } from "../../lib/features/librosa.ts";
import { delta } from "../../lib/features/delta.ts";
import { trimBounds } from "../../lib/features/trim.ts";

interface ReferenceCase {
  name: string;
  input_wav: string;
  calls: Record<string, string>;
  mfcc: number[][];
  delta: number[][];
  melspectrogram_db: number[][];
  [key: string]: unknown;
}

/** Throwaway 32-bit float WAV reader (until lib/audio lands). */
function readFloatWav(file: string): { samples: Float32Array; sr: number } {
  const b = Deno.readFileSync(file);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 12;
  let sr = 0;
  while (p + 8 <= b.length) {
    const id = String.fromCharCode(...b.subarray(p, p + 4));
    const size = v.getUint32(p + 4, true);
    if (id === "fmt ") sr = v.getUint32(p + 12, true);
    if (id === "data") {
      const n = size / 4;
      const s = new Float32Array(n);
      for (let i = 0; i < n; i++) s[i] = v.getFloat32(p + 8 + 4 * i, true);
      return { samples: s, sr };
    }
    p += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

/** Parses `name=value` keyword arguments out of a recorded librosa call. */
function callArgs(call: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of call.split("#")[0].matchAll(/(\w+)=([0-9.]+)/g)) {
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** Max and mean |a − b| where `ref` is feature-major (dims × frames). */
function compare(
  ours: Float64Array,
  frames: number,
  dims: number,
  ref: number[][],
) {
  assert.equal(ref.length, dims);
  assert.equal(ref[0].length, frames);
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

const cases: ReferenceCase[] = hasLibrosaReference()
  ? (JSON.parse(
    Deno.readTextFileSync(path.join(LIBROSA_REFERENCE_DIR, "index.json")),
  ).cases as string[]).map((c) =>
    JSON.parse(Deno.readTextFileSync(path.join(LIBROSA_REFERENCE_DIR, c)))
  )
  : [];

Deno.test({
  name: "librosa flavour matches librosa 0.10.2 on every reference case",
  ignore: !hasLibrosaReference(),
  fn() {
    assert.ok(cases.length >= 8);
    const rows: string[] = [];
    for (const c of cases) {
      const { samples, sr } = readFloatWav(
        path.join(LIBROSA_REFERENCE_DIR, c.input_wav),
      );
      const a = callArgs(c.calls.mfcc);
      assert.equal(a.sr, sr, `${c.name}: sample rate`);
      const nFft = a.n_fft ?? 2048;
      const o = {
        sr,
        nFft,
        winLength: a.win_length ?? nFft,
        hopLength: a.hop_length ?? 512,
        nMels: a.n_mels ?? 128,
        fmin: a.fmin ?? 0,
        fmax: a.fmax ?? sr / 2,
        nMfcc: a.n_mfcc ?? 20,
      };
      const db = logMelSpectrogram(samples, o);
      const m = mfcc(samples, o);
      const d = delta(m.data, m.frames, m.dims, { order: 1 });
      const eDb = compare(db.data, db.frames, db.dims, c.melspectrogram_db);
      const eMfcc = compare(m.data, m.frames, m.dims, c.mfcc);
      const eDelta = compare(d, m.frames, m.dims, c.delta);
      let trimErr = 0;
      for (
        const key of Object.keys(c).filter((k) => k.startsWith("trim_top_db_"))
      ) {
        const topDb = Number(key.slice("trim_top_db_".length));
        const [s, e] = trimBounds(samples, { topDb });
        const ref = c[key] as [number, number];
        trimErr = Math.max(trimErr, Math.abs(s - ref[0]), Math.abs(e - ref[1]));
      }
      rows.push(
        `${c.name.padEnd(48)} melDb max=${eDb.max.toExponential(2)} mean=${
          eDb.mean.toExponential(2)
        } | mfcc max=${eMfcc.max.toExponential(2)} mean=${
          eMfcc.mean.toExponential(2)
        } | delta max=${eDelta.max.toExponential(2)} mean=${
          eDelta.mean.toExponential(2)
        } | trim max=${trimErr} samples`,
      );
      assert.ok(eDb.max <= 1e-3, `${c.name}: log-mel max error ${eDb.max} dB`);
      assert.ok(eMfcc.max <= 1e-2, `${c.name}: MFCC max error ${eMfcc.max}`);
      assert.ok(eDelta.max <= 1e-3, `${c.name}: delta max error ${eDelta.max}`);
      assert.equal(trimErr, 0, `${c.name}: trim bounds`);
    }
    console.log(rows.join("\n"));
  },
});
