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
 * windows go to the model batched, {@linkcode MAX_BATCH} per call.
 *
 * @module
 */
import { loadAudio, resample } from "../audio/mod.ts";
import { initBackend } from "../tfjs/mod.ts";
import { trimBounds } from "../dsp/mod.ts";
import {
  extractFeatures,
  type FeatureConfig,
  type FeatureMatrix,
  fixLength,
  type FramesLike,
  type FrameStats,
  frameStats,
  standardize,
} from "../features/mod.ts";
import { displayPath, MODELS_DIR } from "../paths.ts";
import type { EvaluatedModel } from "../evaluate/mod.ts";
import { findModelDir, type OpenedModel, openModelDir } from "../run/mod.ts";
import { argmax, predictExamples } from "../model/inference.ts";
import type { FixedExample } from "../model/inputs.ts";
import {
  DEFAULT_SILENCE_DB,
  peakLevelDb,
  SILENT_CLIP_DBFS,
  silentWindows,
} from "./level.ts";
import { slidingWindows } from "./windows.ts";

/** Probability of every class, by label. */
export type ClassProbabilities = Record<string, number>;

/** One sliding window of a timeline (the shape of predict's `--json`). */
export interface TimelineWindow {
  /** Window start in seconds. */
  start_s: number;
  /** Window end in seconds. */
  end_s: number;
  /** Top class of the window. */
  emotion: string;
  /** Probability of every class in the window. */
  probabilities: ClassProbabilities;
  /** Present and true when the window is silent (left out of the verdict). */
  silent?: boolean;
}

/** What the predictor says about one recording. */
export interface Prediction {
  /** Top class of the verdict. */
  emotion: string;
  /** The verdict's probability of every class (card label order). */
  probabilities: ClassProbabilities;
  /** Length of the recording in seconds. */
  durationS: number;
  /** Sliding-window timeline, for recordings longer than the window. */
  timeline?: TimelineWindow[];
  /**
   * For a model trained on speaker-normalised features, whose statistics
   * normalised this recording: `speaker` (given with `speakerStats`: the
   * speaker's recordings together) or `recording` (its own — the fall-back
   * for a single recording; a speaker's other recordings are usually better).
   */
  normalization?: "speaker" | "recording";
}

/** Options of {@linkcode Predictor.predictFile} and {@linkcode Predictor.predictSamples}. */
export interface PredictOptions {
  /** Timeline window in seconds (default: the model window). */
  windowS?: number;
  /** Timeline hop in seconds (default: half the window). */
  hopS?: number;
  /**
   * A window is silent when its RMS is more than this many dB below the
   * loudest window's (default {@linkcode DEFAULT_SILENCE_DB}).
   */
  silenceDb?: number;
  /**
   * The speaker's feature statistics ({@linkcode Predictor.speakerStats} of
   * their recordings), for a model trained on speaker-normalised features;
   * without them such a model normalises each recording by its own.
   */
  speakerStats?: FrameStats;
}

/** Options of {@linkcode Predictor.predictSamples}. */
export interface PredictSamplesOptions extends PredictOptions {
  /** Names the audio in error messages (default `samples`). */
  source?: string;
}

/** A loaded model ready to predict. */
export interface Predictor {
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
  /** The feature config of the model (every member of an ensemble shares it). */
  readonly featureConfig: FeatureConfig;
  /** What evaluation needs to know of the model (labels, corpora, speakers seen). */
  readonly facts: EvaluatedModel;
  /** The member model directories: one, or an ensemble's. */
  readonly members: readonly string[];
  /** Class labels in output order. */
  readonly labels: readonly string[];
  /** The model's window: `frames × hopLength / sr` seconds of the card. */
  readonly windowS: number;
  /** Shortest recording accepted, in seconds. */
  readonly minDurationS: number;
  /** True when the model was trained on speaker-normalised features. */
  readonly speakerNormalized: boolean;
  /**
   * Feature statistics of one speaker's recordings `paths`, for
   * `speakerStats` (files that cannot be read are left out; none readable
   * is an error naming them).
   */
  speakerStats(paths: readonly string[]): Promise<FrameStats>;
  /** Predicts an audio file (wav, mp3, flac, ogg, …); errors name the file. */
  predictFile(path: string, options?: PredictOptions): Promise<Prediction>;
  /** Predicts mono samples at rate `sr` (resampled to the card's rate). */
  predictSamples(
    samples: Float32Array,
    sr: number,
    options?: PredictSamplesOptions,
  ): Prediction;
  /**
   * The timeline settings `options` ask for, defaults filled in. Throws an
   * Error saying which value is invalid and why.
   */
  windowing(options?: PredictOptions): Windowing;
  /** Frees the model's tensors. */
  dispose(): void;
}

