import assert from "node:assert/strict";
import * as path from "node:path";
import { SHARED_RAVDESS_DIR } from "../../lib/paths.ts";
import { type CliRun, runCliScript } from "../cli.ts";
import { hasShared } from "../shared.ts";

function dataIndex(args: string[]): Promise<CliRun> {
  return runCliScript("lib/cli/data.ts", ["index", ...args]);
}

Deno.test({
  name: "data index --json on the shared RAVDESS clips",
  ignore: !hasShared(),
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "ser-index-" });
    try {
      const out = path.join(dir, "manifest.csv");
      const r = await dataIndex([SHARED_RAVDESS_DIR, "--json", "--out", out]);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(json), [
        "files",
        "speakers",
        "emotions",
        "corpora",
        "errors",
      ]);
      assert.equal(json.files, 240);
      assert.equal(json.speakers, 4);
      assert.equal(Object.keys(json.emotions).length, 8);
      assert.equal(json.emotions.neutral, 16);
      assert.deepEqual(json.errors, []);
      assert.equal(json.corpora.ravdess.files, 240);
      assert.ok(Math.abs(json.corpora.ravdess.hours - 0.2492) < 0.001);
      const csv = Deno.readTextFileSync(out).trim().split("\n");
      assert.equal(csv.length, 241);
      assert.ok(csv[0].startsWith("path,corpus,speaker,gender,emotion,"));
      assert.deepEqual(
        [...Deno.readDirSync(dir)].map((e) => e.name),
        ["manifest.csv"],
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "data index: bad files are listed, exit 0; summary and usage errors",
  ignore: !hasShared(),
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "ser-index-" });
    try {
      const actor = path.join(dir, "Actor_02");
      Deno.mkdirSync(actor);
      const name = "03-01-04-02-02-01-02.wav";
      Deno.copyFileSync(
        path.join(SHARED_RAVDESS_DIR, "Actor_02", name),
        path.join(actor, name),
      );
      Deno.writeFileSync(
        path.join(actor, "03-01-05-01-01-01-02.wav"),
        new Uint8Array(40),
      );
      Deno.copyFileSync(path.join(actor, name), path.join(actor, "x.wav"));

      const r = await dataIndex([dir, "--json", "--merge", "sad=neutral"]);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout);
      assert.equal(json.files, 1);
      assert.deepEqual(json.emotions, { neutral: 1 });
      assert.deepEqual(
        json.errors.map((e: { path: string }) => path.basename(e.path)),
        ["03-01-05-01-01-01-02.wav", "x.wav"],
      );
      for (const e of json.errors) {
        assert.deepEqual(Object.keys(e), ["path", "reason"]);
        assert.ok(e.reason.length > 0);
      }

      const text = await dataIndex([dir]);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^ravdess: /m);
      assert.match(text.stdout, /1 files, 1 speakers, 0\.\d{3} h, 2 errors/);
      assert.match(text.stdout, /x\.wav: not a RAVDESS name/);

      const none = await dataIndex([path.join(dir, "nope")]);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /error: none of the given folders exists/);
      assert.equal(none.stdout, "");

      const usage = await dataIndex([dir, "--select", "happy,joyful"]);
      assert.equal(usage.code, 1);
      assert.match(usage.stderr, /unknown emotion "joyful"/);
      const missingArg = await dataIndex([]);
      assert.notEqual(missingArg.code, 0);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
