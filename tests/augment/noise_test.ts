import assert from "node:assert/strict";
import * as path from "node:path";
import { encodeWav } from "../../lib/audio/mod.ts";
import {
  addBankNoise,
  addNoise,
  addPinkNoise,
  addWhiteNoise,
  loadNoiseBank,
  type NoiseBank,
  pinkNoise,
  whiteNoise,
} from "../../lib/augment/mod.ts";
import { createRng } from "../../lib/random.ts";
import { measuredSnrDb, octaveSlopeDb, tone } from "./signals.ts";

const SR = 16000;
const SNRS = [-5, 0, 5, 10, 20, 40];

/** A speech-like test signal: two tones with a slow amplitude swell. */
function signal(): Float32Array {
  const a = tone(220, SR, 1, 0.4);
  const b = tone(1375, SR, 1, 0.1);
  return a.map((v, i) =>
    (v + b[i]) * (0.3 + 0.7 * Math.sin(Math.PI * i / a.length))
  );
}

Deno.test("addWhiteNoise and addPinkNoise reach the requested SNR within 0.5 dB", () => {
  const x = signal();
  for (const snrDb of SNRS) {
    for (const add of [addWhiteNoise, addPinkNoise]) {
      const y = add(x, { snrDb, rng: `snr:${snrDb}` });
      const got = measuredSnrDb(x, y);
      assert.ok(
        Math.abs(got - snrDb) < 0.5,
        `${add.name} at ${snrDb} dB measured ${got}`,
      );
      assert.ok(
        Math.abs(got - snrDb) < 1e-3,
        `mixing gain exact: ${got} vs ${snrDb}`,
      );
    }
  }
});

Deno.test("addNoise tiles a short noise and scales it to the SNR", () => {
  const x = signal();
  const noise = Float32Array.from([0.5, -0.25, 0.125]);
  const y = addNoise(x, { noise, snrDb: 6 });
  assert.ok(Math.abs(measuredSnrDb(x, y) - 6) < 1e-3);
  // Tiled: the added noise repeats with period 3 and the ratio 0.5 : −0.25.
  const d = (i: number) => y[i] - x[i];
  assert.ok(Math.abs(d(0) / d(1) + 2) < 1e-3);
  assert.ok(Math.abs(d(3) - d(0)) < 1e-6);
});

Deno.test("addNoise returns silent input unchanged and rejects silent noise", () => {
  const silent = new Float32Array(100);
  const y = addWhiteNoise(silent, { snrDb: 10, rng: 1 });
  assert.deepEqual(y, silent);
  assert.notEqual(y, silent);
  assert.throws(
    () => addNoise(signal(), { noise: new Float32Array(10), snrDb: 10 }),
    /addNoise: the noise is silent/,
  );
  assert.throws(
    () => addNoise(signal(), { noise: new Float32Array(10), snrDb: NaN }),
    /addNoise: option snrDb must be a finite number/,
  );
});

Deno.test("pink noise falls by 3 dB per octave, white noise is flat", () => {
  for (const seed of [1, 2]) {
    const pink = octaveSlopeDb(pinkNoise(1 << 17, seed), SR, 31.25);
    const white = octaveSlopeDb(whiteNoise(1 << 17, seed), SR, 31.25);
    // 1/f power: 10·log10(2) = 3.01 dB less per octave.
    assert.ok(Math.abs(pink + 3.01) < 0.25, `pink slope ${pink} dB/octave`);
    assert.ok(Math.abs(white) < 0.25, `white slope ${white} dB/octave`);
  }
});

Deno.test("noise generators: unit variance, seeded", () => {
  for (const gen of [whiteNoise, pinkNoise]) {
    const a = gen(50000, "s");
    let mean = 0;
    let power = 0;
    for (const v of a) {
      mean += v / a.length;
      power += v * v / a.length;
    }
    assert.ok(Math.abs(power - 1) < 0.03, `${gen.name} power ${power}`);
    assert.ok(Math.abs(mean) < 0.05, `${gen.name} mean ${mean}`);
    assert.deepEqual(gen(1000, "s"), gen(1000, "s"));
    assert.notDeepEqual(gen(1000, "t"), gen(1000, "s"));
    // A generator passed in is advanced: two calls differ.
    const rng = createRng(5);
    assert.notDeepEqual(gen(100, rng), gen(100, rng));
  }
});

function bank(): NoiseBank {
  return {
    sr: SR,
    clips: [
      { path: "hum", samples: tone(50, SR, 0.3, 0.2) },
      { path: "hiss", samples: whiteNoise(SR / 2, 9) },
    ],
  };
}

