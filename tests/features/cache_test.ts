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
  type FeatureConfig,
} from "../../lib/features/config.ts";
import { extractionConfigHash } from "../../lib/features/config_hash.ts";
import { extractBatch } from "../../lib/features/batch.ts";
import { extractFile } from "../../lib/features/pipeline.ts";
import { runCliScript } from "../cli.ts";

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

Deno.test("feature file: the audio duration is inside the checksum", () => {
  const m = { data: new Float32Array(6).fill(0.5), frames: 2, dims: 3 };
  const h = extractionConfigHash(config);
  const bytes = encodeFeatureFile(m, h, 147);
  assert.equal(decodeFeatureFile(bytes, h)?.audioS, 147);
  // Every byte of the duration field (offset 20), and of frames/dims and
  // the config hash, is covered: a flip there is a miss, never a wrong value.
  for (const at of [20, 21, 22, 23, 8, 12, 30]) {
    const flipped = bytes.slice();
    flipped[at] ^= 0x04;
    assert.equal(decodeFeatureFile(flipped, h), null, `byte ${at}`);
  }
});

/** Runs `fn` with console.warn collected; returns what it printed. */
async function warnings(fn: () => Promise<void>): Promise<string[]> {
  const printed: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.warn = warn;
  }
  return printed;
}

Deno.test("cache: a cache folder that is a file, or an entry that is a folder, never fails good audio; one warning", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "features-cache-" });
  try {
    const clips = [writeClip(dir, "a.wav", 440), writeClip(dir, "b.wav", 660)];
    const notAFolder = path.join(dir, "file-cache");
    Deno.writeTextFileSync(notAFolder, "not a folder");
    const entryFolder = path.join(dir, "entry-cache");
    Deno.mkdirSync(
      cachePath(entryFolder, contentHash(Deno.readFileSync(clips[0])), config),
      { recursive: true },
    );
    for (
      const [cacheDir, workers] of [
        [notAFolder, 1],
        [entryFolder, 1],
        [path.join(dir, "file-cache-2"), 2],
      ] as const
    ) {
      if (workers === 2) Deno.writeTextFileSync(cacheDir, "not a folder");
      let result: Awaited<ReturnType<typeof extractBatch>> | null = null;
      const printed = await warnings(async () => {
        result = await extractBatch(clips, config, { cacheDir, workers });
      });
      const r = result!;
      assert.deepEqual(r.errors, [], cacheDir);
      assert.ok(r.features.every((f) => f !== null && f.frames > 0));
      assert.equal(printed.length, 1, printed.join("\n"));
      assert.match(
        printed[0],
        new RegExp(
          `^warning: feature cache ${cacheDir} unusable \\(.+\\); computing features without it$`,
        ),
      );
    }
    // The entry that is a folder did not stop b.wav from being cached.
    const again = await extractBatch(clips, config, {
      cacheDir: entryFolder,
      workers: 1,
    });
    assert.equal(again.cacheHits, 1);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("deno task features: a read-only cache folder computes every file and warns once", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "features-cache-" });
  try {
    const audio = path.join(dir, "audio");
    Deno.mkdirSync(audio);
    writeClip(audio, "a.wav", 440);
    writeClip(audio, "b.wav", 660);
    const cacheDir = path.join(dir, "cache");
    Deno.mkdirSync(cacheDir);
    Deno.chmodSync(cacheDir, 0o555);
    const run = await runCliScript(
      "lib/cli/features.ts",
      [audio, "--cache-dir", cacheDir, "--workers", "1"],
      { honourFileModes: true },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^features files=2 /m);
    const warned = run.stderr.split("\n").filter((l) =>
      l.includes("feature cache")
    );
    assert.equal(warned.length, 1, run.stderr);
    assert.match(warned[0], /^warning: feature cache .+ unusable \(/);
  } finally {
    Deno.chmodSync(path.join(dir, "cache"), 0o755);
    Deno.removeSync(dir, { recursive: true });
  }
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
