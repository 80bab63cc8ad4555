import assert from "node:assert/strict";
import * as path from "node:path";
import { encodeWav } from "../../lib/audio/mod.ts";
import { runPredictCli } from "./cli.ts";
import { TINY_LABELS, writeFixtureModel } from "./fixture_model.ts";
import { concat, quiet, voice } from "./signals.ts";

const SR = 16000;

Deno.test("predict CLI: a folder with good and bad files, --json and the table, exit code 1", async () => {
  const { dir: model } = await writeFixtureModel();
  const tmp = await Deno.makeTempDir({ prefix: "ser-predict-cli-" });
  try {
    const files = path.join(tmp, "clips");
    Deno.mkdirSync(path.join(files, "sub"), { recursive: true });
    const good = path.join(files, "a_voice.wav");
    Deno.writeFileSync(good, encodeWav(voice(SR, 0.8, { seed: 1 }), SR));
    const long = path.join(files, "sub", "b_long.wav");
    Deno.writeFileSync(
      long,
      encodeWav(
        concat([
          voice(SR, 1.2, { seed: 2 }),
          quiet(SR, 2),
          voice(SR, 1.2, { seed: 3 }),
        ]),
        SR,
      ),
    );
    const bad = path.join(files, "c_bad.wav");
    Deno.writeFileSync(bad, new TextEncoder().encode("not audio"));
    const short = path.join(files, "d_short.wav");
    Deno.writeFileSync(short, encodeWav(voice(SR, 0.2), SR));
    Deno.writeTextFileSync(
      path.join(files, "notes.txt"),
      "not an audio extension: skipped",
    );
    const missing = path.join(tmp, "missing.wav");

    const r = await runPredictCli(["--model", model, "--json", files, missing]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: 3 of 5 input\(s\) failed/);
    assert.match(r.stderr, /predict: 5\/5 100%/);
    const entries = JSON.parse(r.stdout);
    assert.deepEqual(entries.map((e: { path: string }) => e.path), [
      good,
      bad,
      short,
      long,
      missing,
    ]);
    const [a, c, d, b, m] = entries;
    for (const e of [a, b]) {
      assert.deepEqual(Object.keys(e.probabilities), [...TINY_LABELS]);
      const sum = Object.values(e.probabilities as Record<string, number>)
        .reduce((s, p) => s + p, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5);
      assert.ok(TINY_LABELS.includes(e.emotion));
    }
    assert.deepEqual(Object.keys(a), ["path", "emotion", "probabilities"]);
    assert.deepEqual(Object.keys(b), [
      "path",
      "emotion",
      "probabilities",
      "timeline",
    ]);
    // 4.4 s in 1 s windows every 0.5 s: starts 0…3.0, then 3.4–4.4.
    assert.equal(b.timeline.length, 8);
    assert.deepEqual(b.timeline.at(-1).end_s, 4.4);
    assert.deepEqual(
      b.timeline.filter((w: { silent?: boolean }) => w.silent).map((
        w: { start_s: number },
      ) => w.start_s),
      [1.5, 2],
    );
    assert.deepEqual(Object.keys(c), ["path", "error"]);
    assert.match(c.error, new RegExp(`^${bad}: not a RIFF/WAVE file`));
    assert.match(
      d.error,
      new RegExp(`^${short}: audio too short: 0\\.2 s, the minimum is 0\\.5 s`),
    );
    assert.equal(m.error, `${missing}: no such file or folder`);

    const table = await runPredictCli(["--model", model, good, long, bad]);
    assert.equal(table.code, 1);
    const lines = table.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^file\s+emotion\s+neutral\s+happy\s+sad\s+angry$/);
    assert.ok(lines[1].startsWith(good));
    assert.ok(lines.some((l) => /^ {2}1\.50–2\.50 s \(silent\)\s+\w+/.test(l)));
    assert.equal(
      lines.at(-1),
      `error: ${bad}: not a RIFF/WAVE file and not a recognised audio format`,
    );
  } finally {
    Deno.removeSync(tmp, { recursive: true });
    Deno.removeSync(model, { recursive: true });
  }
});

Deno.test("predict CLI: a model directory that cannot be used fails before any file, exit code 1", async () => {
  const r = await runPredictCli([
    "--model",
    "/nonexistent/model",
    "--json",
    "tests/fixtures/audio",
  ]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(
    r.stderr,
    /^error: \/nonexistent\/model: no such model directory$/m,
  );
});
