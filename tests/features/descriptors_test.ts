import assert from "node:assert/strict";
import { descriptors } from "../../lib/features/descriptors.ts";

const SR = 16000;
const tone = (hz: number, n = SR) =>
  Float32Array.from(
    { length: n },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / SR),
  );

Deno.test("descriptors: a pure tone's RMS, ZCR, centroid, roll-off and flatness", () => {
  const d = descriptors(tone(1000), SR, { frameSize: 1024, hopSize: 256 });
  assert.equal(d.frames, 1 + Math.floor(SR / 256));
  assert.equal(d.times[4], (4 * 256) / SR);
  const mid = Math.floor(d.frames / 2);
  const s = d.scalars;
  // Meyda measures the Hann-windowed frame: 0.5/√2 · √(3/8).
  assert.ok(
    Math.abs(s.rms![mid] - (0.5 / Math.SQRT2) * Math.sqrt(3 / 8)) < 2e-3,
  );
  // 1 kHz at 16 kHz: 2 crossings per 16 samples → 128 in 1024.
  assert.ok(Math.abs(s.zcr![mid] - 128) <= 2);
  // Centroid in FFT bins: 1000 Hz · 1024 / 16000 = 64.
  assert.ok(Math.abs(s.spectralCentroid![mid] - 64) < 1);
  assert.ok(s.spectralRolloff![mid] > 900 && s.spectralRolloff![mid] < 1200);
  assert.ok(s.spectralFlatness![mid] < 0.05);
});

Deno.test("descriptors: chroma is octave-invariant and pitch-sensitive", () => {
  const peak = (hz: number) => {
    const d = descriptors(tone(hz), SR, {
      frameSize: 4096,
      hopSize: 2048,
      features: ["chroma"],
    });
    assert.equal(d.chroma!.dims, 12);
    assert.deepEqual(Object.keys(d.scalars), []);
    const row = d.chroma!.data.subarray(3 * 12, 4 * 12);
    return row.indexOf(Math.max(...row));
  };
  assert.equal(peak(440), peak(880));
  assert.notEqual(peak(440), peak(523.25));
  assert.throws(
    () => descriptors(tone(440), SR, { features: ["nope" as "rms"] }),
    /unknown feature/,
  );
});
