import assert from "node:assert/strict";
import { logMelSpectrogram, mfcc } from "../../lib/features/mod.ts";
import { createRng } from "../../lib/random.ts";
import { referenceLogMel, referenceMfcc } from "./reference.ts";

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Noise plus a few tones with a 60 dB amplitude swing, odd length. */
function signal(n: number, sr: number): Float32Array {
  const rng = createRng("kernel-test");
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const env = 10 ** (-3 * (i / n));
    x[i] = env * (0.5 * Math.sin((2 * Math.PI * 440 * i) / sr) +
      0.2 * Math.sin((2 * Math.PI * 3100 * i) / sr) + 0.05 * rng.normal());
  }
  return x;
}

Deno.test("wasm kernel equals the step-by-step librosa path (≤ 1e-4)", () => {
  const configs = [
    {
      sr: 16000,
      nFft: 512,
      winLength: 400,
      hopLength: 160,
      nMels: 64,
      fmin: 0,
      fmax: 8000,
      nMfcc: 40,
    },
    {
      sr: 22050,
      nFft: 2048,
      winLength: 2048,
      hopLength: 512,
      nMels: 128,
      fmin: 0,
      fmax: 11025,
      nMfcc: 13,
    },
    {
      sr: 8000,
      nFft: 256,
      winLength: 200,
      hopLength: 80,
      nMels: 40,
      fmin: 50,
      fmax: 3800,
      nMfcc: 21,
    },
    {
      sr: 16000,
      nFft: 1024,
      winLength: 1000,
      hopLength: 256,
      nMels: 33,
      fmin: 0,
      fmax: 8000,
      nMfcc: 33,
    },
  ];
  for (const o of configs) {
    for (const n of [1, 300, o.sr + 77]) {
      const x = signal(n, o.sr);
      const a = referenceLogMel(x, o);
      const b = logMelSpectrogram(x, o);
      assert.equal(b.frames, a.frames);
      assert.equal(b.dims, o.nMels);
      assert.ok(maxAbsDiff(a.data, b.data) <= 1e-4, `log-mel ${o.nFft}/${n}`);
      const c = referenceMfcc(x, o);
      const d = mfcc(x, o);
      assert.equal(d.dims, o.nMfcc);
      assert.ok(maxAbsDiff(c.data, d.data) <= 1e-4, `mfcc ${o.nFft}/${n}`);
    }
  }
});

Deno.test("wasm kernel rejects a non-power-of-two FFT size", () => {
  const o = {
    sr: 16000,
    nFft: 400,
    winLength: 400,
    hopLength: 160,
    nMels: 40,
    fmin: 0,
    fmax: 8000,
    nMfcc: 13,
  };
  assert.throws(() => mfcc(new Float32Array(1000), o), /power of two/);
});
