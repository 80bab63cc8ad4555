import assert from "node:assert/strict";
import * as path from "node:path";
import { scanCorpus } from "../../lib/corpora/mod.ts";
import { runCliScript } from "../cli.ts";
import { tempDir } from "../data/loopback.ts";
import { writeTone } from "./tone.ts";

Deno.test("CSV manifest: rows that are not regular audio files are error rows naming the path, never quoting its bytes", async () => {
  using tmp = tempDir();
  writeTone(path.join(tmp.path, "a.wav"));
  const secret = path.join(tmp.path, "shadow");
  Deno.writeTextFileSync(secret, "root:*:20000:0:99999:7:::\n");
  const fifo = path.join(tmp.path, "pipe.wav");
  assert.equal(
    (await new Deno.Command("mkfifo", { args: [fifo] }).output()).code,
    0,
  );
  const folder = path.join(tmp.path, "folder.wav");
  Deno.mkdirSync(folder);
  const manifest = path.join(tmp.path, "m.csv");
  Deno.writeTextFileSync(
    manifest,
    [
      "path,emotion,speaker",
      "a.wav,angry,s1",
      `${secret},angry,s1`,
      "/dev/zero,angry,s1",
      `${fifo},angry,s1`,
      "folder.wav,angry,s1",
    ].join("\n") + "\n",
  );
  const scan = await scanCorpus([manifest]);
  assert.deepEqual(scan.items.map((u) => path.basename(u.path)), ["a.wav"]);
  assert.deepEqual(
    scan.errorList.map((e) => [e.path, e.reason]),
    [
      [secret, "not a RIFF/WAVE file and not a recognised audio format"],
      ["/dev/zero", "not a regular file (a device, FIFO or socket)"],
      [fifo, "not a regular file (a device, FIFO or socket)"],
      [folder, "not a regular file (a folder)"],
    ],
  );
  const root = new TextEncoder().encode("root");
  const hex = [...root].map((b) => b.toString(16)).join(" ");
  for (const e of scan.errorList) {
    assert.ok(!e.reason.includes("root") && !e.reason.includes(hex), e.reason);
  }
});

Deno.test("CSV manifest: a path listed twice with different labels is reported, not dropped silently", async () => {
  using tmp = tempDir();
  writeTone(path.join(tmp.path, "a.wav"));
  writeTone(path.join(tmp.path, "b.wav"));
  const manifest = path.join(tmp.path, "m.csv");
  Deno.writeTextFileSync(
    manifest,
    "path,emotion,speaker\na.wav,angry,s1\nb.wav,sad,s1\na.wav,happy,s1\nb.wav,sad,s1\n./b.wav,glum,s1\n",
  );
  const scan = await scanCorpus([manifest]);
  assert.deepEqual(
    scan.items.map((u) => [path.basename(u.path), u.emotion]),
    [["a.wav", "angry"], ["b.wav", "sad"]],
  );
  // The identical repeat of b.wav says nothing new; the contradicting a.wav
  // does, and so does a bad row for b.wav (its error would be lost otherwise).
  assert.deepEqual(scan.errorList, [{
    path: path.join(tmp.path, "a.wav"),
    corpus: "csv",
    reason:
      `listed twice with different labels: ${manifest} row 2 says angry (speaker csv:s1), ${manifest} row 4 says happy (speaker csv:s1); the first is kept`,
  }, {
    path: path.join(tmp.path, "b.wav"),
    corpus: "csv",
    reason:
      `listed twice with different labels: ${manifest} row 3 says sad (speaker csv:s1), ${manifest} row 6 is an error (row 6: unknown emotion "glum"); the first is kept`,
  }]);
});

Deno.test("deno task features: a file must be a manifest; manifests are read by the corpora module", async () => {
  using tmp = tempDir();
  const clip = path.join(tmp.path, "audio", "c.wav");
  writeTone(clip);
  const one = await runCliScript("lib/cli/features.ts", [clip, "--no-cache"]);
  assert.equal(one.code, 1);
  assert.match(
    one.stderr,
    new RegExp(
      `^error: ${clip}: not a folder or a CSV manifest; a file given to features must be a \\.csv manifest with a path column \\(for audio files, give their folder\\)$`,
      "m",
    ),
  );
  const manifest = path.join(tmp.path, "m.csv");
  Deno.writeTextFileSync(manifest, "path\naudio/c.wav\n\n,\n/dev/zero\n");
  const ok = await runCliScript("lib/cli/features.ts", [
    manifest,
    "--no-cache",
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^features files=1 /m);
  // A row without a path and a row naming a device are reported, not hung on.
  assert.match(ok.stderr, new RegExp(`skipped ${manifest}: row 4: empty path`));
  assert.match(
    ok.stderr,
    /\/dev\/zero: not a regular file \(a device, FIFO or socket\)/,
  );
  const noPath = path.join(tmp.path, "n.csv");
  Deno.writeTextFileSync(noPath, "file\naudio/c.wav\n");
  const bad = await runCliScript("lib/cli/features.ts", [noPath]);
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    new RegExp(`^error: ${noPath}: missing column path$`, "m"),
  );
});

Deno.test("CSV manifest: a kernel file that reports 0 bytes is read as 0 bytes, never without bound", async () => {
  using tmp = tempDir();
  writeTone(path.join(tmp.path, "a.wav"));
  const manifest = path.join(tmp.path, "m.csv");
  // Both are regular files of size 0; pagemap has ~256 GB behind that.
  Deno.writeTextFileSync(
    manifest,
    "path,emotion,speaker\na.wav,angry,s1\n/proc/self/status,angry,s1\n/proc/self/pagemap,angry,s1\n",
  );
  const scan = await scanCorpus([manifest]);
  assert.deepEqual(scan.items.map((u) => path.basename(u.path)), ["a.wav"]);
  assert.deepEqual(scan.errorList.map((e) => [e.path, e.reason]), [
    ["/proc/self/status", "empty file (0 bytes)"],
    ["/proc/self/pagemap", "empty file (0 bytes)"],
  ]);
});
