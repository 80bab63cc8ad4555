/**
 * Data-parallel training across Web Workers: each worker (grad_worker.ts)
 * has its own TF.js wasm backend with the project's kernels and a replica of
 * the model; each step, every worker computes the gradient of its share of
 * the batch from the same weights, the main thread adds the gradients up in
 * worker order (so a seed and a worker count always give the same bits),
 * applies one optimizer step to its own model — the one that is validated,
 * checkpointed and saved — and the next step's weights reach the workers
 * through shared memory.
 *
 * Everything bulky goes through `SharedArrayBuffer`s, written by one side
 * and read by the other between two messages (a message is the
 * synchronisation): the weights (main → workers), the batch (main →
 * workers) and one slot per worker (gradients, moving statistics, loss,
 * predictions: worker → main).
 *
 * Batch normalisation: each worker normalises its shard with the shard's
 * own batch statistics (as PyTorch's DistributedDataParallel does without
 * SyncBatchNorm) and updates its copy of the moving mean and variance from
 * them; the main thread then sets the model's moving statistics to the
 * shards' results averaged with weights rows/batch — the moving average of
 * the shards' mean statistics. Dropout masks come from a seed per step and
 * worker.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type ReplicaSpec, replicaSpec } from "../model/replica.ts";
import { heapFloats } from "../tfjs/mod.ts";

/** Sizes shared by the pool and its workers. */
export interface PoolLayout {
  /** Rows of the largest batch. */
  maxRows: number;
  /** Frames per example. */
  frames: number;
  /** Dims per frame. */
  dims: number;
  /** `frames × dims`. */
  size: number;
  /** Classes (target columns). */
  classes: number;
  /** Values of all trainable weights. */
  trainable: number;
  /** Values of all non-trainable weights (batch-norm moving statistics). */
  moving: number;
}

/** Messages to a gradient worker. */
export type GradRequest =
  | {
    type: "init";
    spec: ReplicaSpec;
    /** `model.weights` shapes, `×`-joined, comma-separated (a check). */
    shapes: string;
    layout: PoolLayout;
    /** Every weight, in `model.weights` order. */
    weights: SharedArrayBuffer;
    /** The batch: features, then targets, then row weights. */
    inputs: SharedArrayBuffer;
    /** This worker's outputs (see {@linkcode slotViews}). */
    slot: SharedArrayBuffer;
  }
  | {
    type: "step";
    /** First row of the batch this worker takes. */
    start: number;
    /** One past its last row. */
    end: number;
    /** Rows of the whole batch. */
    rows: number;
    /** Seed of this worker's dropout masks for this step. */
    dropoutSeed: string;
  };

/** Messages from a gradient worker. */
export type GradResponse =
  | { type: "ready" }
  | {
    type: "done";
    /** Milliseconds loading the weights and the shard. */
    loadMs: number;
    /** Milliseconds computing the loss and gradients. */
    computeMs: number;
    /** Milliseconds writing the results into the slot. */
    writeMs: number;
  }
  | { type: "error"; message: string };

/** The views of a worker's output slot. */
export function slotViews(buffer: SharedArrayBuffer, layout: PoolLayout): {
  grads: Float32Array;
  moving: Float32Array;
  loss: Float64Array;
  predicted: Int32Array;
} {
  const { trainable, moving, maxRows } = layout;
  return {
    loss: new Float64Array(buffer, 0, 1),
    grads: new Float32Array(buffer, 8, trainable),
    moving: new Float32Array(buffer, 8 + 4 * trainable, moving),
    predicted: new Int32Array(buffer, 8 + 4 * (trainable + moving), maxRows),
  };
}

function slotBytes(layout: PoolLayout): number {
  return 8 + 4 * (layout.trainable + layout.moving + layout.maxRows);
}

/** One batch, as the training loop built it. */
export interface ParallelBatch {
  /** Row-major `[rows, frames, dims]` features. */
  x: Float32Array;
  /** Row-major `[rows, classes]` soft targets. */
  targets: Float32Array;
  /** Loss weight of each row. */
  rowWeights: readonly number[];
  /** Rows. */
  rows: number;
  /** Seed of the step's dropout masks (worker `i` appends `:i`). */
  dropoutSeed: string;
}

