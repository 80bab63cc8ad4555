import assert from "node:assert/strict";
import { rms, rmsDb } from "../../lib/dsp/mod.ts";
import { createRng } from "../../lib/random.ts";

Deno.test("rms equals librosa.feature.rms's definition frame by frame", () => {
  const rng = createRng("rms-test");
  for (
    const [frameLength, hopLength] of [[2048, 512], [300, 128], [513, 100]]
  ) {
    const n = rng.int(1, 20000);
    const y = Float32Array.from({ length: n }, () => rng.normal());
    const got = rms(y, { frameLength, hopLength });
    const pad = Math.floor(frameLength / 2);
    assert.equal(
      got.length,
      1 + Math.floor((n + 2 * pad - frameLength) / hopLength),
    );
    for (let t = 0; t < got.length; t++) {
      let s = 0;
      for (
        let i = t * hopLength - pad;
        i < t * hopLength - pad + frameLength;
        i++
      ) {
        if (i >= 0 && i < n) s += y[i] * y[i];
      }
      const want = Math.sqrt(s / frameLength);
      assert.ok(
        Math.abs(got[t] - want) <= 1e-12 * Math.max(1, want),
        `frame ${t}: ${got[t]} vs ${want}`,
      );
    }
  }
});

Deno.test("rmsDb: a full-scale sine is −3.01 dBFS, digital silence −∞", () => {
  const x = Float32Array.from(
    { length: 16000 },
    (_, i) => Math.sin(2 * Math.PI * 440 * i / 16000),
  );
  assert.ok(Math.abs(rmsDb(x) - -3.0103) < 1e-3);
  assert.ok(Math.abs(rmsDb(x, 1000, 9000) - -3.0103) < 1e-3);
  assert.equal(rmsDb(new Float32Array(100)), -Infinity);
});
