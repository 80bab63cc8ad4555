import assert from "node:assert/strict";
import * as path from "node:path";
import {
  detectCorpus,
  ensureDemoCorpus,
  generateSyntheticCorpus,
  listAudioFiles,
  profileFor,
  readSyntheticManifest,
  scanCorpus,
  summarizeScan,
  type SynthEmotion,
  synthesizeClip,
} from "../../lib/corpora/mod.ts";
import { planUtterance } from "../../lib/corpora/synth_plan.ts";
import { actorVoice, STATEMENTS } from "../../lib/corpora/synth_profiles.ts";
import { rmsDb } from "../../lib/dsp/mod.ts";
import { createRng } from "../../lib/random.ts";

const SMALL = {
  actors: 2,
  statements: 1,
  repetitions: 1,
  progress: false,
} as const;

async function corpusHash(dir: string): Promise<string> {
  const h: string[] = [];
  for (const f of listAudioFiles(dir)) {
    const digest = await crypto.subtle.digest("SHA-256", Deno.readFileSync(f));
    h.push(
      path.relative(dir, f) + ":" +
        [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0"))
          .join(""),
    );
  }
  return h.join("\n");
}

Deno.test("same seed → byte-identical corpus; another seed differs", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "ser-synth-" });
  try {
    const a = path.join(dir, "a");
    const b = path.join(dir, "b");
    const c = path.join(dir, "c");
    await generateSyntheticCorpus(a, { seed: 7, ...SMALL });
    await generateSyntheticCorpus(b, { seed: 7, ...SMALL });
    await generateSyntheticCorpus(c, { seed: 8, ...SMALL });
    const ha = await corpusHash(a);
    assert.equal(ha.split("\n").length, 30);
    assert.equal(await corpusHash(b), ha);
    assert.notEqual(await corpusHash(c), ha);
    assert.deepEqual(
      Deno.readFileSync(path.join(a, "synthetic.json")),
      Deno.readFileSync(path.join(b, "synthetic.json")),
    );
    await assert.rejects(
      generateSyntheticCorpus(a, { seed: 7, ...SMALL }),
      /not empty/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("synthetic corpus: RAVDESS names, says SYNTHETIC, indexes with 0 errors", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "ser-synth-" });
  try {
    const m = await generateSyntheticCorpus(dir, { seed: 1, ...SMALL });
    assert.equal(m.files, 30);
    const names = listAudioFiles(dir).map((f) => path.relative(dir, f));
    assert.equal(names[0], path.join("Actor_01", "03-01-01-01-01-01-01.wav"));
    assert.ok(
      names.includes(path.join("Actor_02", "03-01-05-02-01-01-02.wav")),
    );
    assert.ok(
      !names.includes(path.join("Actor_01", "03-01-01-02-01-01-01.wav")),
    );
    assert.match(
      Deno.readTextFileSync(path.join(dir, "README.md")),
      /SYNTHETIC/,
    );
    assert.equal(readSyntheticManifest(dir)?.synthetic, true);
    assert.equal(detectCorpus(dir), "synthetic");

    const scan = await scanCorpus([dir]);
    assert.equal(scan.errorList.length, 0);
    const s = summarizeScan(scan);
    assert.equal(s.files, 30);
    assert.deepEqual(Object.keys(s.corpora), ["synthetic"]);
    assert.equal(s.speakers, 2);
    assert.equal(Object.keys(s.emotions).length, 8);
    assert.equal(s.emotions.neutral, 2);
    assert.equal(s.emotions.angry, 4);
    const speakers = new Set(scan.items.map((u) => `${u.speaker}=${u.gender}`));
    assert.deepEqual([...speakers], [
      "synthetic:01=male",
      "synthetic:02=female",
    ]);
    for (const u of scan.items) {
      assert.equal(u.corpus, "synthetic");
      assert.equal(u.sampleRate, 16000);
      assert.equal(u.channels, 1);
      assert.equal(u.codec, "pcm16");
      assert.ok(
        u.durationS > 1.2 && u.durationS < 5,
        `${u.path} ${u.durationS}`,
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Share of energy in the first difference: higher = more high frequencies. */
function brightness(x: Float32Array): number {
  let d = 0;
  let e = 0;
  for (let i = 1; i < x.length; i++) {
    d += (x[i] - x[i - 1]) ** 2;
    e += x[i] * x[i];
  }
  return d / e;
}

function meanPlannedF0(emotion: SynthEmotion): number {
  const rng = createRng(`f0:${emotion}`);
  const plan = planUtterance({
    sr: 16000,
    voice: actorVoice(1, createRng("voice")),
    profile: profileFor(emotion, "strong"),
    syllables: STATEMENTS[1],
  }, rng);
  let s = 0;
  let n = 0;
  plan.voiced.forEach((v, j) => {
    if (v) {
      s += Math.log2(plan.tracks.f0[j]);
      n++;
    }
  });
  return 2 ** (s / n);
}

Deno.test("emotions follow their acoustic correlates", () => {
  const clip = (emotion: SynthEmotion) =>
    synthesizeClip(3, {
      actor: 1,
      emotion,
      intensity: emotion === "neutral" ? "normal" : "strong",
      statement: 1,
      repetition: 1,
    });
  const angry = clip("angry");
  const sad = clip("sad");
  const neutral = clip("neutral");
  // Loud vs soft, fast vs slow, bright (flat tilt) vs dark (steep tilt).
  assert.ok(rmsDb(angry) > rmsDb(neutral) + 4);
  assert.ok(rmsDb(neutral) > rmsDb(sad) + 4);
  assert.ok(angry.length < neutral.length && neutral.length < sad.length);
  assert.ok(brightness(angry) > 2 * brightness(sad));
  // Pitch level: fearful > angry > neutral > sad.
  const f0 = Object.fromEntries(
    (["fearful", "angry", "neutral", "sad"] as const).map((
      e,
    ) => [e, meanPlannedF0(e)]),
  );
  assert.ok(f0.fearful > f0.angry && f0.angry > f0.neutral);
  assert.ok(f0.neutral > f0.sad * 1.1);
});

Deno.test("ensureDemoCorpus generates once, replaces on new options, never clobbers other data", async () => {
  const parent = Deno.makeTempDirSync({ prefix: "ser-demo-" });
  try {
    const dir = path.join(parent, "synthetic");
    const options = { seed: 5, ...SMALL };
    assert.equal(await ensureDemoCorpus(dir, options), dir);
    assert.equal(listAudioFiles(dir).length, 30);
    assert.deepEqual([...Deno.readDirSync(parent)].map((e) => e.name), [
      "synthetic",
    ]);
    const sentinel = path.join(dir, "sentinel");
    Deno.writeTextFileSync(sentinel, "x");
    assert.equal(await ensureDemoCorpus(dir, options), dir);
    assert.ok(Deno.statSync(sentinel).isFile, "regenerated needlessly");
    await ensureDemoCorpus(dir, { ...options, seed: 6 });
    assert.throws(() => Deno.statSync(sentinel));
    assert.equal(readSyntheticManifest(dir)?.seed, 6);

    const other = path.join(parent, "mine");
    Deno.mkdirSync(other);
    Deno.writeTextFileSync(path.join(other, "keep.wav"), "x");
    await assert.rejects(
      ensureDemoCorpus(other, options),
      /no synthetic\.json/,
    );
    assert.equal(Deno.readTextFileSync(path.join(other, "keep.wav")), "x");
  } finally {
    Deno.removeSync(parent, { recursive: true });
  }
});
