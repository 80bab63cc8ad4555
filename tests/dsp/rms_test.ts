import assert from "node:assert/strict";
import { rms } from "../../lib/dsp/mod.ts";
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
