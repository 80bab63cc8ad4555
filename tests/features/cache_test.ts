import assert from "node:assert/strict";
import * as path from "node:path";
import { encodeWav } from "../../lib/audio/mod.ts";
import {
  cachePath,
  contentHash,
  decodeFeatureFile,
  encodeFeatureFile,
  readCachedFeatures,
} from "../../lib/features/cache.ts";
import {
  DEFAULT_FEATURE_CONFIG,
  extractionConfigHash,
  type FeatureConfig,
} from "../../lib/features/config.ts";
import { extractFile } from "../../lib/features/pipeline.ts";

const config: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, trimTopDb: null };

function tone(hz: number): Float32Array {
  return Float32Array.from(
    { length: 8000 },
    (_, i) => 0.4 * Math.sin((2 * Math.PI * hz * i) / 16000),
  );
}

function writeClip(dir: string, name: string, hz: number): string {
  const file = path.join(dir, name);
  Deno.writeFileSync(file, encodeWav([tone(hz)], 16000));
  return file;
}

Deno.test("feature file format round-trips and rejects torn or foreign files", () => {
  const m = {
    data: Float32Array.from({ length: 12 }, (_, i) => i / 3),
    frames: 4,
    dims: 3,
  };
  const h = extractionConfigHash(config);
  const bytes = encodeFeatureFile(m, h, 1.25);
  assert.equal(bytes.length, 40 + 12 * 4);
  const back = decodeFeatureFile(bytes, h);
  assert.deepEqual(back, { matrix: m, audioS: 1.25 });
  // Unaligned input (as a file read may give) still decodes.
  const shifted = new Uint8Array(bytes.length + 1).fill(7);
  shifted.set(bytes, 1);
  assert.deepEqual(decodeFeatureFile(shifted.subarray(1), h)?.matrix, m);
  assert.equal(
    decodeFeatureFile(bytes.subarray(0, bytes.length - 4), h),
    null,
    "truncated",
  );
  assert.equal(
    decodeFeatureFile(bytes.subarray(0, 20), h),
    null,
    "header only",
  );
  assert.equal(
    decodeFeatureFile(bytes, extractionConfigHash({ ...config, nMfcc: 20 })),
    null,
  );
  const flipped = bytes.slice();
  flipped[50] ^= 0x10;
  assert.equal(decodeFeatureFile(flipped, h), null, "checksum");
});

Deno.test("cache: hit, miss on config change, miss on file change, torn write recomputed", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "features-cache-" });
  try {
    const cacheDir = path.join(dir, "cache");
    const clip = writeClip(dir, "a.wav", 440);
    const first = await extractFile(clip, config, cacheDir);
    assert.equal(first.cached, false);
    assert.ok(Math.abs(first.audioS - 0.5) < 1e-9);
    const sha = contentHash(Deno.readFileSync(clip));
    const stored = cachePath(cacheDir, sha, config);
    assert.ok(
      stored.startsWith(path.join(cacheDir, extractionConfigHash(config))),
    );

    const hit = await extractFile(clip, config, cacheDir);
    assert.equal(hit.cached, true);
    assert.deepEqual(hit.matrix, first.matrix);
    assert.ok(Math.abs(hit.audioS - 0.5) < 1e-6);

    // `frames` is applied after extraction: another model length is a hit.
    const longer = await extractFile(clip, {
      ...config,
      frames: config.frames * 2,
    }, cacheDir);
    assert.equal(longer.cached, true);
    assert.deepEqual(longer.matrix, first.matrix);

    const other = { ...config, deltaOrder: 1 as const };
    const miss = await extractFile(clip, other, cacheDir);
    assert.equal(miss.cached, false);
    assert.equal(miss.matrix.dims, 80);

    writeClip(dir, "a.wav", 880); // same path, new content
    const changed = await extractFile(clip, config, cacheDir);
    assert.equal(changed.cached, false);
    assert.notDeepEqual(changed.matrix.data, first.matrix.data);

    // A torn write (half the file) is not a hit: it is recomputed and repaired.
    const whole = Deno.readFileSync(stored);
    Deno.writeFileSync(stored, whole.subarray(0, whole.length >> 1));
    assert.equal(readCachedFeatures(cacheDir, sha, config), null);
    writeClip(dir, "a.wav", 440);
    const repaired = await extractFile(clip, config, cacheDir);
    assert.equal(repaired.cached, false);
    assert.deepEqual(repaired.matrix, first.matrix);
    assert.deepEqual(
      readCachedFeatures(cacheDir, sha, config)?.matrix,
      first.matrix,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
