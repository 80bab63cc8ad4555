/**
 * The layout of a run directory — the one place that names its files and
 * folders:
 *
 * ```text
 * models/<run>/                 a model directory (or, for --folds, the run)
 *   model.json, weights.bin     the model (plain TF.js layers format)
 *   card.json                   the model card
 *   history.json                one record per epoch
 *   checkpoint/                 the last epoch's weights, optimizer, state
 *   .lock                       held while a process trains into it
 *   fold-<i>/                   cross-validation fold models (--folds)
 * ```
 *
 * @module
 */
import * as path from "node:path";

/** The model card. */
export const CARD_JSON = "card.json";
/** Per-epoch training history. */
export const HISTORY_JSON = "history.json";
/** Folder of the resumable checkpoint. */
export const CHECKPOINT_DIR = "checkpoint";
/** Training state in the checkpoint (epoch, best epoch, learning rate, identity). */
export const STATE_JSON = "state.json";
/** Optimizer variable specs in the checkpoint. */
export const OPTIMIZER_JSON = "optimizer.json";
/** Optimizer variable values in the checkpoint. */
export const OPTIMIZER_BIN = "optimizer.bin";

/**
 * Folder of the model refitted on every speaker after cross-validation
 * (`deno task train --folds K --refit`), beside the `fold-<i>/` folders.
 */
export const REFIT_DIR = "refit";

const FOLD_PATTERN = /^fold-(\d+)$/;

/** Name of cross-validation fold `i` (1-based): `fold-<i>`. */
export function foldDirName(i: number): string {
  return `fold-${i}`;
}

/** The fold number of a `fold-<i>` folder name, or null for any other name. */
export function foldNumber(name: string): number | null {
  const m = FOLD_PATTERN.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * The run a model directory belongs to: the parent of a `fold-<i>/`
 * directory (a cross-validation run), otherwise the directory itself.
 */
export function runDirOf(modelDir: string): string {
  return foldNumber(path.basename(modelDir)) !== null
    ? path.dirname(modelDir)
    : modelDir;
}

/** The default run name: the UTC time, e.g. `2026-11-24T15-58-56-780`. */
export function defaultRunName(now: Date = new Date()): string {
  return now.toISOString().replace(/[:.]/g, "-").replace(/Z$/, "");
}
