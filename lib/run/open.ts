/**
 * Opening a model — a model directory or an ensemble of them: every check
 * that each member is complete and self-consistent (card version and hash,
 * weights present, confined to the folder and finite, input and output
 * shapes agreeing with the card) before any audio is touched, then each
 * model loaded with its LSTM layers fused.
 *
 * @module
 */
import * as path from "node:path";
import { readModelArtifacts } from "../model/io.ts";
import { readCard } from "./card.ts";
import { isEnsembleDir, readEnsemble } from "./ensemble.ts";
import {
  memberFromArtifacts,
  modelFacts,
  type OpenedMember,
  type OpenedModel,
} from "./member.ts";

/**
 * Opens the model in `dir`: a model directory (see {@linkcode openMember}),
 * or an ensemble (`ensemble.json`, see `readEnsemble`) whose members are
 * each opened so. Errors name the directory (or file) and the reason.
 * Needs an initialised TF.js backend.
 */
export async function openModelDir(dir: string): Promise<OpenedModel> {
  const abs = path.resolve(dir);
  let stat: Deno.FileInfo;
  try {
    stat = Deno.statSync(abs);
  } catch {
    throw new Error(`${dir}: no such model directory`);
  }
  if (!stat.isDirectory) {
    throw new Error(`${dir}: not a directory (expected a model directory)`);
  }
  const ensemble = isEnsembleDir(abs) ? readEnsemble(abs) : null;
  const dirs = ensemble ? ensemble.members.map((m) => m.dir) : [abs];
  const members: OpenedMember[] = [];
  try {
    for (const d of dirs) members.push(await openMember(d));
  } catch (err) {
    for (const m of members) m.model.dispose();
    throw err;
  }
  const cards = members.map((m) => m.card);
  return {
    dir: abs,
    ensemble: ensemble?.manifest ?? null,
    members,
    labels: cards[0].labels,
    featureConfig: cards[0].featureConfig,
    facts: modelFacts(ensemble?.manifest.run ?? cards[0].run, cards),
  };
}

/**
 * Opens one model directory: reads and validates `card.json` (see
 * `readCard`), reads `model.json` and its weights (see `readModelArtifacts`:
 * confined to the folder), then checks and loads them (see
 * {@linkcode memberFromArtifacts}).
 */
export async function openMember(abs: string): Promise<OpenedMember> {
  return await memberFromArtifacts(abs, readCard(abs), readModelArtifacts(abs));
}