/** Where the time of the steps so far went, in milliseconds (sums over steps). */
export interface ParallelTimings {
  /** Steps taken. */
  steps: number;
  /** Wall time of the steps. */
  totalMs: number;
  /** Main thread: weights and batch into shared memory. */
  sendMs: number;
  /** Main thread: waiting for the workers. */
  waitMs: number;
  /** Slowest worker's compute (loss and gradients) per step. */
  computeMs: number;
  /** Slowest worker's loading (weights, shard) and writing (results) per step. */
  workerCopyMs: number;
  /** Main thread: adding up gradients, averaging moving statistics. */
  reduceMs: number;
  /** Main thread: the optimizer step. */
  applyMs: number;
}

/** Outcome of one data-parallel step. */
export interface ParallelStep {
  /** The batch's loss (the shards' shares added up). */
  loss: number;
  /** Predicted class of each row. */
  predicted: Int32Array;
}

/** A pool of gradient workers bound to one model. */
export interface DataParallel {
  /** Number of workers. */
  readonly workers: number;
  /**
   * Computes the batch's gradients in the workers from the model's current
   * weights, applies them with `optimizer` to `variables` (the model's
   * trainable weights, in order) and sets the moving statistics.
   */
  step(
    batch: ParallelBatch,
    optimizer: tf.Optimizer,
    variables: readonly tf.Variable[],
  ): Promise<ParallelStep>;
  /** Where the time went so far. */
  timings(): ParallelTimings;
  /** Terminates the workers. */
  close(): void;
}

/** A tensor's values: in place on wasm, else a copy. */
function readFloats(t: tf.Tensor): Float32Array {
  return tf.getBackend() === "wasm"
    ? heapFloats(t)
    : t.dataSync() as Float32Array;
}

function sizeOf(shape: readonly (number | null)[]): number {
  return shape.reduce((a: number, b) => a * (b ?? 1), 1);
}

/** Rows `[start, end)` of worker `i` of `workers` in a batch of `rows`. */
export function shardRange(
  i: number,
  workers: number,
  rows: number,
): [number, number] {
  return [Math.floor(i * rows / workers), Math.floor((i + 1) * rows / workers)];
}

/** Sends `request` and resolves with the worker's next reply (rejects on an error). */
function call(worker: Worker, request: GradRequest): Promise<GradResponse> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<GradResponse>) => {
      if (e.data.type === "error") {
        reject(new Error(`gradient worker: ${e.data.message}`));
      } else resolve(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`gradient worker crashed: ${e.message}`));
    };
    worker.postMessage(request);
  });
}

/**
 * Starts `workers` gradient workers for `model` (each starts its own wasm
 * backend and builds a replica) for batches of up to `maxRows` rows of
 * `frames × dims` features and `classes` targets.
 */
