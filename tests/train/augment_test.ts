/**
 * Augmented copies of the training fold go through the batch extractor and
 * its cache: the features equal augmenting and extracting directly, and a
 * second run reads every copy from the cache.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { loadAudio } from "../../lib/audio/mod.ts";
import {
  createAugmentPipeline,
  DEFAULT_AUGMENT_CONFIG,
  mapTrainingFold,
  markTrainingFold,
} from "../../lib/augment/mod.ts";
import { generateSyntheticCorpus, scanCorpus } from "../../lib/corpora/mod.ts";
import {
  DEFAULT_FEATURE_CONFIG,
  extractFeatures,
  type FeatureConfig,
  fixLength,
} from "../../lib/features/mod.ts";
import { augmentedCopies } from "../../lib/train/augment.ts";

Deno.test("augmentedCopies: cached, extracted by the pool, equal to augmenting directly", async () => {
  const root = await Deno.makeTempDir({ prefix: "ser-augment-" });
  try {
    const corpus = path.join(root, "synthetic");
    await generateSyntheticCorpus(corpus, {
      seed: 3,
      actors: 1,
      statements: 1,
      repetitions: 1,
      progress: false,
    });
    const fold = markTrainingFold(
      (await scanCorpus([corpus])).items.slice(0, 6),
    );
    const config: FeatureConfig = { ...DEFAULT_FEATURE_CONFIG, frames: 80 };
    const augment = { ...DEFAULT_AUGMENT_CONFIG, copies: 2 };
    const cacheDir = path.join(root, "cache");
    const first = await augmentedCopies(fold, config, augment, 9, {
      cacheDir,
      workers: 2,
      progress: "silent",
    });
    // Directly: load, augment the whole fold for copy c, extract.
    const waves = mapTrainingFold(
      fold,
      () => ({ samples: new Float32Array(0), sr: 16000 }),
    );
    const loaded = await Promise.all(
      fold.map(async (u) => (await loadAudio(u.path, { sr: 16000 })).samples),
    );
    const real = mapTrainingFold(
      waves,
      (_, i) => ({ samples: loaded[i], sr: 16000 }),
    );
    const pipeline = createAugmentPipeline(augment.waveform, "9:waveform");
    for (let c = 0; c < 2; c++) {
      const direct = pipeline.apply(real, { epoch: c + 1 });
      direct.forEach((e, i) => {
        const want = fixLength(extractFeatures(e.samples, config), 80);
        assert.deepEqual(
          first[c][i].data,
          want.data,
          `copy ${c + 1} of clip ${i}`,
        );
      });
    }
    const stamps = () =>
      [...walk(cacheDir)].map((f) =>
        `${f} ${Deno.statSync(f).mtime?.getTime()}`
      )
        .sort();
    const before = stamps();
    assert.equal(before.length, 6 * 2, "one cache entry per copy");
    // A rerun reads every copy from the cache, with identical features.
    const second = await augmentedCopies(fold, config, augment, 9, {
      cacheDir,
      progress: "silent",
    });
    for (let c = 0; c < 2; c++) {
      second[c].forEach((e, i) => assert.deepEqual(e.data, first[c][i].data));
    }
    assert.deepEqual(stamps(), before, "nothing recomputed or rewritten");
    // Another seed is another copy: no stale cache hit.
    const other = await augmentedCopies(fold, config, augment, 10, {
      cacheDir,
      progress: "silent",
    });
    assert.notDeepEqual(other[0][0].data, first[0][0].data);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

function* walk(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory) yield* walk(p);
    else yield p;
  }
}
