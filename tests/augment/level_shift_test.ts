import assert from "node:assert/strict";
import { gain, timeShift } from "../../lib/augment/mod.ts";

const X = Float32Array.from([0.1, -0.2, 0.3, -0.4, 0.5]);

Deno.test("gain scales by 10^(dB/20) and does not clip", () => {
  const up = gain(X, { gainDb: 20 });
  assert.deepEqual(
    Array.from(up),
    Array.from(X).map((v) => Math.fround(v * 10)),
  );
  const half = gain(X, { gainDb: -20 * Math.log10(2) });
  for (let i = 0; i < X.length; i++) {
    assert.ok(Math.abs(half[i] - X[i] / 2) < 1e-7);
  }
  assert.equal(up[4], 5); // beyond 1: no clipping
  assert.throws(
    () => gain(X, { gainDb: Infinity }),
    /gain: option gainDb must be a finite number/,
  );
  assert.throws(
    () => gain(new Float32Array(0), { gainDb: 1 }),
    /gain: input is empty/,
  );
});

Deno.test("timeShift rolls circularly or fills with zeros", () => {
  const sr = 10; // one sample = 0.1 s
  const roll = (s: number) => Array.from(timeShift(X, { shiftSeconds: s, sr }));
  const zero = (s: number) =>
    Array.from(timeShift(X, { shiftSeconds: s, sr, mode: "zero" }));
  const f = (a: number[]) => a.map(Math.fround);
  assert.deepEqual(roll(0.2), f([-0.4, 0.5, 0.1, -0.2, 0.3]));
  assert.deepEqual(roll(-0.1), f([-0.2, 0.3, -0.4, 0.5, 0.1]));
  assert.deepEqual(roll(0.7), roll(0.2)); // 7 samples ≡ 2 (mod 5)
  assert.deepEqual(zero(0.2), f([0, 0, 0.1, -0.2, 0.3]));
  assert.deepEqual(zero(-0.3), f([-0.4, 0.5, 0, 0, 0]));
  assert.deepEqual(zero(0.9), [0, 0, 0, 0, 0]);
  assert.deepEqual(zero(-0.9), [0, 0, 0, 0, 0]);
  assert.deepEqual(zero(0.04), Array.from(X)); // rounds to 0 samples
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => timeShift(X, { shiftSeconds: 0.1, sr, mode: "wrap" as any }),
    /timeShift: option mode must be "roll" or "zero", got wrap/,
  );
  assert.throws(
    () => timeShift(X, { shiftSeconds: 0.1, sr: 0 }),
    /timeShift: option sr must be > 0/,
  );
});
