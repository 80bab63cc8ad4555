/**
 * What a run directory records while training runs: `history.json` (one
 * {@linkcode EpochRecord} per epoch) and `checkpoint/` (the last epoch's
 * weights, the optimizer's variables and the {@linkcode TrainState}), which
 * `--resume` continues from. The state carries the run's
 * {@linkcode RunIdentity}, so a resume that would change what defines the run
 * (data, split, labels, recipe) is refused, naming what differs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { loadLayersModelDir, saveLayersModel } from "../model/io.ts";
import { ensureDir, exists, writeFileAtomic } from "../paths.ts";
import {
  CHECKPOINT_DIR,
  HISTORY_JSON,
  OPTIMIZER_BIN,
  OPTIMIZER_JSON,
  STATE_JSON,
} from "./layout.ts";

/** What one epoch measured (a row of `history.json`). */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss (weighted cross-entropy). */
  loss: number;
  /** Training accuracy (with dropout active, as seen during the epoch). */
  accuracy: number;
  /** Validation cross-entropy (absent when training without validation speakers). */
  valLoss?: number;
  /** Validation accuracy (absent without validation speakers). */
  valAccuracy?: number;
  /** Validation unweighted average recall (absent without validation speakers). */
  valUar?: number;
  /** Learning rate used in this epoch. */
  learningRate: number;
  /** Wall time of the epoch in seconds. */
  seconds: number;
}

/** Where training stood after an epoch; enough to resume. */
export interface TrainState {
  /** Epochs completed. */
  epoch: number;
  /** One record per completed epoch. */
  history: EpochRecord[];
  /**
   * Epoch (1-based) whose weights are kept so far (0: none yet): the best
   * validation UAR, or the last epoch when the recipe keeps the last.
   */
  bestEpoch: number;
  /** Validation UAR of that epoch (-1: none yet, or no validation). */
  bestValUar: number;
  /** Learning rate for the next epoch. */
  learningRate: number;
  /** Epochs since the last improvement. */
  wait: number;
}

/**
 * What defines a run, compared field by field on `--resume`: any change
 * would make the card describe a model it did not train (e.g. claim a
 * speaker-independent test on a speaker it trained on).
 */
export interface RunIdentity {
  /** SHA-256 of the manifest (paths, speakers, labels). */
  manifestHash: string;
  /** Class labels in output order. */
  labels: string[];
  /** Speakers of each part. */
  speakers: { train: string[]; validation: string[]; test: string[] };
  /** The recipe's sections as JSON (the epoch budget excluded: a run may be extended). */
  recipe: Record<string, unknown>;
}

/** The names of the identity fields that differ between `a` and `b`. */
export function identityDifferences(a: RunIdentity, b: RunIdentity): string[] {
  const out: string[] = [];
  const same = (x: unknown, y: unknown) =>
    JSON.stringify(x) === JSON.stringify(y);
  if (a.manifestHash !== b.manifestHash) {
    out.push("the data (manifest hash)");
  }
  if (!same(a.labels, b.labels)) {
    out.push(`the labels (${a.labels.join(",")} → ${b.labels.join(",")})`);
  }
  for (const part of ["train", "validation", "test"] as const) {
    if (!same(a.speakers[part], b.speakers[part])) {
      out.push(
        `the ${part} speakers (${a.speakers[part].join(",")} → ${
          b.speakers[part].join(",")
        })`,
      );
    }
  }
  const keys = new Set([...Object.keys(a.recipe), ...Object.keys(b.recipe)]);
  for (const k of [...keys].sort()) {
    if (!same(a.recipe[k], b.recipe[k])) out.push(`the ${k} config`);
  }
  return out;
}

/** A checkpoint read back by {@linkcode loadCheckpoint}. */
export interface Checkpoint {
  /** Training state after the checkpoint's epoch. */
  state: TrainState;
  /** The identity of the run that wrote it. */
  identity: RunIdentity;
}

/** True when `dir` holds a checkpoint (its state file). */
export function hasCheckpoint(dir: string): boolean {
  return exists(path.join(dir, CHECKPOINT_DIR, STATE_JSON));
}

/** Writes `history.json` into `dir` atomically. */
export function writeHistory(
  dir: string,
  history: readonly EpochRecord[],
): void {
  writeFileAtomic(
    path.join(dir, HISTORY_JSON),
    JSON.stringify(history, null, 2),
  );
}

