/**
 * Ensembles: a run directory whose `ensemble.json` lists member model
 * directories (e.g. the `fold-<i>/` models of a cross-validation run) that
 * prediction, evaluation and the report use as one model — the class
 * probabilities are the mean of the members'. Every member is a complete
 * model directory with its own card; they must share labels and the feature
 * config (each keeps its own normalisation statistics).
 *
 * `ensemble.json`:
 *
 * ```json
 * { "format": "ser-ensemble", "version": 1, "run": "…", "createdAt": "…",
 *   "members": ["fold-1", "fold-2"], "description": "…",
 *   "metrics": { "crossValidation": { … } } }
 * ```
 *
 * @module
 */
import * as path from "node:path";
import type { CrossValidationJson } from "../evaluate/mod.ts";
import { exists, writeFileAtomic } from "../paths.ts";
import { isFinished, type ModelCard, readCard } from "./card.ts";

/** The ensemble manifest of a run directory. */
export const ENSEMBLE_JSON = "ensemble.json";

/** Format version of `ensemble.json` written and read by this code. */
export const ENSEMBLE_VERSION = 1;

/** What `ensemble.json` holds. */
export interface EnsembleManifest {
  /** Always `ser-ensemble`. */
  format: "ser-ensemble";
  /** {@linkcode ENSEMBLE_VERSION}. */
  version: number;
  /** Run name (the directory's name). */
  run: string;
  /** ISO time the ensemble was written. */
  createdAt: string;
  /** Member model directories, relative to the ensemble's directory. */
  members: string[];
  /** Human-readable description (e.g. "4 cross-validation fold models"). */
  description: string;
  /** The members' cross-validation summary, when they are fold models. */
  metrics?: { crossValidation?: CrossValidationJson };
}

/** An ensemble read and checked by {@linkcode readEnsemble}. */
export interface Ensemble {
  /** The ensemble's directory (absolute). */
  dir: string;
  /** Its manifest. */
  manifest: EnsembleManifest;
  /** The members, in manifest order, each with its validated card. */
  members: { dir: string; card: ModelCard }[];
}

/** True when `dir` holds an `ensemble.json`. */
export function isEnsembleDir(dir: string): boolean {
  return exists(path.join(dir, ENSEMBLE_JSON));
}

/**
 * Writes `ensemble.json` into `dir` for `members` (directories inside it)
 * after checking that they form an ensemble (see {@linkcode readEnsemble}).
 */
export function writeEnsemble(
  dir: string,
  fields: Omit<EnsembleManifest, "format" | "version" | "run" | "createdAt">,
): EnsembleManifest {
  const manifest: EnsembleManifest = {
    format: "ser-ensemble",
    version: ENSEMBLE_VERSION,
    run: path.basename(path.resolve(dir)),
    createdAt: new Date().toISOString(),
    ...fields,
  };
  checkMembers(path.resolve(dir), manifest, path.join(dir, ENSEMBLE_JSON));
  writeFileAtomic(
    path.join(dir, ENSEMBLE_JSON),
    JSON.stringify(manifest, null, 2) + "\n",
  );
  return manifest;
}

function checkMembers(
  dir: string,
  manifest: EnsembleManifest,
  file: string,
): { dir: string; card: ModelCard }[] {
  const fail = (reason: string): never => {
    throw new Error(`${file}: ${reason}`);
  };
  if (
    !Array.isArray(manifest.members) || manifest.members.length === 0 ||
    !manifest.members.every((m) => typeof m === "string")
  ) fail("members must be a non-empty list of member directories");
  const members = manifest.members.map((m) => {
    const member = path.resolve(dir, m);
    const rel = path.relative(dir, member);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
      fail(`member ${JSON.stringify(m)} is not a folder inside ${dir}`);
    }
    const card = readCard(member);
    if (!isFinished(card)) fail(`member ${m} is still training`);
    return { dir: member, card };
  });
  const [first] = members;
  for (const m of members.slice(1)) {
    const name = path.relative(dir, m.dir);
    if (m.card.labels.join(",") !== first.card.labels.join(",")) {
      fail(
        `member ${name} has labels ${m.card.labels.join(", ")}, ${
          path.relative(dir, first.dir)
        } has ${first.card.labels.join(", ")}`,
      );
    }
    if (m.card.featureConfigHash !== first.card.featureConfigHash) {
      fail(
        `member ${name} was trained on other features than ${
          path.relative(dir, first.dir)
        } (feature config ${m.card.featureConfigHash} vs ${first.card.featureConfigHash})`,
      );
    }
  }
  return members;
}

/**
 * Reads `ensemble.json` in `dir` and every member's card. Throws an Error
 * naming the file and the reason when it is malformed, a member is missing,
 * unfinished or outside the folder, or the members disagree on labels or
 * features.
 */
export function readEnsemble(dir: string): Ensemble {
  const abs = path.resolve(dir);
  const file = path.join(abs, ENSEMBLE_JSON);
  let manifest: EnsembleManifest;
  try {
    manifest = JSON.parse(Deno.readTextFileSync(file));
  } catch (err) {
    throw new Error(
      `${file}: ${
        err instanceof Deno.errors.NotFound
          ? "missing"
          : `not valid JSON (${(err as Error).message})`
      }`,
    );
  }
  if (manifest?.format !== "ser-ensemble") {
    throw new Error(
      `${file}: not an ensemble manifest (format is ${
        String(manifest?.format)
      })`,
    );
  }
  if (manifest.version !== ENSEMBLE_VERSION) {
    throw new Error(
      `${file}: ensemble version ${manifest.version} is incompatible with this toolkit (reads version ${ENSEMBLE_VERSION})`,
    );
  }
  return { dir: abs, manifest, members: checkMembers(abs, manifest, file) };
}