/** How {@linkcode loadPredictor} chose the model. */
export type ModelSource = "given" | "trained" | "pretrained";

/** Resolved timeline settings (see {@linkcode Predictor.windowing}). */
export interface Windowing {
  /** Window in seconds. */
  windowS: number;
  /** Hop in seconds. */
  hopS: number;
  /** Silence threshold in dB below the loudest window. */
  silenceDb: number;
}

/** Options of {@linkcode loadPredictor}. */
export interface LoadPredictorOptions {
  /** Where to look for the newest model when no directory is given (default `models/`). */
  modelsDir?: string;
}

/** Recordings shorter than this (or than the model window, if shorter) are refused. */
export const MIN_DURATION_S = 0.5;

/**
 * Most windows featurised and sent to the model in one call: a recording of
 * up to 256 windows (about 6 minutes with the default 3 s / 1.5 s) is one
 * call; longer ones are several, which bounds memory.
 */
export const MAX_BATCH = 256;

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function byLabel(
  labels: readonly string[],
  values: ArrayLike<number>,
): ClassProbabilities {
  return Object.fromEntries(labels.map((l, i) => [l, values[i]]));
}

function dbText(db: number): string {
  return Number.isFinite(db) ? `${db.toFixed(1)} dBFS` : "−∞ dBFS";
}

/** Length in samples of the part librosa-style trimming keeps (all if off). */
function contentLength(x: Float32Array, config: FeatureConfig): number {
  if (config.trimTopDb === null) return x.length;
  const [start, end] = trimBounds(x, { topDb: config.trimTopDb });
  return end > start ? end - start : x.length;
}

/**
 * Mean of `rows` (each row-major `[examples, k]`) element by element: the
 * ensemble's probabilities from its members'.
 */
