import assert from "node:assert/strict";
import * as path from "node:path";
import {
  detectCorpus,
  MANIFEST_COLUMNS,
  scanCorpus,
  summarizeScan,
} from "../../lib/corpora/mod.ts";
import { SHARED_RAVDESS_DIR } from "../../lib/paths.ts";
import { hasShared } from "../shared.ts";
import { writeTone } from "./tone.ts";

function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "ser-corpora-" });
}

Deno.test({
  name: "scan of the shared RAVDESS clips: 240 files, 4 speakers, 8 emotions",
  ignore: !hasShared(),
  fn: async () => {
    const scan = await scanCorpus([SHARED_RAVDESS_DIR]);
    assert.equal(scan.errorList.length, 0);
    assert.equal(scan.errors.height, 0);
    assert.equal(scan.manifest.height, 240);
    assert.deepEqual(scan.manifest.columns, [...MANIFEST_COLUMNS]);
    assert.deepEqual(scan.sources.map((s) => s.corpus), ["ravdess"]);
    const summary = summarizeScan(scan);
    assert.equal(summary.files, 240);
    assert.equal(summary.speakers, 4);
    assert.deepEqual(summary.emotions, {
      neutral: 16,
      calm: 32,
      happy: 32,
      sad: 32,
      angry: 32,
      fearful: 32,
      disgust: 32,
      surprised: 32,
    });
    const stereo = scan.items.filter((u) => u.channels === 2).map((u) =>
      path.relative(SHARED_RAVDESS_DIR, u.path)
    );
    assert.deepEqual(stereo, [
      path.join("Actor_01", "03-01-02-01-01-02-01.wav"),
      path.join("Actor_01", "03-01-08-01-02-02-01.wav"),
    ]);
    assert.ok(scan.items.every((u) => u.sampleRate === 48000));
    const genders = new Set(scan.items.map((u) => `${u.speaker}=${u.gender}`));
    assert.deepEqual([...genders].sort(), [
      "ravdess:01=male",
      "ravdess:02=female",
      "ravdess:03=male",
      "ravdess:04=female",
    ]);
    // Header facts agree: duration = frames / rate, between 2.5 and 6 s.
    for (const u of scan.items) {
      assert.ok(Math.abs(u.durationS - u.frames / u.sampleRate) < 1e-9);
      assert.ok(u.durationS > 2.5 && u.durationS < 6, u.path);
    }
  },
});

Deno.test({
  name: "merge and select are applied to the scan and counted",
  ignore: !hasShared(),
  fn: async () => {
    const scan = await scanCorpus([SHARED_RAVDESS_DIR], {
      merge: { calm: "neutral" },
      select: ["neutral", "angry"],
    });
    const summary = summarizeScan(scan);
    assert.deepEqual(summary.emotions, { neutral: 48, angry: 32 });
    assert.equal(summary.corpora.ravdess.excluded, 240 - 80);
    assert.equal(scan.items.filter((u) => u.label === "02").length, 32);
  },
});

