import assert from "node:assert/strict";
import {
  pitchShift,
  speedPerturb,
  timeStretch,
} from "../../lib/augment/mod.ts";
import { resampleByRatio } from "../../lib/augment/fractional_resample.ts";
import {
  bursts,
  halfCentroids,
  peakFrequency,
  tone,
  zeroCrossingFrequency,
} from "./signals.ts";

const SR = 16000;
const F0 = 440;
/** Two 0.5 s bursts of 440 Hz, energy centroids 1.5 s apart. */
const BURSTS = bursts(F0, SR, 2.5, [[0.25, 0.75], [1.75, 2.25]]);
const [C0, C1] = halfCentroids(BURSTS, SR);

/** Frequency over the steady middle of the first burst, which lasts [0.25, 0.75]·scale s. */
function burstFrequency(y: Float32Array, scale: number): number {
  return zeroCrossingFrequency(
    y,
    SR,
    Math.round(0.35 * scale * SR),
    Math.round(0.65 * scale * SR),
  );
}

function relErr(got: number, want: number): number {
  return Math.abs(got / want - 1);
}

Deno.test("pitchShift moves a tone by the requested semitones within 1% and keeps duration", () => {
  for (const semitones of [-7, -2.5, -1, 1, 3, 12]) {
    const y = pitchShift(BURSTS, { semitones });
    assert.equal(y.length, BURSTS.length, `length at ${semitones} st`);
    const want = F0 * 2 ** (semitones / 12);
    const got = burstFrequency(y, 1);
    assert.ok(
      relErr(got, want) < 0.01,
      `${semitones} st: ${got} Hz, want ${want}`,
    );
    // Measured: within 0.01%.
    assert.ok(
      relErr(got, want) < 1e-4,
      `${semitones} st: ${got} Hz, want ${want}`,
    );
    const [c0, c1] = halfCentroids(y, SR);
    assert.ok(
      relErr(c1 - c0, C1 - C0) < 0.01,
      `${semitones} st: timing ${c1 - c0} s`,
    );
  }
});

Deno.test("pitchShift: a fractional shift of a steady tone, other frame sizes", () => {
  const x = tone(300, SR, 1);
  const y = pitchShift(x, { semitones: 0.5, nFft: 2048, hopLength: 512 });
  const got = zeroCrossingFrequency(y, SR, 2048, y.length - 2048);
  assert.ok(relErr(got, 300 * 2 ** (0.5 / 12)) < 1e-4, `${got}`);
  assert.deepEqual(pitchShift(x, { semitones: 0 }), x);
  assert.throws(
    () => pitchShift(x, { semitones: 1, nFft: 1000 }),
    /pitchShift: option nFft must be a power of two/,
  );
  assert.throws(
    () => pitchShift(x, { semitones: 1, nFft: 512, hopLength: 300 }),
    /hopLength must be at most nFft\/2/,
  );
});

Deno.test("timeStretch changes duration by the rate within 1% and keeps pitch within 1%", () => {
  for (const rate of [0.7, 0.8, 1.25, 1.5, 2]) {
    const y = timeStretch(BURSTS, { rate });
    assert.equal(
      y.length,
      Math.round(BURSTS.length / rate),
      `length at rate ${rate}`,
    );
    const [c0, c1] = halfCentroids(y, SR);
    const want = (C1 - C0) / rate;
    assert.ok(
      relErr(c1 - c0, want) < 0.01,
      `rate ${rate}: ${c1 - c0} s, want ${want}`,
    );
    const got = burstFrequency(y, 1 / rate);
    assert.ok(relErr(got, F0) < 0.01, `rate ${rate}: ${got} Hz`);
    assert.ok(relErr(got, F0) < 1e-4, `rate ${rate}: ${got} Hz`);
  }
});

