import assert from "node:assert/strict";
import * as path from "node:path";
import { encodeWav } from "../../lib/audio/mod.ts";
import { readFeatureSet } from "../../lib/features/store.ts";
import { runCliScript } from "../cli.ts";

function runFeatures(args: string[]) {
  return runCliScript("lib/cli/features.ts", args);
}

Deno.test("deno task features: folder in, feature set out, one machine-readable line", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "features-cli-" });
  try {
    const audio = path.join(dir, "audio");
    Deno.mkdirSync(audio);
    for (let k = 0; k < 3; k++) {
      const x = Float32Array.from(
        { length: 16000 },
        (_, i) => 0.3 * Math.sin((2 * Math.PI * (150 + 50 * k) * i) / 16000),
      );
      Deno.writeFileSync(path.join(audio, `c${k}.wav`), encodeWav([x], 16000));
    }
    Deno.writeFileSync(
      path.join(audio, "broken.wav"),
      new Uint8Array([82, 73, 70, 70, 1, 2]),
    );
    const out = path.join(dir, "set");
    const r = await runFeatures([
      audio,
      "--kind",
      "logmel",
      "--no-cache",
      "--workers",
      "1",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 1);
    const m = lines[0].match(
      /^features files=(\d+) audio_s=([\d.]+) wall_s=([\d.]+) realtime=([\d.]+)$/,
    );
    assert.ok(m, lines[0]);
    assert.equal(Number(m[1]), 3);
    assert.equal(Number(m[2]), 3);
    assert.match(r.stderr, /skipped .*broken\.wav: /);
    const set = readFeatureSet(out);
    assert.equal(set.index.config.kind, "logmel");
    assert.equal(set.matrices.length, 3);
    assert.equal(set.matrices[0].dims, 64 * 3);
    assert.deepEqual(set.index.items.map((e) => path.basename(e.path)), [
      "c0.wav",
      "c1.wav",
      "c2.wav",
    ]);

    const manifest = path.join(dir, "m.csv");
    Deno.writeTextFileSync(manifest, "path,emotion\naudio/c1.wav,happy\n");
    const r2 = await runFeatures([
      manifest,
      "--no-cache",
      "--flavour",
      "meyda",
    ]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.match(r2.stdout, /^features files=1 audio_s=1\.000 /);

    const bad = await runFeatures([path.join(dir, "nope")]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /error: .*nope: no such folder or manifest/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
