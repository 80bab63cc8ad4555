/**
 * Streaming training data: row files give back what was written, a
 * streamed dataset reads normalised rows equal to the in-memory ones, the
 * prefetch queue keeps its bound and order, and a streamed epoch visits
 * every example exactly once.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { buildModel } from "../../lib/model/cnn_lstm.ts";
import {
  CONV1D_MODEL_CONFIG,
  mergeModelConfig,
} from "../../lib/model/config.ts";
import {
  applyNormalization,
  type Dataset,
  normalizationStats,
} from "../../lib/model/inputs.ts";
import { DEFAULT_TRAIN_CONFIG } from "../../lib/model/recipe.ts";
import { createRng, withSeededMathRandom } from "../../lib/random.ts";
import { fit } from "../../lib/train/loop.ts";
import {
  prefetchBatches,
  RowFile,
  type StreamedRows,
  streamedRows,
} from "../../lib/train/stream.ts";

await initBackend();

const FRAMES = 12;
const DIMS = 5;
const dir = await Deno.makeTempDir({ prefix: "ser-stream-test-" });

function randomData(n: number): Dataset {
  const rng = createRng("stream");
  const lengths = Int32Array.from({ length: n }, () => rng.int(1, FRAMES + 1));
  const x = new Float32Array(n * FRAMES * DIMS);
  lengths.forEach((len, i) => {
    for (let j = 0; j < len * DIMS; j++) {
      x[i * FRAMES * DIMS + j] = 3 + 2 * rng.normal();
    }
  });
  return {
    x,
    y: Int32Array.from({ length: n }, () => rng.int(0, 3)),
    n,
    frames: FRAMES,
    dims: DIMS,
    lengths,
  };
}

/** `data` written to a row file and viewed streamed (normalised by its stats). */
function streamed(data: Dataset, name: string): StreamedRows {
  const size = FRAMES * DIMS;
  const file = new RowFile(path.join(dir, name), size);
  const refs = Array.from({ length: data.n }, (_, i) => ({
    file,
    row: file.append(data.x.subarray(i * size, (i + 1) * size)),
  }));
  return streamedRows({
    refs,
    y: data.y,
    lengths: data.lengths,
    frames: FRAMES,
    dims: DIMS,
    stats: normalizationStats(data),
  });
}

Deno.test("a streamed dataset reads exactly the in-memory normalised rows", async () => {
  const data = randomData(9);
  const rows = streamed(data, "same.f32");
  const memory = applyNormalization(data, normalizationStats(data));
  const idx = [4, 0, 8, 4];
  const got = await rows.gather(idx, 1);
  const size = FRAMES * DIMS;
  idx.forEach((r, i) =>
    assert.deepEqual(
      got.subarray(i * size, (i + 1) * size),
      memory.x.subarray(r * size, (r + 1) * size),
    )
  );
  await assert.rejects(() => rows.gather([9], 1), /no row 9/);
});

Deno.test("prefetchBatches: in order, never more than depth + 1 reads pending", async () => {
  const batches = [[0], [1], [2], [3], [4]];
  let pending = 0;
  let most = 0;
  const queue = prefetchBatches(batches, async (idx) => {
    pending++;
    most = Math.max(most, pending);
    await new Promise((r) => setTimeout(r, 2));
    pending--;
    return Float32Array.of(idx[0]);
  }, 2);
  const seen: number[] = [];
  for (let b = 0; b < batches.length; b++) seen.push((await queue.next())[0]);
  assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  assert.ok(most <= 3, `${most} reads pending at once`);
  await assert.rejects(() => queue.next(), /no batch left/);
});

Deno.test("a streamed epoch visits every example exactly once", async () => {
  const data = randomData(23);
  const rows = streamed(data, "epoch.f32");
  const visits = new Map<number, number[]>();
  const spy: StreamedRows = {
    ...rows,
    gather: (idx, epoch) => {
      const seen = visits.get(epoch) ?? [];
      seen.push(...idx);
      visits.set(epoch, seen);
      return rows.gather(idx, epoch);
    },
  };
  const model = await withSeededMathRandom("stream-init", () =>
    buildModel(
      mergeModelConfig(CONV1D_MODEL_CONFIG, {
        conv: { filters: [4], kernelSize: 3 },
        rnn: { units: 4 },
        dense: [4],
      }),
      { frames: FRAMES, dims: DIMS },
      3,
    ));
  await fit(model, spy, streamed(randomData(5), "val.f32"), {
    labels: ["a", "b", "c"],
    config: { ...DEFAULT_TRAIN_CONFIG, epochs: 2, batchSize: 5, seed: 1 },
    progress: "silent",
  });
  model.dispose();
  assert.deepEqual([...visits.keys()], [1, 2]);
  for (const seen of visits.values()) {
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      Array.from({ length: 23 }, (_, i) => i),
    );
  }
  assert.notDeepEqual(visits.get(1), visits.get(2), "reshuffled per epoch");
});

Deno.test("cleanup", () => Deno.removeSync(dir, { recursive: true }));
