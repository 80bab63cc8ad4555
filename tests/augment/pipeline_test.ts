import assert from "node:assert/strict";
import {
  createAugmentPipeline,
  type FeatureStep,
  isTrainingFold,
  mapTrainingFold,
  markTrainingFold,
  type TrainingFold,
  type WaveformStep,
  whiteNoise,
} from "../../lib/augment/mod.ts";
import { measuredSnrDb, tone } from "./signals.ts";

const SR = 16000;

interface Clip {
  id: string;
  samples: Float32Array;
  sr: number;
}

function clips(n: number): Clip[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `clip${i}`,
    samples: tone(200 + 50 * i, SR, 0.25),
    sr: SR,
  }));
}

const STEPS: WaveformStep[] = [
  { transform: "gain", probability: 0.5, ranges: { gainDb: [-6, 6] } },
  { transform: "whiteNoise", probability: 0.5, ranges: { snrDb: [10, 30] } },
  {
    transform: "timeShift",
    probability: 0.5,
    options: { mode: "zero" },
    ranges: { shiftSeconds: [-0.05, 0.05] },
  },
  { transform: "pitchShift", probability: 0.3, ranges: { semitones: [-2, 2] } },
];

Deno.test("same seed and epoch give identical output; another seed or epoch differs", () => {
  const fold = markTrainingFold(clips(8));
  const a = createAugmentPipeline(STEPS, 7).apply(fold, { epoch: 1 });
  const b = createAugmentPipeline(STEPS, 7).apply(fold, { epoch: 1 });
  assert.deepEqual(a, b);
  const otherSeed = createAugmentPipeline(STEPS, 8).apply(fold, { epoch: 1 });
  const otherEpoch = createAugmentPipeline(STEPS, 7).apply(fold, { epoch: 2 });
  assert.notDeepEqual(otherSeed, a);
  assert.notDeepEqual(otherEpoch, a);
  // An example's draws do not depend on the rest of the fold.
  const single = createAugmentPipeline(STEPS, 7).apply(
    markTrainingFold(clips(8).slice(0, 3)),
    { epoch: 1 },
  );
  assert.deepEqual(single, a.slice(0, 3));
  // Changing the step objects afterwards does not change a made pipeline.
  const options = { gainDb: 6 };
  const step = { transform: "gain" as const, probability: 1, options };
  const pipeline = createAugmentPipeline([step], 1);
  const before = pipeline.apply(fold);
  options.gainDb = -6;
  step.probability = 0;
  assert.deepEqual(pipeline.apply(fold), before);
});

Deno.test("forFold augments single items exactly as apply does, and only the fold's", () => {
  const fold = markTrainingFold(clips(5));
  const pipeline = createAugmentPipeline(STEPS, 11);
  const all = pipeline.apply(fold, { epoch: 3 });
  const augmenter = pipeline.forFold(fold);
  assert.equal(augmenter.size, 5);
  for (const i of [4, 0, 2]) assert.deepEqual(augmenter.example(i, 3), all[i]);
  assert.throws(
    () => augmenter.example(5, 0),
    /example index 5 is outside the training fold \(0 … 4\)/,
  );
  assert.throws(
    () => augmenter.example(0, -1),
    /epoch must be an integer >= 0/,
  );
  const forged = clips(2) as unknown as TrainingFold<Clip>;
  assert.throws(
    () => pipeline.forFold(forged),
    /only accepts the training fold/,
  );
});

Deno.test("apply keeps other fields and the input fold unchanged, and returns a training fold", () => {
  const items = clips(6);
  const copies = items.map((c) => c.samples.slice());
  const fold = markTrainingFold(items);
  const out = createAugmentPipeline(STEPS, "x").apply(fold);
  assert.ok(isTrainingFold(out));
  assert.ok(Object.isFrozen(out));
  assert.deepEqual(out.map((c) => c.id), items.map((c) => c.id));
  fold.forEach((c, i) => assert.deepEqual(c.samples, copies[i]));
  assert.ok(
    out.some((c, i) => c.samples !== fold[i].samples),
    "something was augmented",
  );
});

Deno.test("probability 0 never runs a step, probability 1 always does, with parameters from the range", () => {
  const fold = markTrainingFold(clips(20));
  const never = createAugmentPipeline([{
    transform: "gain",
    probability: 0,
    options: { gainDb: 6 },
  }], 1).apply(fold);
  never.forEach((c, i) => assert.equal(c.samples, fold[i].samples));
  const always = createAugmentPipeline([{
    transform: "gain",
    probability: 1,
    ranges: { gainDb: [-3, 3] },
  }], 1).apply(fold);
  const gains = always.map((c, i) =>
    20 * Math.log10(c.samples[10] / fold[i].samples[10])
  );
  for (const g of gains) {
    assert.ok(g >= -3 - 1e-4 && g <= 3 + 1e-4, `gain ${g} dB outside [-3, 3]`);
  }
  assert.ok(
    Math.max(...gains) - Math.min(...gains) > 2,
    "gains are spread over the range",
  );
});

Deno.test("a bank-noise step mixes bank clips at SNRs drawn from its range", () => {
  const fold = markTrainingFold(clips(6));
  const bank = { sr: SR, clips: [{ path: "n", samples: whiteNoise(1000, 4) }] };
  const out = createAugmentPipeline([{
    transform: "bankNoise",
    probability: 1,
    options: { bank },
    ranges: { snrDb: [5, 15] },
  }], 2).apply(fold);
  const snrs = out.map((c, i) => measuredSnrDb(fold[i].samples, c.samples));
  for (const snr of snrs) {
    assert.ok(snr >= 5 - 1e-3 && snr <= 15 + 1e-3, `SNR ${snr}`);
  }
  assert.ok(
    Math.max(...snrs) - Math.min(...snrs) > 3,
    "SNRs are spread over the range",
  );
  const wrongRate = markTrainingFold([{
    samples: tone(200, 8000, 0.1),
    sr: 8000,
  }]);
  assert.throws(
    () =>
      createAugmentPipeline([{
        transform: "bankNoise",
        probability: 1,
        options: { bank, snrDb: 0 },
      }], 2).apply(wrongRate),
    /input sample rate 8000 Hz differs from the noise bank's 16000 Hz/,
  );
});

