import assert from "node:assert/strict";
import { trimBounds } from "../../lib/dsp/mod.ts";
import { createRng } from "../../lib/random.ts";

/** librosa.effects.trim's definition, frame by frame, for comparison. */
function naiveTrim(
  x: Float32Array,
  topDb: number,
  frameLength: number,
  hop: number,
): [number, number] {
  const pad = Math.floor(frameLength / 2);
  const frames = 1 + Math.floor((x.length + 2 * pad - frameLength) / hop);
  const ms: number[] = [];
  for (let t = 0; t < frames; t++) {
    let s = 0;
    for (let i = t * hop - pad; i < t * hop - pad + frameLength; i++) {
      if (i >= 0 && i < x.length) s += x[i] * x[i];
    }
    ms.push(s / frameLength);
  }
  const ref = 10 * Math.log10(Math.max(1e-10, Math.max(...ms)));
  const loud = ms.map((v) =>
    10 * Math.log10(Math.max(1e-10, v)) - ref > -topDb
  );
  const first = loud.indexOf(true);
  const last = loud.lastIndexOf(true);
  return first < 0
    ? [0, 0]
    : [first * hop, Math.min(x.length, (last + 1) * hop)];
}

Deno.test("trimBounds equals the frame-by-frame definition for any framing", () => {
  const rng = createRng("trim-test");
  for (
    const [frameLength, hop] of [[2048, 512], [300, 128], [1000, 250], [
      512,
      160,
    ]]
  ) {
    for (let k = 0; k < 5; k++) {
      const n = rng.int(1, 20000);
      const x = new Float32Array(n);
      const a = rng.int(0, n);
      const b = rng.int(a, n + 1);
      for (let i = 0; i < n; i++) {
        x[i] = (i >= a && i < b ? 0.5 : 0.0005) * rng.normal();
      }
      for (const topDb of [20, 40, 60]) {
        assert.deepEqual(
          trimBounds(x, { topDb, frameLength, hopLength: hop }),
          naiveTrim(x, topDb, frameLength, hop),
          `n=${n} frame=${frameLength} hop=${hop} topDb=${topDb}`,
        );
      }
    }
  }
});

Deno.test("trimBounds keeps a quiet tail after a long loud part (-55 dB vs top_db 60)", () => {
  const sr = 16000;
  const loud = 60 * sr;
  const x = new Float32Array(loud + 2 * sr);
  for (let i = 0; i < loud; i++) x[i] = Math.sin(0.05 * i);
  const quiet = 10 ** (-55 / 20);
  for (let i = loud; i < loud + sr; i++) x[i] = quiet * Math.sin(0.05 * i);
  const [start, end] = trimBounds(x, { topDb: 60 });
  assert.equal(start, 0);
  // The quiet second is kept; the silent one is cut (within a frame).
  assert.ok(end >= loud + sr && end <= loud + sr + 2048, `end ${end}`);
  assert.deepEqual(trimBounds(new Float32Array(0)), [0, 0]);
  assert.deepEqual(
    trimBounds(new Float32Array(5000)),
    [0, 5000],
    "digital silence is all 'loud' relative to itself",
  );
});