export async function createDataParallel(
  model: tf.LayersModel,
  workers: number,
  shape: { maxRows: number; frames: number; dims: number; classes: number },
): Promise<DataParallel> {
  if (!(Number.isInteger(workers) && workers >= 1)) {
    throw new Error(`training workers must be a positive integer: ${workers}`);
  }
  const layout: PoolLayout = {
    ...shape,
    size: shape.frames * shape.dims,
    trainable: model.trainableWeights.reduce((s, w) => s + sizeOf(w.shape), 0),
    moving: model.nonTrainableWeights.reduce((s, w) => s + sizeOf(w.shape), 0),
  };
  const total = model.weights.reduce((s, w) => s + sizeOf(w.shape), 0);
  const weightsBuffer = new SharedArrayBuffer(4 * total);
  const weights = new Float32Array(weightsBuffer);
  const inputsBuffer = new SharedArrayBuffer(
    4 * layout.maxRows * (layout.size + layout.classes + 1),
  );
  const inputs = new Float32Array(inputsBuffer);
  const slots = Array.from(
    { length: workers },
    () => new SharedArrayBuffer(slotBytes(layout)),
  );
  const views = slots.map((s) => slotViews(s, layout));
  const pool = Array.from(
    { length: workers },
    () =>
      new Worker(new URL("./grad_worker.ts", import.meta.url), {
        type: "module",
      }),
  );
  const spec = replicaSpec(model);
  const shapes = model.weights.map((w) => w.shape.join("×")).join(",");
  try {
    await Promise.all(pool.map((w, i) =>
      call(w, {
        type: "init",
        spec,
        shapes,
        layout,
        weights: weightsBuffer,
        inputs: inputsBuffer,
        slot: slots[i],
      })
    ));
  } catch (err) {
    for (const w of pool) w.terminate();
    throw err;
  }
  const time: ParallelTimings = {
    steps: 0,
    totalMs: 0,
    sendMs: 0,
    waitMs: 0,
    computeMs: 0,
    workerCopyMs: 0,
    reduceMs: 0,
    applyMs: 0,
  };
  const grads = new Float32Array(layout.trainable);
  const moving = new Float64Array(layout.moving);

  const step = async (
    batch: ParallelBatch,
    optimizer: tf.Optimizer,
    variables: readonly tf.Variable[],
  ): Promise<ParallelStep> => {
    const { rows } = batch;
    if (rows > layout.maxRows) {
      throw new Error(`batch of ${rows} rows > ${layout.maxRows}`);
    }
    const t0 = performance.now();
    let offset = 0;
    for (const w of model.weights) {
      const v = readFloats(w.read());
      weights.set(v, offset);
      offset += v.length;
    }
    inputs.set(batch.x.subarray(0, rows * layout.size));
    const targetsAt = layout.maxRows * layout.size;
    inputs.set(batch.targets.subarray(0, rows * layout.classes), targetsAt);
    inputs.set(batch.rowWeights, targetsAt + layout.maxRows * layout.classes);
    const t1 = performance.now();
    const active = pool.map((_, i) => shardRange(i, workers, rows))
      .map((range, i) => ({ range, i }))
      .filter(({ range: [s, e] }) => e > s);
    const replies = await Promise.all(
      active.map(({ range: [start, end], i }) =>
        call(pool[i], {
          type: "step",
          start,
          end,
          rows,
          dropoutSeed: `${batch.dropoutSeed}:${i}`,
        })
      ),
    );
    const t2 = performance.now();
    // Fixed order: worker 0's gradients, plus worker 1's, plus …
    grads.set(views[active[0].i].grads);
    for (const { i } of active.slice(1)) {
      const g = views[i].grads;
      for (let j = 0; j < g.length; j++) grads[j] += g[j];
    }
    moving.fill(0);
    let loss = 0;
    const predicted = new Int32Array(rows);
    for (const { range: [start, end], i } of active) {
      const share = (end - start) / rows;
      const m = views[i].moving;
      for (let j = 0; j < m.length; j++) moving[j] += share * m[j];
      loss += views[i].loss[0];
      predicted.set(views[i].predicted.subarray(0, end - start), start);
    }
    const t3 = performance.now();
    tf.tidy(() => {
      const named: tf.NamedTensorMap = {};
      let at = 0;
      for (const v of variables) {
        const n = sizeOf(v.shape);
        named[v.name] = tf.tensor(grads.subarray(at, at + n), v.shape);
        at += n;
      }
      optimizer.applyGradients(named);
      at = 0;
      for (const w of model.nonTrainableWeights) {
        const n = sizeOf(w.shape);
        w.write(
          tf.tensor(
            Float32Array.from(moving.subarray(at, at + n)),
            w.shape as number[],
          ),
        );
        at += n;
      }
    });
    const t4 = performance.now();
    time.steps++;
    time.totalMs += t4 - t0;
    time.sendMs += t1 - t0;
    time.waitMs += t2 - t1;
    time.reduceMs += t3 - t2;
    time.applyMs += t4 - t3;
    const done = replies as Extract<GradResponse, { type: "done" }>[];
    time.computeMs += Math.max(...done.map((r) => r.computeMs));
    time.workerCopyMs += Math.max(...done.map((r) => r.loadMs + r.writeMs));
    return { loss, predicted };
  };

  return {
    workers,
    step,
    timings: () => ({ ...time }),
    close: () => {
      for (const w of pool) w.terminate();
    },
  };
}