Deno.test("every partial of a chord: kept by timeStretch, moved by pitchShift, within 0.1%", () => {
  const partials = [300, 1234, 2500];
  const parts = partials.map((f, i) => tone(f, SR, 2.5, 0.3 / (i + 1)));
  const chord = parts[0].map((v, i) => v + parts[1][i] + parts[2][i]);
  const check = (y: Float32Array, scale: number, what: string) => {
    for (const f of partials) {
      const want = f * scale;
      const got = peakFrequency(y, SR, want * 0.9, want * 1.1);
      assert.ok(relErr(got, want) < 1e-3, `${what}: ${got} Hz, want ${want}`);
    }
  };
  for (const rate of [0.8, 1.25]) {
    check(timeStretch(chord, { rate }), 1, `rate ${rate}`);
  }
  for (const semitones of [-2, 3]) {
    check(
      pitchShift(chord, { semitones }),
      2 ** (semitones / 12),
      `${semitones} st`,
    );
  }
});

Deno.test("timeStretch keeps the level of a steady tone", () => {
  const x = tone(440, SR, 1, 0.5);
  for (const rate of [0.75, 1.3]) {
    const y = timeStretch(x, { rate });
    let power = 0;
    const from = 2048;
    const to = y.length - 2048;
    for (let i = from; i < to; i++) power += y[i] * y[i];
    const rms = Math.sqrt(power / (to - from));
    assert.ok(
      Math.abs(rms / (0.5 / Math.SQRT2) - 1) < 0.02,
      `rate ${rate}: rms ${rms}`,
    );
  }
  assert.deepEqual(timeStretch(x, { rate: 1 }), x);
  assert.throws(
    () => timeStretch(x, { rate: 0 }),
    /timeStretch: option rate must be > 0/,
  );
});

Deno.test("speedPerturb changes tempo and pitch together", () => {
  for (const factor of [0.9, 1.1, 1.0371]) {
    const y = speedPerturb(BURSTS, { factor });
    assert.equal(y.length, Math.round(BURSTS.length / factor));
    const got = burstFrequency(y, 1 / factor);
    assert.ok(relErr(got, F0 * factor) < 1e-4, `factor ${factor}: ${got} Hz`);
    const [c0, c1] = halfCentroids(y, SR);
    assert.ok(
      relErr(c1 - c0, (C1 - C0) / factor) < 1e-3,
      `factor ${factor}: ${c1 - c0} s`,
    );
  }
  assert.throws(
    () => speedPerturb(BURSTS, { factor: -1 }),
    /speedPerturb: option factor must be > 0/,
  );
});

Deno.test("resampleByRatio is band-limited: it removes what the new rate cannot hold", () => {
  // 6 kHz at 16 kHz resampled to 8 kHz (Nyquist 4 kHz) must vanish, 1 kHz must stay.
  const high = resampleByRatio(tone(6000, SR, 0.5), 0.5);
  const low = resampleByRatio(tone(1000, SR, 0.5), 0.5);
  const rms = (x: Float32Array) =>
    Math.sqrt(
      x.slice(400, -400).reduce((a, v) => a + v * v, 0) / (x.length - 800),
    );
  // Measured: 6 kHz at −137 dB, 1 kHz at 0.00 dB (stop-band ≤ −72 dB from 4.2 kHz).
  assert.ok(rms(high) < 1e-5 * 0.3536, `aliased rms ${rms(high)}`);
  assert.ok(Math.abs(rms(low) / 0.3536 - 1) < 1e-3, `passband rms ${rms(low)}`);
  // Upsampling a sine by 3 reproduces the same sine at the new rate.
  const up = resampleByRatio(tone(440, SR, 0.5), 3);
  const ref = tone(440, 3 * SR, 0.5);
  let maxErr = 0;
  for (let i = 2000; i < up.length - 2000; i++) {
    maxErr = Math.max(maxErr, Math.abs(up[i] - ref[i]));
  }
  assert.ok(maxErr < 1e-5, `max error ${maxErr}`); // measured 1.8e-7
});
