import assert from "node:assert/strict";
import * as path from "node:path";
import { scanCorpus } from "../../lib/corpora/mod.ts";
import { runCliScript } from "../cli.ts";
import { tempDir } from "../data/loopback.ts";
import { writeTone } from "./tone.ts";

const CLIPS = [
  "Actor_01/03-01-01-01-01-01-01.wav",
  "Actor_01/03-01-05-01-01-01-01.wav",
  "Actor_02/03-01-03-01-01-01-02.wav",
  "Actor_02/03-01-04-01-01-01-02.wav",
];

Deno.test("scan: linked files and folders are followed, loops walked once, broken links reported", async () => {
  using tmp = tempDir();
  const store = path.join(tmp.path, "store");
  for (const clip of CLIPS) writeTone(path.join(store, clip));
  // A corpus made of links: files linked one by one, a folder linked whole.
  const corpus = path.join(tmp.path, "linked");
  Deno.mkdirSync(path.join(corpus, "Actor_01"), { recursive: true });
  for (const clip of CLIPS.slice(0, 2)) {
    Deno.symlinkSync(path.join(store, clip), path.join(corpus, clip));
  }
  Deno.symlinkSync(path.join(store, "Actor_02"), path.join(corpus, "Actor_02"));
  Deno.symlinkSync(corpus, path.join(corpus, "Actor_01", "loop"));
  const broken = path.join(corpus, "Actor_01", "03-01-02-01-01-01-01.wav");
  Deno.symlinkSync(path.join(store, "gone.wav"), broken);

  const scan = await scanCorpus([corpus]);
  assert.deepEqual(
    scan.items.map((u) => path.relative(corpus, u.path)),
    CLIPS,
  );
  assert.deepEqual(scan.items.map((u) => u.speaker), [
    "ravdess:01",
    "ravdess:01",
    "ravdess:02",
    "ravdess:02",
  ]);
  assert.deepEqual(scan.errorList, [{
    path: broken,
    reason: "broken link: no such file or directory",
    corpus: "ravdess",
  }]);
  // A link to the corpus folder itself is a corpus too.
  const alias = path.join(tmp.path, "alias");
  Deno.symlinkSync(store, alias);
  assert.equal((await scanCorpus([alias])).items.length, 4);
});

Deno.test("data index and features on a folder of links", async () => {
  using tmp = tempDir();
  const store = path.join(tmp.path, "store");
  const corpus = path.join(tmp.path, "corpus");
  Deno.mkdirSync(corpus);
  for (const clip of CLIPS) {
    writeTone(path.join(store, clip));
    Deno.symlinkSync(
      path.join(store, clip),
      path.join(corpus, path.basename(clip)),
    );
  }
  const index = await runCliScript("lib/cli/data.ts", [
    "index",
    corpus,
    "--json",
  ]);
  assert.equal(index.code, 0, index.stderr);
  const summary = JSON.parse(index.stdout);
  assert.equal(summary.files, 4);
  assert.deepEqual(summary.errors, []);
  const features = await runCliScript("lib/cli/features.ts", [
    corpus,
    "--no-cache",
  ]);
  assert.equal(features.code, 0, features.stderr);
  assert.match(features.stdout, /^features files=4 /m);
});

Deno.test("data index: an unreadable sub-folder is one error row, the rest is indexed", async () => {
  using tmp = tempDir();
  const corpus = path.join(tmp.path, "ravdess");
  for (const clip of CLIPS) writeTone(path.join(corpus, clip));
  const locked = path.join(corpus, "Actor_02");
  Deno.chmodSync(locked, 0o000);
  try {
    const run = await runCliScript("lib/cli/data.ts", [
      "index",
      corpus,
      "--json",
    ], {
      honourFileModes: true,
    });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.files, 2);
    assert.deepEqual(summary.errors, [{
      path: locked,
      reason: "cannot read folder: permission denied",
    }]);
  } finally {
    Deno.chmodSync(locked, 0o755);
  }
});
