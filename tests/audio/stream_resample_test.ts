/** The stream resampler: chunks in, the whole-signal `resample` out. */
import assert from "node:assert/strict";
import { createStreamResampler, resample } from "../../lib/audio/mod.ts";

Deno.test("stream resampler: any chunking gives resample of the whole signal", () => {
  for (const [from, to] of [[48000, 16000], [44100, 16000], [8000, 16000]]) {
    const x = Float32Array.from(
      { length: from * 2 + 17 },
      (_, i) => 0.5 * Math.sin(i * 0.01) + 0.2 * Math.sin(i * 0.3),
    );
    const whole = resample(x, from, to);
    const r = createStreamResampler(from, to);
    const parts: Float32Array[] = [];
    const sizes = [128, 1, 4096, 999];
    for (let i = 0, k = 0; i < x.length; i += sizes[k++ % 4]) {
      parts.push(r.push(x.subarray(i, i + sizes[k % 4])));
    }
    parts.push(r.flush());
    const got = parts.flatMap((p) => [...p]);
    assert.equal(got.length, whole.length, `${from} → ${to}`);
    const diff = Math.max(...got.map((v, i) => Math.abs(v - whole[i])));
    assert.ok(diff < 1e-6, `${from} → ${to}: ${diff}`);
  }
});

Deno.test("stream resampler: equal rates pass chunks through", () => {
  const r = createStreamResampler(16000, 16000);
  assert.deepEqual([...r.push(new Float32Array([1, 2]))], [1, 2]);
  assert.equal(r.flush().length, 0);
});
