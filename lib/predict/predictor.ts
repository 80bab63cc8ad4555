/**
 * The predictor: a trained model directory turned into "which emotion, with
 * which probabilities" for a file or a buffer of samples, computing features
 * exactly as training did — the card's feature config (sample rate, flavour,
 * trimming, deltas, per-utterance normalisation, fixed frames) and its
 * normalisation statistics.
 *
 * Short recordings (content, after the card's silence trimming, no longer
 * than the window) get one prediction from the whole clip, exactly as a
 * training clip is seen. Longer ones get a timeline over sliding windows,
 * each window featurised like a training clip; windows far quieter than the
 * loudest are marked silent, and the overall verdict is the mean of the
 * non-silent windows' probabilities (its top class is the emotion). The
 * windows go to the model batched (`MAX_BATCH` per call). The
 * sample-level work is {@linkcode SamplePredictor}'s (`samples.ts`, free of
 * Deno APIs for the browser page); this module adds finding and opening the
 * model directory and reading files.
 *
 * @module
 */
import { loadAudio } from "../audio/mod.ts";
import { initBackend } from "../tfjs/mod.ts";
import {
  extractFeatures,
  type FramesLike,
  type FrameStats,
  frameStats,
} from "../features/mod.ts";
import { displayPath, MODELS_DIR } from "../paths.ts";
import type { EvaluatedModel } from "../evaluate/mod.ts";
import { findModelDir, type OpenedModel, openModelDir } from "../run/mod.ts";
import {
  type Prediction,
  type PredictOptions,
  SamplePredictor,
} from "./samples.ts";

/**
 * A loaded model ready to predict: a {@linkcode SamplePredictor} (samples,
 * windows, timeline settings) that also knows its directory and reads files.
 */
export interface Predictor extends SamplePredictor {
  /** The model directory (absolute). */
  readonly dir: string;
  /**
   * How the model was chosen: `given` (a directory was named), `trained`
   * (the newest finished model under the models folder) or `pretrained`
   * (the shipped real-speech model: no trained model was found).
   */
  readonly source: ModelSource;
  /** One line saying which model answers and how it was chosen, for logs. */
  readonly description: string;
  /** What evaluation needs to know of the model (labels, corpora, speakers seen). */
  readonly facts: EvaluatedModel;
  /** The member model directories: one, or an ensemble's. */
  readonly members: readonly string[];
  /**
   * Feature statistics of one speaker's recordings `paths`, for
   * `speakerStats` (files that cannot be read are left out; none readable
   * is an error naming them).
   */
  speakerStats(paths: readonly string[]): Promise<FrameStats>;
  /** Predicts an audio file (wav, mp3, flac, ogg, …); errors name the file. */
  predictFile(path: string, options?: PredictOptions): Promise<Prediction>;
}

/** How {@linkcode loadPredictor} chose the model. */
export type ModelSource = "given" | "trained" | "pretrained";

/** Options of {@linkcode loadPredictor}. */
export interface LoadPredictorOptions {
  /** Where to look for the newest model when no directory is given (default `models/`). */
  modelsDir?: string;
}

class ModelPredictor extends SamplePredictor implements Predictor {
  readonly dir: string;
  readonly source: ModelSource;
  readonly description: string;
  readonly facts: EvaluatedModel;
  readonly members: readonly string[];

  constructor(opened: OpenedModel, source: ModelSource) {
    super(opened);
    this.dir = opened.dir;
    this.source = source;
    this.facts = opened.facts;
    this.members = opened.members.map((m) => m.dir);
    const how = {
      given: "",
      trained: " (the newest trained model)",
      pretrained:
        " (the shipped real-speech model: no trained model under models/)",
    }[source];
    const kind = opened.ensemble
      ? ` (an ensemble of ${opened.members.length} models)`
      : "";
    this.description = `model: ${
      displayPath(this.dir)
    }${how}${kind}, ${this.labels.length} classes (${
      this.labels.join(", ")
    }), window ${this.windowS} s`;
  }

  async predictFile(
    path: string,
    options: PredictOptions = {},
  ): Promise<Prediction> {
    const audio = await loadAudio(path, { sr: this.featureConfig.sr });
    return this.predictSamples(audio.samples, audio.sr, {
      ...options,
      source: path,
    });
  }

  async speakerStats(paths: readonly string[]): Promise<FrameStats> {
    const clips: FramesLike[] = [];
    const failed: string[] = [];
    for (const p of paths) {
      try {
        const { samples } = await loadAudio(p, { sr: this.featureConfig.sr });
        clips.push(extractFeatures(samples, this.featureConfig));
      } catch (err) {
        failed.push(`${p} (${(err as Error).message})`);
      }
    }
    if (clips.length === 0) {
      throw new Error(
        `no recording of the speaker could be read: ${failed.join("; ")}`,
      );
    }
    return frameStats(clips);
  }
}

/**
 * Loads the model in `dir` (default: the newest finished model under
 * `models/`, by the card's `createdAt`, searching `models/<run>/` and
 * `models/<run>/fold-<i>/`, else the shipped real-speech model) and returns
 * a {@linkcode Predictor}; its `description` says which model answers. Initialises the TF.js wasm backend.
 * Errors: no model found (where it looked, how to train one), an incomplete
 * directory, an incompatible card version, a model whose shapes disagree with
 * its card.
 */
export async function loadPredictor(
  dir?: string,
  options: LoadPredictorOptions = {},
): Promise<Predictor> {
  const found = dir
    ? { dir, source: "given" as const }
    : findModelDir(options.modelsDir ?? MODELS_DIR);
  await initBackend();
  return new ModelPredictor(await openModelDir(found.dir), found.source);
}
