/**
 * Claiming a run directory for training: an exclusive lock for the whole
 * run (a second training into the same `--out` fails at once, naming the
 * first), and the rules for what may already be there — a finished model is
 * never overwritten without `force`, `resume` needs a checkpoint.
 *
 * @module
 */
import * as path from "node:path";
import { type DirLock, LOCK_FILE, lockDir } from "../lock.ts";
import { exists } from "../paths.ts";
import { isFinished, readCard } from "./card.ts";
import { ENSEMBLE_JSON } from "./ensemble.ts";
import { hasCheckpoint } from "./checkpoint.ts";
import { MODEL_JSON, WEIGHTS_BIN } from "../model/io.ts";
import {
  CARD_JSON,
  CHECKPOINT_DIR,
  foldDirName,
  foldNumber,
  HISTORY_JSON,
  REFIT_DIR,
  STATE_JSON,
} from "./layout.ts";

/** A folder of a run that holds one of its models: `fold-<i>/` or `refit/`. */
function isMemberDir(name: string): boolean {
  return foldNumber(name) !== null || name === REFIT_DIR;
}

/** Options of {@linkcode claimRunDir}. */
export interface ClaimOptions {
  /** Continue the run's checkpoint(s) (refused when there is none). */
  resume?: boolean;
  /** Replace a finished model that is already there. */
  force?: boolean;
  /** Number of cross-validation folds the run will write (none: one model). */
  folds?: number;
  /** What the lock says the holder is doing. */
  purpose?: string;
}

/**
 * The model directories of a run: the run itself, or its `fold-<i>/`
 * folders (then `refit/` last, with `refit`).
 */
export function modelDirsOf(
  dir: string,
  folds?: number,
  refit = false,
): string[] {
  return folds && folds > 1
    ? [
      ...Array.from(
        { length: folds },
        (_, i) => path.join(dir, foldDirName(i + 1)),
      ),
      ...(refit ? [path.join(dir, REFIT_DIR)] : []),
    ]
    : [dir];
}

function finishedModels(dir: string): string[] {
  const candidates = [dir];
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory && isMemberDir(e.name)) {
        candidates.push(path.join(dir, e.name));
      }
    }
  } catch { /* not a folder yet */ }
  return candidates.filter((d) => {
    if (!exists(path.join(d, CARD_JSON))) return false;
    try {
      return isFinished(readCard(d));
    } catch {
      return true; // a card we cannot read is still someone's model
    }
  });
}

/**
 * Locks `dir` for training and checks what is in it: with `resume`, every
 * model directory of the run must hold a checkpoint (or, for folds not yet
 * started, nothing); without it, a finished model there is refused unless
 * `force`, which removes the old run's files first (nothing else in the
 * folder is touched). Returns the lock; release it when training ends.
 * Errors name the folder and what to do.
 */
export function claimRunDir(dir: string, options: ClaimOptions = {}): DirLock {
  const lock = lockDir(dir, options.purpose ?? "train");
  try {
    const dirs = modelDirsOf(dir, options.folds);
    if (options.resume) {
      if (!dirs.some(hasCheckpoint)) {
        throw new Error(
          `${dir}: --resume, but there is no checkpoint to resume from (no ${
            path.join(dirs[0], CHECKPOINT_DIR, STATE_JSON)
          }); train without --resume to start the run`,
        );
      }
      return lock;
    }
    const finished = finishedModels(dir);
    if (finished.length > 0 && !options.force) {
      throw new Error(
        `${dir} already holds a finished model (${
          path.join(finished[0], CARD_JSON)
        }); choose another --out, continue it with --resume, or replace it with --force`,
      );
    }
    if (options.force) removeRunFiles(dir);
    return lock;
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** Removes what a training run writes into `dir` (not the lock, not other files). */
function removeRunFiles(dir: string): void {
  for (const e of Deno.readDirSync(dir)) {
    const runFile = [
      CARD_JSON,
      ENSEMBLE_JSON,
      MODEL_JSON,
      WEIGHTS_BIN,
      HISTORY_JSON,
      CHECKPOINT_DIR,
    ].includes(e.name) || isMemberDir(e.name);
    if (runFile && e.name !== LOCK_FILE) {
      Deno.removeSync(path.join(dir, e.name), { recursive: true });
    }
  }
}
