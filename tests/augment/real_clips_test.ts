import assert from "node:assert/strict";
import * as path from "node:path";
import { loadAudio } from "../../lib/audio/mod.ts";
import {
  addBankNoise,
  addPinkNoise,
  addWhiteNoise,
  createAugmentPipeline,
  loadNoiseBank,
  markTrainingFold,
  pitchShift,
  speedPerturb,
  timeStretch,
} from "../../lib/augment/mod.ts";
import { stft } from "../../lib/dsp/mod.ts";
import { SHARED_RAVDESS_DIR, walkFiles } from "../../lib/paths.ts";
import { hasShared } from "../shared.ts";
import { measuredSnrDb } from "./signals.ts";

const SR = 16000;

/** The first four clips of actor 01, at 16 kHz. */
async function speech(): Promise<Float32Array[]> {
  const files = walkFiles(path.join(SHARED_RAVDESS_DIR, "Actor_01"), [".wav"])
    .slice(0, 4);
  return await Promise.all(
    files.map(async (f) => (await loadAudio(f, { sr: SR })).samples),
  );
}

/** Spectral centroid (Hz) and mean frame power of `x`. */
function spectrum(x: Float32Array): { centroid: number; power: number } {
  const s = stft(x, { nFft: 2048, hopLength: 512 });
  let num = 0;
  let den = 0;
  for (let t = 0; t < s.frames; t++) {
    for (let k = 0; k < s.bins; k++) {
      const p = s.re[t * s.bins + k] ** 2 + s.im[t * s.bins + k] ** 2;
      num += p * k * SR / 2048;
      den += p;
    }
  }
  return { centroid: num / den, power: den / s.frames };
}

Deno.test({
  name:
    "real speech: white, pink and babble noise at the requested SNR within 0.5 dB",
  ignore: !hasShared(),
  fn: async () => {
    const clips = await speech();
    // Actor 02's clips as a babble-noise bank for actor 01.
    const bank = await loadNoiseBank(
      path.join(SHARED_RAVDESS_DIR, "Actor_02"),
      { sr: SR },
    );
    assert.equal(bank.clips.length, 60);
    clips.forEach((x, i) => {
      for (const snrDb of [0, 10, 20]) {
        const mixes = [
          addWhiteNoise(x, { snrDb, rng: i }),
          addPinkNoise(x, { snrDb, rng: i }),
          addBankNoise(x, { bank, sr: SR, snrDb, rng: i }),
        ];
        for (const y of mixes) {
          assert.ok(Math.abs(measuredSnrDb(x, y) - snrDb) < 0.5);
        }
      }
    });
  },
});

Deno.test({
  name:
    "real speech: time stretch keeps the level (phase locking), speed and pitch change as promised",
  ignore: !hasShared(),
  fn: async () => {
    for (const x of await speech()) {
      const ref = spectrum(x);
      for (const rate of [0.8, 1.25]) {
        const y = timeStretch(x, { rate });
        assert.equal(y.length, Math.round(x.length / rate));
        // Measured −0.4 … −0.8 dB; without phase locking −3.2 … −4.3 dB.
        const db = 10 * Math.log10(spectrum(y).power / ref.power);
        assert.ok(
          Math.abs(db) < 1.5,
          `rate ${rate}: level ${db.toFixed(2)} dB`,
        );
      }
      for (const factor of [0.9, 1.1]) {
        const y = speedPerturb(x, { factor });
        // Every frequency × factor: so is the spectral centroid (measured within 1.2%).
        const ratio = spectrum(y).centroid / ref.centroid / factor;
        assert.ok(
          Math.abs(ratio - 1) < 0.025,
          `factor ${factor}: centroid ratio ${ratio}`,
        );
      }
      const shifted = pitchShift(x, { semitones: 2 });
      assert.equal(shifted.length, x.length);
      assert.ok(shifted.every(Number.isFinite));
    }
  },
});

Deno.test({
  name: "real speech: a waveform pipeline over a training fold is reproducible",
  ignore: !hasShared(),
  fn: async () => {
    const fold = markTrainingFold(
      (await speech()).map((samples) => ({ samples, sr: SR })),
    );
    const pipeline = createAugmentPipeline([
      { transform: "pinkNoise", probability: 0.8, ranges: { snrDb: [5, 20] } },
      {
        transform: "speedPerturb",
        probability: 0.5,
        ranges: { factor: [0.9, 1.1] },
      },
      {
        transform: "pitchShift",
        probability: 0.5,
        ranges: { semitones: [-2, 2] },
      },
    ], "real");
    const a = pipeline.apply(fold, { epoch: 4 });
    assert.deepEqual(a, pipeline.apply(fold, { epoch: 4 }));
    assert.ok(a.every((c) => c.samples.every(Number.isFinite)));
    assert.ok(a.some((c, i) => c.samples !== fold[i].samples));
  },
});