Deno.test({
  name: "a corrupt and a misnamed file are reported; the rest is indexed",
  ignore: !hasShared(),
  fn: async () => {
    const dir = tempDir();
    try {
      const actor = path.join(dir, "Actor_01");
      Deno.mkdirSync(actor);
      const good = [
        "03-01-01-01-01-01-01.wav",
        "03-01-05-02-01-01-01.wav",
        "03-01-02-01-01-02-01.wav", // stereo
      ];
      for (const name of good) {
        Deno.copyFileSync(
          path.join(SHARED_RAVDESS_DIR, "Actor_01", name),
          path.join(actor, name),
        );
      }
      const corrupt = path.join(actor, "03-01-03-01-01-01-01.wav");
      Deno.writeTextFileSync(corrupt, "this is not audio at all");
      const misnamed = path.join(actor, "take 3 (final).wav");
      Deno.copyFileSync(path.join(actor, good[0]), misnamed);
      Deno.writeTextFileSync(path.join(dir, "notes.txt"), "not audio");

      const scan = await scanCorpus([dir]);
      assert.deepEqual(
        scan.items.map((u) => path.basename(u.path)),
        good.slice().sort(),
      );
      const byPath = new Map(scan.errorList.map((e) => [e.path, e]));
      assert.equal(scan.errorList.length, 2);
      assert.match(byPath.get(misnamed)!.reason, /not a RAVDESS name/);
      const reason = byPath.get(corrupt)!.reason;
      assert.match(reason, /not a RIFF\/WAVE file/);
      assert.ok(!reason.includes(corrupt), reason);
      assert.deepEqual(scan.errors.columns, ["path", "corpus", "reason"]);
      assert.equal(scan.errors.height, 2);
      assert.deepEqual(summarizeScan(scan).corpora.ravdess.errors, 2);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test("corpus detection by layout and names", () => {
  const dir = tempDir();
  try {
    const make = (files: string[]) => {
      const root = path.join(dir, crypto.randomUUID());
      for (const f of files) writeTone(path.join(root, f), 0.01);
      return root;
    };
    assert.equal(detectCorpus(make(["OAF_angry/OAF_back_angry.wav"])), "tess");
    assert.equal(
      detectCorpus(make(["AudioWAV/1001_DFA_ANG_XX.wav"])),
      "crema-d",
    );
    assert.equal(
      detectCorpus(make(["wav/03a01Fa.wav", "wav/03a01Wa.wav"])),
      "emodb",
    );
    assert.equal(detectCorpus(make(["DC/a01.wav", "KL/su02.wav"])), "savee");
    assert.equal(detectCorpus(make(["DC_a01.wav"])), "savee");
    assert.equal(
      detectCorpus(make(["Actor_01/03-01-01-01-01-01-01.wav", "odd.wav"])),
      "ravdess",
    );
    assert.equal(detectCorpus(make(["angry/a.wav", "sad/b.wav"])), "folder");
    const csv = path.join(dir, "m.csv");
    Deno.writeTextFileSync(csv, "path,emotion,speaker\n");
    assert.equal(detectCorpus(csv), "csv");
    assert.throws(
      () => detectCorpus(path.join(dir, "nope")),
      /no such file or folder/,
    );
    const empty = path.join(dir, "empty");
    Deno.mkdirSync(empty);
    assert.throws(() => detectCorpus(empty), /no audio files found/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("folder-per-label and CSV scans; a missing folder is one error", async () => {
  const dir = tempDir();
  try {
    const folder = path.join(dir, "mine");
    writeTone(path.join(folder, "Angry", "s1", "a.wav"));
    writeTone(path.join(folder, "happiness", "s2", "b.wav"), 0.5);
    writeTone(path.join(folder, "excited", "c.wav"));
    const csv = path.join(dir, "list.csv");
    writeTone(path.join(dir, "clips", "x.wav"));
    writeTone(path.join(dir, "clips", "y.wav"));
    Deno.writeTextFileSync(
      csv,
      "path,emotion,speaker,gender\nclips/x.wav,sad,p1,m\nclips/y.wav,meh,p2,f\nclips/missing.wav,calm,p3,\n",
    );
    const missing = path.join(dir, "nowhere");
    const scan = await scanCorpus([folder, csv, missing]);
    assert.deepEqual(scan.sources.map((s) => [s.corpus, s.files]), [
      ["folder", 3],
      ["csv", 3],
      [null, 0],
    ]);
    assert.deepEqual(
      scan.items.map((u) => [u.corpus, u.speaker, u.emotion, u.durationS]),
      [
        ["folder", "folder:mine:s1", "angry", 0.25],
        ["folder", "folder:mine:s2", "happy", 0.5],
        ["csv", "csv:p1", "sad", 0.25],
      ],
    );
    const reasons = scan.errorList.map((
      e,
    ) => [path.basename(e.path), e.reason]);
    assert.equal(reasons.length, 4);
    assert.deepEqual(reasons[0], ["nowhere", "no such file or folder"]);
    assert.match(reasons[1][1], /unknown emotion label "excited"/);
    assert.match(reasons[2][1], /row 3: unknown emotion "meh"/);
    assert.equal(reasons[3][0], "missing.wav");
    assert.match(reasons[3][1], /cannot read file/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test({
  name: "a written manifest CSV indexes back to the same clips",
  ignore: !hasShared(),
  fn: async () => {
    const dir = tempDir();
    try {
      const scan = await scanCorpus([SHARED_RAVDESS_DIR]);
      const csv = path.join(dir, "manifest.csv");
      Deno.writeFileSync(csv, new Uint8Array(scan.manifest.writeCSV()));
      const again = await scanCorpus([csv]);
      assert.equal(again.errorList.length, 0);
      const key = (u: typeof scan.items[number]) =>
        [
          u.path,
          u.corpus,
          u.speaker,
          u.gender,
          u.emotion,
          u.intensity,
          u.statement,
          u.repetition,
          u.durationS,
          u.channels,
        ].join("|");
      assert.deepEqual(again.items.map(key), scan.items.map(key));
      const summary = summarizeScan(again);
      assert.deepEqual(Object.keys(summary.corpora), ["ravdess"]);
      assert.deepEqual(summary.corpora.ravdess.roots, [csv]);
      assert.equal(summary.corpora.ravdess.files, 240);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
