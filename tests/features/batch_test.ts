import assert from "node:assert/strict";
import * as path from "node:path";
import { encodeWav } from "../../lib/audio/mod.ts";
import { extractBatch } from "../../lib/features/batch.ts";
import { DEFAULT_FEATURE_CONFIG } from "../../lib/features/config.ts";

Deno.test("extractBatch: bad files are reported, the rest extracted, 1 thread = 2 workers", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "features-batch-" });
  try {
    const paths: string[] = [];
    for (let k = 0; k < 5; k++) {
      const file = path.join(dir, `tone${k}.wav`);
      const x = Float32Array.from(
        { length: 24000 + 1000 * k },
        (_, i) => 0.3 * Math.sin((2 * Math.PI * (200 + 100 * k) * i) / 48000),
      );
      Deno.writeFileSync(file, encodeWav([x, x], 48000));
      paths.push(file);
    }
    const junk = path.join(dir, "junk.wav");
    Deno.writeFileSync(junk, new TextEncoder().encode("definitely not audio"));
    const missing = path.join(dir, "missing.wav");
    paths.splice(2, 0, junk);
    paths.push(missing);

    const progress: number[] = [];
    const one = await extractBatch(paths, DEFAULT_FEATURE_CONFIG, {
      workers: 1,
      cacheDir: null,
      onProgress: (done, total) => {
        assert.equal(total, 7);
        progress.push(done);
      },
    });
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(one.errors.map((e) => e.path), [junk, missing]);
    assert.match(one.errors[0].reason, /not a RIFF\/WAVE|not a recognised/);
    assert.match(one.errors[1].reason, /cannot read file/);
    assert.equal(one.features[2], null);
    assert.equal(one.features[6], null);
    assert.ok(
      Math.abs(one.audioS - (5 * 0.5 + (0 + 1 + 2 + 3 + 4) * 1000 / 48000)) <
        1e-6,
    );
    assert.equal(one.cacheHits, 0);

    const two = await extractBatch(paths, DEFAULT_FEATURE_CONFIG, {
      workers: 2,
      cacheDir: null,
    });
    assert.deepEqual(two.errors, one.errors);
    assert.deepEqual(two.features, one.features);
    assert.equal(one.features[0]!.dims, 120);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
