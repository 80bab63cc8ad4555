import assert from "node:assert/strict";
import {
  forEachFrame,
  frameCount,
  istft,
  powerSpectrogram,
  stft,
} from "../../lib/dsp/mod.ts";
import { createRng } from "../../lib/random.ts";

function noise(n: number, seed: string): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => 0.3 * rng.normal());
}

Deno.test("forEachFrame: librosa's centred frame count and zero padding", () => {
  const y = Float32Array.from({ length: 10 }, (_, i) => i + 1);
  const frames: number[][] = [];
  const n = forEachFrame(y, { frameLength: 4, hopLength: 3 }, (f) => {
    frames.push([...f]);
  });
  assert.equal(n, frameCount(10, 4, 3));
  assert.equal(n, 4); // 1 + floor((10 + 4 - 4) / 3)
  assert.deepEqual(frames, [
    [0, 0, 1, 2],
    [2, 3, 4, 5],
    [5, 6, 7, 8],
    [8, 9, 10, 0],
  ]);
  assert.throws(
    () => forEachFrame(y, { frameLength: 4, hopLength: 0 }, () => {}),
    /forEachFrame: hopLength must be a positive integer, got 0/,
  );
});

Deno.test("powerSpectrogram is |stft|² bit for bit, frames × (nFft/2 + 1)", () => {
  const y = noise(5001, "stft-power");
  for (
    const o of [
      { nFft: 512, winLength: 400, hopLength: 160 },
      { nFft: 256 },
    ]
  ) {
    const c = stft(y, o);
    const p = powerSpectrogram(y, o);
    assert.equal(p.frames, c.frames);
    assert.equal(p.dims, c.bins);
    assert.equal(c.bins, o.nFft / 2 + 1);
    const hop = o.hopLength ?? o.nFft / 4;
    assert.equal(c.frames, 1 + Math.floor(y.length / hop));
    for (let i = 0; i < p.data.length; i++) {
      assert.equal(p.data[i], c.re[i] ** 2 + c.im[i] ** 2);
    }
  }
});

Deno.test("powerSpectrogram: a sine's energy peaks in its bin", () => {
  const sr = 8000;
  const y = Float32Array.from(
    { length: 4000 },
    (_, i) => Math.sin(2 * Math.PI * 1000 * i / sr),
  );
  const p = powerSpectrogram(y, { nFft: 256, winLength: 200, hopLength: 64 });
  const row = p.data.subarray(10 * p.dims, 11 * p.dims);
  const peak = row.indexOf(Math.max(...row));
  assert.equal(peak, 1000 * 256 / sr);
});

Deno.test("istft inverts stft (Hann, hop ≤ nFft/2) to float32 precision", () => {
  const y = noise(12345, "istft");
  for (const [nFft, hopLength] of [[1024, 256], [512, 256], [256, 100]]) {
    const back = istft(stft(y, { nFft, hopLength }), {
      hopLength,
      length: y.length,
    });
    assert.equal(back.length, y.length);
    let err = 0;
    for (let i = 0; i < y.length; i++) {
      err = Math.max(err, Math.abs(back[i] - y[i]));
    }
    assert.ok(err < 1e-6, `nFft ${nFft} hop ${hopLength}: max error ${err}`);
  }
  // Default length: (frames − 1) · hopLength, librosa's.
  const spec = stft(y, { nFft: 512 });
  assert.equal(istft(spec).length, (spec.frames - 1) * 128);
  // A longer requested length is zero beyond the last frame's end.
  const long = istft(spec, { length: y.length + 1000 });
  assert.equal(long.length, y.length + 1000);
  const lastEnd = (spec.frames - 1) * 128 + 256;
  assert.ok(lastEnd < long.length);
  assert.ok(long.subarray(lastEnd).every((v) => v === 0));
  assert.ok(long.subarray(0, y.length).some((v) => v !== 0));
});