Deno.test("half the examples run a probability-0.5 step", () => {
  const fold = markTrainingFold(
    clips(200).map((c) => ({ ...c, samples: c.samples.subarray(0, 16) })),
  );
  const out = createAugmentPipeline([{
    transform: "gain",
    probability: 0.5,
    options: { gainDb: 1 },
  }], 3).apply(fold);
  const ran = out.filter((c, i) => c.samples !== fold[i].samples).length;
  // Binomial(200, 0.5): mean 100, sd 7.1.
  assert.ok(ran > 70 && ran < 130, `${ran} of 200`);
});

Deno.test("feature pipelines apply SpecAugment with integer ranges", () => {
  const dims = 8;
  const frames = 30;
  const steps: FeatureStep[] = [
    {
      transform: "timeMask",
      probability: 1,
      options: { maskValue: "zero" },
      ranges: { width: { int: [2, 4] } },
    },
    {
      transform: "freqMask",
      probability: 1,
      options: { maskValue: "zero" },
      ranges: { width: { int: [1, 1] } },
    },
  ];
  const features = new Float32Array(frames * dims).fill(1);
  const fold = markTrainingFold([{ features, dims, label: "happy" }]);
  const seen = new Set<number>();
  for (let epoch = 0; epoch < 30; epoch++) {
    const [out] = createAugmentPipeline(steps, 5).apply(fold, { epoch });
    const zeros = out.features.filter((v) => v === 0).length;
    // A time mask of w frames and one masked dim: w·dims + (frames − w) cells.
    const w = (zeros - frames) / (dims - 1);
    assert.ok(
      Number.isInteger(w) && w >= 2 && w <= 4,
      `epoch ${epoch}: ${zeros} zeros`,
    );
    seen.add(w);
    assert.equal(out.label, "happy");
  }
  assert.deepEqual([...seen].sort(), [2, 3, 4]);
});

Deno.test("apply refuses anything but a training fold, at compile time and at run time", () => {
  const pipeline = createAugmentPipeline(STEPS, 1);
  const plain = clips(2);
  const applyPlain = () =>
    // @ts-expect-error a plain array is not a TrainingFold
    pipeline.apply(plain);
  assert.throws(
    applyPlain,
    /only accepts the training fold made by the split in lib\/train/,
  );
  const forged = Object.freeze(clips(2)) as unknown as TrainingFold<Clip>;
  assert.throws(() => pipeline.apply(forged), /only accepts the training fold/);
  assert.throws(
    () => mapTrainingFold(forged, (c) => c),
    /mapTrainingFold: only accepts the training fold/,
  );
  // mapTrainingFold keeps the mark.
  const loaded = mapTrainingFold(
    markTrainingFold(["a", "b"]),
    (id) => ({ id, samples: tone(300, SR, 0.1), sr: SR }),
  );
  assert.ok(isTrainingFold(loaded));
  assert.equal(pipeline.apply(loaded).length, 2);
  // A feature pipeline does not take waveform examples.
  const featurePipeline = createAugmentPipeline([{
    transform: "timeMask",
    probability: 1,
    options: { width: 1 },
  }], 1);
  const applyWaveform = () =>
    // @ts-expect-error waveform examples have no `features`
    featurePipeline.apply(loaded);
  assert.throws(
    applyWaveform,
    /training item 0 has no Float32Array features/,
  );
});

Deno.test("createAugmentPipeline rejects malformed steps", () => {
  const bad = (steps: unknown[], pattern: RegExp) =>
    assert.throws(
      () => createAugmentPipeline(steps as WaveformStep[], 1),
      pattern,
    );
  bad(
    [{ transform: "reverb", probability: 1 }],
    /step 0: unknown transform reverb/,
  );
  bad(
    [{ transform: "gain", probability: 1.5, options: { gainDb: 1 } }],
    /step 0 \(gain\): probability must be in \[0, 1\]/,
  );
  bad(
    [{ transform: "gain", probability: 1 }],
    /step 0 \(gain\): option gainDb is required/,
  );
  bad([{
    transform: "gain",
    probability: 1,
    options: { gainDb: 1 },
    ranges: { gainDb: [0, 1] },
  }], /gainDb is both fixed and ranged/);
  bad(
    [{ transform: "gain", probability: 1, ranges: { gainDb: [2, 1] } }],
    /range for gainDb must be/,
  );
  bad([{
    transform: "gain",
    probability: 1,
    ranges: { gainDb: { int: [0.5, 2] } },
  }], /range for gainDb must be/);
  bad([{
    transform: "timeShift",
    probability: 1,
    options: { shiftSeconds: 0 },
    ranges: { mode: [0, 1] },
  }], /mode cannot be drawn from a range/);
  bad(
    [{ transform: "gain", probability: 1, options: { gainDb: 1, db: 2 } }],
    /unknown option db/,
  );
  bad(
    [{ transform: "gain", probability: 1, options: { gainDb: 1 } }, {
      transform: "timeMask",
      probability: 1,
      options: { width: 1 },
    }],
    /mix waveform and feature-level transforms/,
  );
});
