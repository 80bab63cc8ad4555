/**
 * The models the page may open: the default (what `deno task predict` would
 * use: `--model`, else the newest trained model, else the shipped one), then
 * every other finished model under the models folder, and each served as its
 * validated cards, topologies and weights. Only listed models are served —
 * the page names a model by its id, never by a path of its choosing.
 *
 * @module
 */
import * as path from "node:path";
import {
  displayPath,
  exists,
  MODELS_DIR,
  PRETRAINED_MODEL_DIR,
} from "../paths.ts";
import { readModelArtifacts } from "../model/io.ts";
import {
  findModelDir,
  isEnsembleDir,
  listModelDirs,
  readCard,
  readEnsemble,
} from "../run/mod.ts";
import {
  API,
  type ModelChoice,
  type ModelList,
  type ServedMember,
  type ServedModel,
} from "./protocol.ts";

/** Options of {@linkcode ModelCatalog}. */
export interface CatalogOptions {
  /** The model given on the command line (`--model`): the default. */
  model?: string;
  /** The models folder (default `models/`, or `SER_MODELS_DIR`). */
  modelsDir?: string;
  /** The shipped model (default `models/pretrained/ravdess-8class/` with the default folder). */
  pretrained?: string | null;
}

/** A listed model with its directory. */
interface Listed extends ModelChoice {
  dir: string;
}

/** The page's models, listed afresh on every request (new trainings appear). */
export class ModelCatalog {
  readonly #given: string | null;
  readonly #modelsDir: string;
  readonly #pretrained: string | null;

  /**
   * A catalog over `options.modelsDir`. Throws an Error naming `--model`
   * when the given directory does not exist.
   */
  constructor(options: CatalogOptions = {}) {
    this.#modelsDir = options.modelsDir ?? MODELS_DIR;
    this.#pretrained = options.pretrained !== undefined
      ? options.pretrained
      : this.#modelsDir === MODELS_DIR
      ? PRETRAINED_MODEL_DIR
      : null;
    this.#given = options.model ? path.resolve(options.model) : null;
    if (options.model && !exists(this.#given!)) {
      throw new Error(`--model ${options.model}: no such model directory`);
    }
  }

  #listed(): { models: Listed[]; error?: string } {
    const models: Listed[] = [];
    const add = (dir: string, source: ModelChoice["source"]) => {
      const abs = path.resolve(dir);
      if (models.some((m) => m.dir === abs)) return;
      models.push({
        id: displayPath(abs),
        dir: abs,
        source,
        default: models.length === 0,
      });
    };
    let error: string | undefined;
    if (this.#given) add(this.#given, "given");
    else {
      try {
        const found = findModelDir(this.#modelsDir, this.#pretrained);
        add(found.dir, found.source);
      } catch (err) {
        error = (err as Error).message;
      }
    }
    for (const m of listModelDirs(this.#modelsDir)) add(m.dir, "trained");
    if (this.#pretrained && exists(path.join(this.#pretrained, "card.json"))) {
      add(this.#pretrained, "pretrained");
    }
    return { models, ...(error ? { error } : {}) };
  }

  /** The picker's list, the default first (`error` when there is no model). */
  list(): ModelList {
    const { models, error } = this.#listed();
    return {
      models: models.map(({ dir: _, ...choice }) => choice),
      ...(error ? { error } : {}),
    };
  }

  /** The default model's id and directory, or null when there is none. */
  defaultModel(): { id: string; dir: string } | null {
    const [first] = this.#listed().models;
    return first ? { id: first.id, dir: first.dir } : null;
  }

  /** The directory of the listed model `id`, or null. */
  dirOf(id: string): string | null {
    return this.#listed().models.find((m) => m.id === id)?.dir ?? null;
  }

  /**
   * Model `id` as the page opens it: every member's validated card and
   * `model.json`, checked complete (weights present, of the declared size),
   * or the reason it cannot be opened.
   */
  served(id: string): ServedModel {
    const dir = this.dirOf(id);
    if (!dir) return { id, error: `${id}: not a listed model` };
    try {
      const members = memberDirs(dir).map((d, i) => {
        const card = readCard(d);
        const artifacts = readModelArtifacts(d);
        return {
          name: displayPath(d),
          card,
          modelTopology: artifacts.modelTopology as object,
          weightSpecs: (artifacts.weightSpecs ?? []) as ServedMember[
            "weightSpecs"
          ],
          weightsUrl: `${API.weights}?id=${encodeURIComponent(id)}&member=${i}`,
        };
      });
      return {
        id,
        labels: members[0].card.labels,
        featureConfig: members[0].card.featureConfig,
        members,
      };
    } catch (err) {
      return { id, error: (err as Error).message };
    }
  }

  /** The weights of member `member` of model `id` (null when not listed). */
  weights(id: string, member: number): Uint8Array<ArrayBuffer> | null {
    const dir = this.dirOf(id);
    const d = dir ? memberDirs(dir)[member] : undefined;
    if (!d) return null;
    return new Uint8Array(readModelArtifacts(d).weightData as ArrayBuffer);
  }
}

/** A model directory's members: an ensemble's, or itself. */
function memberDirs(dir: string): string[] {
  return isEnsembleDir(dir) ? readEnsemble(dir).members.map((m) => m.dir) : [
    dir,
  ];
}
