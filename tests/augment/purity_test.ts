import assert from "node:assert/strict";
import {
  addBankNoise,
  addNoise,
  addPinkNoise,
  addWhiteNoise,
  freqMask,
  gain,
  type NoiseBank,
  pitchShift,
  type RngSource,
  speedPerturb,
  timeMask,
  timeShift,
  timeStretch,
  whiteNoise,
} from "../../lib/augment/mod.ts";
import { tone } from "./signals.ts";

const SR = 16000;
const BANK: NoiseBank = {
  sr: SR,
  clips: [{ path: "a", samples: whiteNoise(3000, 1) }, {
    path: "b",
    samples: whiteNoise(5000, 2),
  }],
};

type Transform = (x: Float32Array) => Float32Array;

/** Every transform, with fixed parameters; the seeded ones as functions of the seed. */
const DETERMINISTIC: Record<string, Transform> = {
  addNoise: (x) => addNoise(x, { noise: whiteNoise(100, 3), snrDb: 5 }),
  gain: (x) => gain(x, { gainDb: -4 }),
  timeShift: (x) => timeShift(x, { shiftSeconds: 0.01, sr: SR }),
  speedPerturb: (x) => speedPerturb(x, { factor: 1.07 }),
  timeStretch: (x) => timeStretch(x, { rate: 0.9 }),
  pitchShift: (x) => pitchShift(x, { semitones: 1.5 }),
};

const SEEDED: Record<
  string,
  (x: Float32Array, rng: RngSource) => Float32Array
> = {
  addWhiteNoise: (x, rng) => addWhiteNoise(x, { snrDb: 10, rng }),
  addPinkNoise: (x, rng) => addPinkNoise(x, { snrDb: 10, rng }),
  addBankNoise: (x, rng) =>
    addBankNoise(x, { bank: BANK, sr: SR, snrDb: 10, rng }),
  timeMask: (x, rng) => timeMask(x, { dims: 10, width: 3, rng }),
  freqMask: (x, rng) => freqMask(x, { dims: 10, width: 2, rng }),
};

function input(): Float32Array {
  const x = tone(330, SR, 0.2);
  for (let i = 0; i < x.length; i++) x[i] += 0.1 * Math.sin(i * 0.37);
  return x;
}

Deno.test("every transform leaves its input unchanged and returns a new array", () => {
  const all: Record<string, Transform> = { ...DETERMINISTIC };
  for (const [name, fn] of Object.entries(SEEDED)) all[name] = (x) => fn(x, 42);
  for (const [name, fn] of Object.entries(all)) {
    const x = input();
    const copy = x.slice();
    const y = fn(x);
    assert.deepEqual(x, copy, `${name} mutated its input`);
    assert.ok(y instanceof Float32Array, name);
    assert.notEqual(y.buffer, x.buffer, `${name} returned a view of its input`);
    assert.notDeepEqual(y, x, `${name} changed nothing`);
    assert.ok(y.every(Number.isFinite), `${name} produced non-finite samples`);
  }
});

Deno.test("deterministic transforms give identical output on every call", () => {
  for (const [name, fn] of Object.entries(DETERMINISTIC)) {
    assert.deepEqual(fn(input()), fn(input()), name);
  }
});

Deno.test("seeded transforms: same seed → identical output, different seed → different", () => {
  for (const [name, fn] of Object.entries(SEEDED)) {
    assert.deepEqual(fn(input(), 1), fn(input(), 1), `${name} seed 1`);
    assert.deepEqual(fn(input(), "a"), fn(input(), "a"), `${name} seed a`);
    assert.notDeepEqual(fn(input(), 1), fn(input(), 2), `${name} seeds 1, 2`);
  }
});
