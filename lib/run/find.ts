/**
 * Finding models: every finished model directory under `models/` (runs and
 * their `fold-<i>/` models), the newest one (what `predict`, `evaluate`,
 * `report` and the notebooks use by default, with the shipped real-speech
 * model as the fall-back), and a directory resolved into its model(s).
 *
 * @module
 */
import * as path from "node:path";
import {
  type ClassificationMetrics,
  metricsFromConfusion,
} from "../evaluate/metrics.ts";
import { exists, MODELS_DIR, PRETRAINED_MODEL_DIR } from "../paths.ts";
import { isFinished, type ModelCard, readCard } from "./card.ts";
import {
  type EnsembleManifest,
  isEnsembleDir,
  readEnsemble,
} from "./ensemble.ts";
import { CARD_JSON, foldNumber } from "./layout.ts";

/** A model directory found under the models folder. */
export interface ModelDirEntry {
  /** The directory holding `card.json`. */
  dir: string;
  /** The card's `createdAt` (ISO time). */
  createdAt: string;
}

/** A model directory, a cross-validation run of `fold-<i>/` models, or an ensemble. */
export interface ModelRun {
  /** The directory given (absolute). */
  dir: string;
  /** The model directories: one, or one per fold (or member) in order. */
  models: { dir: string; card: ModelCard }[];
  /** True when `dir` holds `fold-<i>/` models. */
  folds: boolean;
  /** The ensemble manifest when `dir` is an ensemble (used as one model), else null. */
  ensemble: EnsembleManifest | null;
}

function subdirs(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)]
      .filter((e) => e.isDirectory)
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The `createdAt` of the finished model in `dir` — a model directory's card,
 * or an ensemble's manifest (whose members are checked) — else null.
 */
function finishedAt(dir: string): string | null {
  try {
    if (isEnsembleDir(dir)) return readEnsemble(dir).manifest.createdAt;
    const file = path.join(dir, CARD_JSON);
    if (!exists(file)) return null;
    const card = JSON.parse(Deno.readTextFileSync(file));
    return typeof card?.createdAt === "string" && isFinished(card)
      ? card.createdAt
      : null;
  } catch {
    return null;
  }
}

/**
 * Every finished model under `root` (default `models/`): `<root>/<run>/`
 * (a model directory or an ensemble) and `<root>/<run>/fold-<i>/` holding a
 * `card.json` with a `createdAt` whose training is not still in progress,
 * newest first. A
 * `card.json` that is not JSON, or of a run still training (or killed
 * mid-run), is not a candidate (opening such a directory explicitly reports
 * why).
 */
export function listModelDirs(root: string = MODELS_DIR): ModelDirEntry[] {
  const found: ModelDirEntry[] = [];
  for (const run of subdirs(root)) {
    const candidates = [
      run,
      ...subdirs(run).filter((d) => foldNumber(path.basename(d)) !== null),
    ];
    for (const dir of candidates) {
      const createdAt = finishedAt(dir);
      if (createdAt !== null) found.push({ dir, createdAt });
    }
  }
  const time = (e: ModelDirEntry) => Date.parse(e.createdAt) || 0;
  return found.sort((a, b) => time(b) - time(a) || (a.dir < b.dir ? 1 : -1));
}

/** Where {@linkcode findModelDir} found the model. */
export interface FoundModel {
  /** The model directory. */
  dir: string;
  /** `trained`: the newest under the models folder; `pretrained`: the shipped model. */
  source: "trained" | "pretrained";
}

/**
 * The model to use when none is named: the newest finished model under
 * `root` (by the card's `createdAt`), else the shipped real-speech model
 * (`pretrained`, default {@linkcode PRETRAINED_MODEL_DIR} when `root` is the
 * models folder, none otherwise). Throws an Error saying where it looked
 * and how to train a model when there is neither.
 */
export function findModelDir(
  root: string = MODELS_DIR,
  pretrained: string | null = root === MODELS_DIR ? PRETRAINED_MODEL_DIR : null,
): FoundModel {
  const [newest] = listModelDirs(root);
  if (newest) return { dir: newest.dir, source: "trained" };
  if (pretrained && exists(path.join(pretrained, CARD_JSON))) {
    return { dir: pretrained, source: "pretrained" };
  }
  throw new Error(
    `no trained model found: looked for ${root}/<run>/${CARD_JSON} and ${root}/<run>/fold-<i>/${CARD_JSON}` +
      (pretrained ? ` and the shipped model ${pretrained}` : "") +
      `; train one with \`deno task train\` or pass a model directory (--model <dir>)`,
  );
}

/** The newest model's directory (see {@linkcode findModelDir}). */
export function newestModelDir(root: string = MODELS_DIR): string {
  return findModelDir(root).dir;
}

/**
 * Resolves `dir` into its model(s): an ensemble (`ensemble.json`: its
 * members), a model directory (`card.json`), or a cross-validation run whose
 * `fold-<i>/` subfolders are model directories. Throws an Error naming the
 * directory when it is none of these.
 */
export function resolveModelRun(dir: string): ModelRun {
  const abs = path.resolve(dir);
  if (!exists(abs)) throw new Error(`${dir}: no such model directory`);
  if (isEnsembleDir(abs)) {
    const ensemble = readEnsemble(abs);
    return {
      dir: abs,
      models: ensemble.members,
      folds: ensemble.members.every((m) =>
        foldNumber(path.basename(m.dir)) !== null
      ),
      ensemble: ensemble.manifest,
    };
  }
  if (exists(path.join(abs, CARD_JSON))) {
    return {
      dir: abs,
      models: [{ dir: abs, card: readCard(abs) }],
      folds: false,
      ensemble: null,
    };
  }
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(abs)];
  } catch (err) {
    throw new Error(
      `${dir}: cannot read the folder (${(err as Error).message})`,
    );
  }
  const folds = entries
    .filter((e) => e.isDirectory && foldNumber(e.name) !== null)
    .map((e) => ({ name: e.name, n: foldNumber(e.name)! }))
    .sort((a, b) => a.n - b.n);
  if (folds.length === 0) {
    throw new Error(
      `${dir}: not a model directory (no ${CARD_JSON}) and no fold-<i>/ models inside`,
    );
  }
  return {
    dir: abs,
    models: folds.map((f) => {
      const d = path.join(abs, f.name);
      return { dir: d, card: readCard(d) };
    }),
    folds: true,
    ensemble: null,
  };
}

/**
 * The test metrics each fold saved in its card (held-out speakers), as
 * metrics for `summarizeFolds`. Throws naming the fold when a card has none.
 */
export function foldTestMetrics(run: ModelRun): ClassificationMetrics[] {
  return run.models.map(({ dir, card }) => {
    const test = card.metrics.test;
    if (!test) {
      throw new Error(
        `${
          path.join(dir, CARD_JSON)
        }: no test metrics (training did not finish)`,
      );
    }
    return metricsFromConfusion(test.confusion.labels, test.confusion.matrix);
  });
}