/** The `history.json` of `dir`, or null when there is none; throws naming the file when it is malformed. */
export function readHistory(dir: string): EpochRecord[] | null {
  const file = path.join(dir, HISTORY_JSON);
  if (!exists(file)) return null;
  try {
    const h = JSON.parse(Deno.readTextFileSync(file));
    if (!Array.isArray(h)) throw new Error("not an array of epochs");
    return h as EpochRecord[];
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/**
 * Saves the checkpoint of `dir`: model weights, optimizer variables and
 * state are written into a fresh folder beside `checkpoint/`, which then
 * replaces it with two renames in one synchronous step — so whatever stops
 * the process (a second Ctrl-C, a crash), `checkpoint/` is either the
 * previous complete checkpoint or the new complete one, never a mix.
 */
export async function saveCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  checkpoint: Checkpoint,
): Promise<void> {
  const ckpt = path.join(dir, CHECKPOINT_DIR);
  const tag = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const fresh = `${ckpt}.tmp-${tag}`;
  ensureDir(fresh);
  await saveLayersModel(model, fresh);
  const weights = await optimizer.getWeights();
  const specs = weights.map((w) => ({ name: w.name, shape: w.tensor.shape }));
  const data = new Float32Array(weights.reduce((n, w) => n + w.tensor.size, 0));
  let offset = 0;
  for (const w of weights) {
    data.set(w.tensor.dataSync(), offset);
    offset += w.tensor.size;
  }
  // From here on nothing awaits: no signal handler can run in between.
  Deno.writeFileSync(
    path.join(fresh, OPTIMIZER_BIN),
    new Uint8Array(data.buffer),
  );
  Deno.writeTextFileSync(
    path.join(fresh, OPTIMIZER_JSON),
    JSON.stringify(specs),
  );
  Deno.writeTextFileSync(
    path.join(fresh, STATE_JSON),
    JSON.stringify(checkpoint),
  );
  const old = `${ckpt}.old-${tag}`;
  if (exists(ckpt)) Deno.renameSync(ckpt, old);
  Deno.renameSync(fresh, ckpt);
  if (exists(old)) Deno.removeSync(old, { recursive: true });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(Deno.readTextFileSync(file));
  } catch (err) {
    throw new Error(
      `${file}: corrupt checkpoint file (${(err as Error).message})`,
    );
  }
}

/**
 * Reads the checkpoint of `dir` into `model` and `optimizer` and returns its
 * state. Before touching the model it compares the checkpoint's identity
 * with `expected` and refuses (naming every difference) a resume that would
 * change what defines the run. Throws an Error naming the missing or corrupt
 * file.
 */
export async function loadCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  expected: RunIdentity,
): Promise<TrainState> {
  const ckpt = path.join(dir, CHECKPOINT_DIR);
  const stateFile = path.join(ckpt, STATE_JSON);
  if (!exists(stateFile)) {
    throw new Error(
      `${dir}: no checkpoint to resume from (${stateFile} is missing)`,
    );
  }
  const saved = readJson(stateFile) as Partial<Checkpoint>;
  if (
    typeof saved?.state?.epoch !== "number" ||
    !Array.isArray(saved.state.history) || typeof saved.identity !== "object"
  ) {
    throw new Error(
      `${stateFile}: corrupt checkpoint file (no training state and run identity)`,
    );
  }
  const differences = identityDifferences(
    saved.identity as RunIdentity,
    expected,
  );
  if (differences.length > 0) {
    throw new Error(
      `${dir}: --resume refused: the run would change ${
        differences.join("; ")
      }. Resume with the same data, split, labels and config, or start a new run (another --out, or --force)`,
    );
  }
  let weights: tf.LayersModel;
  try {
    weights = await loadLayersModelDir(ckpt);
  } catch (err) {
    throw new Error(
      `${ckpt}: corrupt checkpoint model (${(err as Error).message})`,
    );
  }
  try {
    model.setWeights(weights.getWeights());
  } catch (err) {
    throw new Error(
      `${ckpt}: the checkpoint's weights do not fit this model (${
        (err as Error).message
      })`,
    );
  } finally {
    weights.dispose();
  }
  const specsFile = path.join(ckpt, OPTIMIZER_JSON);
  const binFile = path.join(ckpt, OPTIMIZER_BIN);
  const specs = readJson(specsFile) as { name: string; shape: number[] }[];
  if (!Array.isArray(specs)) {
    throw new Error(`${specsFile}: corrupt checkpoint file (not a list)`);
  }
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(binFile);
  } catch (err) {
    throw new Error(
      `${binFile}: corrupt checkpoint file (${(err as Error).message})`,
    );
  }
  const sizes = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (bytes.byteLength !== total * 4) {
    throw new Error(
      `${binFile}: corrupt checkpoint file (${bytes.byteLength} bytes, ${specsFile} needs ${
        total * 4
      })`,
    );
  }
  const data = new Float32Array(bytes.slice().buffer);
  let offset = 0;
  await optimizer.setWeights(specs.map((s, i) => {
    const tensor = tf.tensor(data.subarray(offset, offset + sizes[i]), s.shape);
    offset += sizes[i];
    return { name: s.name, tensor };
  }));
  return saved.state;
}