Deno.test("addBankNoise reaches the requested SNR within 0.5 dB", () => {
  const x = signal();
  for (const snrDb of SNRS) {
    for (let seed = 0; seed < 4; seed++) {
      const y = addBankNoise(x, { bank: bank(), sr: SR, snrDb, rng: seed });
      const got = measuredSnrDb(x, y);
      assert.ok(
        Math.abs(got - snrDb) < 0.5,
        `bank at ${snrDb} dB measured ${got}`,
      );
    }
  }
  assert.throws(
    () => addBankNoise(x, { bank: bank(), sr: 22050, snrDb: 0, rng: 1 }),
    /input sample rate 22050 Hz differs from the noise bank's 16000 Hz/,
  );
  assert.throws(
    () =>
      addBankNoise(x, {
        bank: { sr: SR, clips: [] },
        sr: SR,
        snrDb: 0,
        rng: 1,
      }),
    /noise bank has no clips/,
  );
});

Deno.test("addBankNoise uses clips from the bank, chosen by the seed", () => {
  const x = signal();
  const b = bank();
  const picked = new Set<string>();
  for (let seed = 0; seed < 12; seed++) {
    const d = addBankNoise(x, { bank: b, sr: SR, snrDb: 0, rng: seed }).map((
      v,
      i,
    ) => v - x[i]);
    // The hum clip repeats every 320 samples (50 Hz); the hiss does not.
    const periodic =
      Math.abs(d[1000] - d[1320]) < 1e-4 * Math.max(1e-9, Math.abs(d[1000]));
    picked.add(periodic ? "hum" : "hiss");
  }
  assert.deepEqual([...picked].sort(), ["hiss", "hum"]);
});

Deno.test("loadNoiseBank reads every WAV below a folder at the requested rate", async () => {
  const dir = await Deno.makeTempDir({ prefix: "noise-bank-" });
  try {
    await Deno.mkdir(path.join(dir, "sub"));
    await Deno.writeFile(
      path.join(dir, "b.wav"),
      encodeWav(whiteNoise(8000, 1).map((v) => v * 0.1), 8000),
    );
    await Deno.writeFile(
      path.join(dir, "sub", "a.wav"),
      encodeWav(tone(100, 32000, 0.5, 0.3), 32000),
    );
    await Deno.writeTextFile(path.join(dir, "notes.txt"), "not audio");
    const b = await loadNoiseBank(dir, { sr: SR });
    assert.equal(b.sr, SR);
    assert.deepEqual(b.clips.map((c) => path.relative(dir, c.path)), [
      "b.wav",
      path.join("sub", "a.wav"),
    ]);
    // 1 s at 8 kHz and 0.5 s at 32 kHz: 16000 and 8000 samples at 16 kHz.
    assert.deepEqual(b.clips.map((c) => c.samples.length), [16000, 8000]);
    const y = addBankNoise(signal(), { bank: b, sr: SR, snrDb: 3, rng: 2 });
    assert.ok(Math.abs(measuredSnrDb(signal(), y) - 3) < 0.5);

    await Deno.writeFile(
      path.join(dir, "silent.wav"),
      encodeWav(new Float32Array(100), SR),
    );
    await assert.rejects(
      () => loadNoiseBank(dir),
      /silent\.wav: noise clip is empty or silent/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadNoiseBank names the folder when it is missing or has no WAVs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "noise-bank-" });
  try {
    await assert.rejects(
      () => loadNoiseBank(dir),
      (err: Error) =>
        err.message.includes(dir) && /no \.wav files/.test(err.message),
    );
    const missing = path.join(dir, "nope");
    await assert.rejects(
      () => loadNoiseBank(missing),
      (err: Error) =>
        err.message.startsWith(`${missing}: cannot read the noise folder`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bandLimit passes the telephone band and attenuates what is outside it", async () => {
  const { bandLimit } = await import("../../lib/augment/mod.ts");
  const sr = 16000;
  const tone = (hz: number) =>
    Float32Array.from(
      { length: sr },
      (_, i) => Math.sin(2 * Math.PI * hz * i / sr),
    );
  const level = (x: Float32Array) => {
    let s = 0;
    for (let i = sr / 2; i < x.length; i++) s += x[i] * x[i];
    return 10 * Math.log10(s / (x.length - sr / 2));
  };
  const gainDb = (hz: number) =>
    level(bandLimit(tone(hz), { sr })) - level(tone(hz));
  assert.ok(Math.abs(gainDb(1000)) < 0.5, `1 kHz: ${gainDb(1000)} dB`);
  assert.ok(gainDb(100) < -30, `100 Hz: ${gainDb(100)} dB`);
  assert.ok(gainDb(6000) < -20, `6 kHz: ${gainDb(6000)} dB`);
  assert.throws(
    () => bandLimit(tone(100), { sr, highHz: 9000 }),
    /highHz < sr \/ 2/,
  );
});
