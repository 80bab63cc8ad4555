/**
 * Predicting samples with an opened model — the part of the predictor that
 * needs no file or Deno API, so the `serve` page runs this very code in the
 * browser: features exactly as training computed them (the card's feature
 * config and normalisation statistics), one prediction for a recording
 * whose content fits the model window, else a sliding-window timeline with
 * silent windows marked and the verdict the mean of the other windows.
 *
 * @module
 */
import { resample } from "../audio/resample.ts";
import { trimBounds } from "../dsp/mod.ts";
import type { FeatureConfig, FeatureMatrix } from "../features/config.ts";
import { extractFeatures } from "../features/extract.ts";
import { fixLength } from "../features/framing.ts";
import {
  type FrameStats,
  frameStats,
  standardize,
} from "../features/normalize.ts";
import { argmax, predictExamples } from "../model/inference.ts";
import type { FixedExample } from "../model/inputs.ts";
import type { OpenedModel } from "../run/member.ts";
import {
  DEFAULT_SILENCE_DB,
  peakLevelDb,
  type SampleSpan,
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

/** Options of {@linkcode SamplePredictor.predictSamples} (and the predictor's `predictFile`). */
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

/** Options of {@linkcode SamplePredictor.predictSamples}. */
export interface PredictSamplesOptions extends PredictOptions {
  /** Names the audio in error messages (default `samples`). */
  source?: string;
}

/** Resolved timeline settings (see {@linkcode SamplePredictor.windowing}). */
export interface Windowing {
  /** Window in seconds. */
  windowS: number;
  /** Hop in seconds. */
  hopS: number;
  /** Silence threshold in dB below the loudest window. */
  silenceDb: number;
}

/** What a {@linkcode SamplePredictor} needs of an opened model. */
export type SamplesModel = Pick<
  OpenedModel,
  "labels" | "featureConfig" | "members"
>;

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

/**
 * Predicts samples with an opened model (a model directory's, an ensemble's,
 * or one fetched by the browser page): {@linkcode SamplePredictor.predictSamples}
 * for a recording, {@linkcode SamplePredictor.windowProbabilities} for clips
 * already cut to the window (the page's live microphone).
 */
export class SamplePredictor {
  /** The feature config of the model (every member of an ensemble shares it). */
  readonly featureConfig: FeatureConfig;
  /** Class labels in output order. */
  readonly labels: readonly string[];
  /** The model's window: `frames × hopLength / sr` seconds of the card. */
  readonly windowS: number;
  /** Shortest recording accepted, in seconds. */
  readonly minDurationS: number;
  /** True when the model was trained on speaker-normalised features. */
  readonly speakerNormalized: boolean;
  readonly #model: SamplesModel;

  /** A predictor over `model`'s members (it owns their tensors: see `dispose`). */
  constructor(model: SamplesModel) {
    this.#model = model;
    this.featureConfig = model.featureConfig;
    this.labels = model.labels;
    const c = model.featureConfig;
    this.speakerNormalized = c.normalize === "speaker";
    this.windowS = (c.frames * c.hopLength) / c.sr;
    this.minDurationS = Math.max(
      Math.min(MIN_DURATION_S, this.windowS),
      c.winLength / c.sr,
    );
  }

  /**
   * Predicts mono samples at rate `sr` (resampled to the card's rate): one
   * prediction when the content fits the window, else a timeline. Errors
   * (too short, silent, bad options) name `options.source`.
   */
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
      ? options.speakerStats ?? frameStats([this.featuresOf(x, source)])
      : undefined;
    const normalization = this.speakerNormalized
      ? {
        normalization: options.speakerStats
          ? "speaker" as const
          : "recording" as const,
      }
      : {};
    if (contentLength(x, config) <= windowN) {
      const probs = this.windowProbabilities([x], source, stats);
      return { ...this.#verdict(probs), durationS, ...normalization };
    }
    const spans = slidingWindows(
      x.length,
      windowN,
      Math.max(1, Math.round(hopS * config.sr)),
    );
    const silent = silentWindows(x, spans, silenceDb);
    const probs = this.windowProbabilities(
      spans.map((s) => x.subarray(s.start, s.end)),
      source,
      stats,
    );
    const k = this.labels.length;
    const timeline = spans.map((s, i) =>
      this.timelineWindow(s, probs.subarray(i * k, (i + 1) * k), silent[i])
    );
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

  /**
   * The timeline entry of the window `span` (samples at the card's rate)
   * with class probabilities `row` (as `predict --json` prints it).
   */
  timelineWindow(
    span: SampleSpan,
    row: ArrayLike<number>,
    silent: boolean,
  ): TimelineWindow {
    const sr = this.featureConfig.sr;
    return {
      start_s: round(span.start / sr),
      end_s: round(span.end / sr),
      emotion: this.labels[argmax(row)],
      probabilities: byLabel(this.labels, row),
      ...(silent ? { silent: true } : {}),
    };
  }

  /** Frees the model's tensors. */
  dispose(): void {
    for (const m of this.#model.members) m.model.dispose();
  }

  /**
   * The timeline settings `options` ask for, defaults filled in. Throws an
   * Error saying which value is invalid and why.
   */
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
      this.#model.members.map((m) =>
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
   * Class probabilities of each clip (row-major `clips × labels`; samples at
   * the card's rate): features as in training, then one batched model call
   * per {@linkcode MAX_BATCH} clips (features are built per batch, bounding
   * memory on long files). `stats`: a speaker-normalised model's statistics.
   */
  windowProbabilities(
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
        const fixed = fixLength(this.featuresOf(clip, source), config.frames);
        return stats ? { ...fixed, data: standardize(fixed, stats) } : fixed;
      });
      out.set(this.#meanOfMembers(examples), first * k);
    }
    return out;
  }

  /** Features of one clip exactly as training extracted them; errors name `source`. */
  featuresOf(clip: Float32Array, source: string): FeatureMatrix {
    try {
      return extractFeatures(clip, this.featureConfig);
    } catch (err) {
      throw new Error(
        `${source}: feature extraction failed: ${(err as Error).message}`,
      );
    }
  }
}