export function meanRows(rows: readonly Float32Array[]): Float32Array {
  if (rows.length === 1) return rows[0];
  const out = new Float32Array(rows[0].length);
  for (const r of rows) {
    for (let i = 0; i < out.length; i++) out[i] += r[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= rows.length;
  return out;
}

class ModelPredictor implements Predictor {
  readonly dir: string;
  readonly source: ModelSource;
  readonly description: string;
  readonly featureConfig: FeatureConfig;
  readonly facts: EvaluatedModel;
  readonly members: readonly string[];
  readonly labels: readonly string[];
  readonly windowS: number;
  readonly minDurationS: number;
  readonly speakerNormalized: boolean;
  readonly #opened: OpenedModel;

  constructor(opened: OpenedModel, source: ModelSource) {
    this.#opened = opened;
    this.dir = opened.dir;
    this.source = source;
    this.featureConfig = opened.featureConfig;
    this.facts = opened.facts;
    this.members = opened.members.map((m) => m.dir);
    this.labels = opened.labels;
    const c = opened.featureConfig;
    this.speakerNormalized = c.normalize === "speaker";
    this.windowS = (c.frames * c.hopLength) / c.sr;
    this.minDurationS = Math.max(
      Math.min(MIN_DURATION_S, this.windowS),
      c.winLength / c.sr,
    );
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

  predictSamples(
    samples: Float32Array,
    sr: number,
    options: PredictSamplesOptions = {},
  ): Prediction {
    const source = options.source ?? "samples";
    const config = this.featureConfig;
    if (!Number.isInteger(sr) || sr <= 0) {
      throw new Error(
        `${source}: sample rate must be a positive integer, got ${sr}`,
      );
    }
    const x = sr === config.sr ? samples : resample(samples, sr, config.sr);
    const durationS = x.length / config.sr;
    if (durationS < this.minDurationS) {
      throw new Error(
        `${source}: audio too short: ${round(durationS)} s, the minimum is ${
          round(this.minDurationS)
        } s`,
      );
    }
    const peak = peakLevelDb(x, config.sr);
    if (!(peak >= SILENT_CLIP_DBFS)) {
      throw new Error(
        `${source}: silent audio: the loudest 50 ms is at ${
          dbText(peak)
        }, below the ${SILENT_CLIP_DBFS} dBFS floor`,
      );
    }
    const { windowS, hopS, silenceDb } = this.windowing(options);
    const windowN = Math.round(windowS * config.sr);
    // Speaker-normalised model: the speaker's statistics, else the
    // recording's own (never another speaker's).
    const stats = this.speakerNormalized
      ? options.speakerStats ?? frameStats([this.#features(x, source)])
      : undefined;
    const normalization = this.speakerNormalized
      ? {
        normalization: options.speakerStats
          ? "speaker" as const
          : "recording" as const,
      }
      : {};
    if (contentLength(x, config) <= windowN) {
      const probs = this.#probabilities([x], source, stats);
      return { ...this.#verdict(probs), durationS, ...normalization };
    }
    const spans = slidingWindows(
      x.length,
      windowN,
      Math.max(1, Math.round(hopS * config.sr)),
    );
    const silent = silentWindows(x, spans, silenceDb);
    const probs = this.#probabilities(
      spans.map((s) => x.subarray(s.start, s.end)),
      source,
      stats,
    );
    const k = this.labels.length;
    const timeline = spans.map((s, i): TimelineWindow => {
      const row = probs.subarray(i * k, (i + 1) * k);
      return {
        start_s: round(s.start / config.sr),
        end_s: round(s.end / config.sr),
        emotion: this.labels[argmax(row)],
        probabilities: byLabel(this.labels, row),
        ...(silent[i] ? { silent: true } : {}),
      };
    });
    const mean = new Float64Array(k);
    let voiced = 0;
    spans.forEach((_, i) => {
      if (silent[i]) return;
      voiced++;
      for (let c = 0; c < k; c++) mean[c] += probs[i * k + c];
    });
    for (let c = 0; c < k; c++) mean[c] /= voiced;
    return { ...this.#verdict(mean), durationS, timeline, ...normalization };
  }

  dispose(): void {
    for (const m of this.#opened.members) m.model.dispose();
  }

  windowing(options: PredictOptions = {}): Windowing {
    const windowS = options.windowS ?? this.windowS;
    const hopS = options.hopS ?? windowS / 2;
    const silenceDb = options.silenceDb ?? DEFAULT_SILENCE_DB;
    if (!(windowS >= this.minDurationS) || !Number.isFinite(windowS)) {
      throw new Error(
        `window ${windowS} s is invalid: it must be at least ${
          round(this.minDurationS)
        } s`,
      );
    }
    if (!(hopS > 0) || !Number.isFinite(hopS)) {
      throw new Error(`hop ${hopS} s is invalid: it must be > 0`);
    }
    if (!(silenceDb > 0)) {
      throw new Error(
        `silence threshold ${silenceDb} dB is invalid: it must be > 0`,
      );
    }
    return { windowS, hopS, silenceDb };
  }

  /** Class probabilities of `examples`: each member's (with its normalisation), averaged. */
  #meanOfMembers(examples: readonly FixedExample[]): Float32Array {
    return meanRows(
      this.#opened.members.map((m) =>
        predictExamples(m.model, examples, m.card.normalization, MAX_BATCH)
      ),
    );
  }

  #verdict(
    probs: ArrayLike<number>,
  ): Pick<Prediction, "emotion" | "probabilities"> {
    return {
      emotion: this.labels[argmax(probs)],
      probabilities: byLabel(this.labels, probs),
    };
  }

  /**
   * Class probabilities of each clip (row-major `clips × labels`): features
   * as in training, then one batched model call per {@linkcode MAX_BATCH}
   * clips (features are built per batch, bounding memory on long files).
   */
  #probabilities(
    clips: Float32Array[],
    source: string,
    stats?: FrameStats,
  ): Float32Array {
    const config = this.featureConfig;
    const k = this.labels.length;
    const out = new Float32Array(clips.length * k);
    for (let first = 0; first < clips.length; first += MAX_BATCH) {
      const batch = clips.slice(first, first + MAX_BATCH);
      const examples: FixedExample[] = batch.map((clip) => {
        const fixed = fixLength(this.#features(clip, source), config.frames);
        return stats ? { ...fixed, data: standardize(fixed, stats) } : fixed;
      });
      out.set(this.#meanOfMembers(examples), first * k);
    }
    return out;
  }

  /** Features of one clip exactly as training extracted them; errors name `source`. */
  #features(clip: Float32Array, source: string): FeatureMatrix {
    try {
      return extractFeatures(clip, this.featureConfig);
    } catch (err) {
      throw new Error(
        `${source}: feature extraction failed: ${(err as Error).message}`,
      );
    }
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
