/**
 * A timeline built while the audio arrives (the `serve` page's microphone):
 * chunks at the input rate are resampled as a stream to the card's rate, and
 * every hop a window of the model's length is predicted as `predict` predicts
 * a timeline window. Silence is marked by `predict`'s rule on the windows
 * heard so far (so a window can turn silent when louder speech follows);
 * after {@linkcode LiveTimeline.finish} the windows and their marks are the
 * timeline `predict --hop-s <hop>` gives for the whole recording. Pure (no
 * Deno API): the page runs it in the browser.
 *
 * @module
 */
import {
  createStreamResampler,
  type StreamResampler,
} from "../audio/resample.ts";
import { rmsDb } from "../dsp/mod.ts";
import { frameStats } from "../features/normalize.ts";
import { DEFAULT_SILENCE_DB, type SampleSpan, silentLevels } from "./level.ts";
import type { SamplePredictor, TimelineWindow } from "./samples.ts";

/** Default hop of the live timeline in seconds. */
export const LIVE_HOP_S = 0.5;

/** Options of {@linkcode LiveTimeline}. */
export interface LiveTimelineOptions {
  /** Hop between window starts in seconds (default {@linkcode LIVE_HOP_S}). */
  hopS?: number;
  /** Silence threshold in dB below the loudest window (default 30, as `predict`). */
  silenceDb?: number;
  /** Names the audio in error messages (default `microphone`). */
  source?: string;
}

/** What one {@linkcode LiveTimeline.push} produced. */
export interface LiveUpdate {
  /** The windows completed by this chunk, in order. */
  windows: TimelineWindow[];
  /** Every window's silence mark so far, by window index (marks can change). */
  silent: boolean[];
}

/** A timeline fed audio chunk by chunk (see the module documentation). */
export class LiveTimeline {
  readonly #predictor: SamplePredictor;
  readonly #resampler: StreamResampler;
  readonly #windowN: number;
  readonly #hopN: number;
  readonly #silenceDb: number;
  readonly #source: string;
  /** Resampled audio from sample `#base` on. */
  #buffer = new Float32Array(0);
  #base = 0;
  #levels: number[] = [];
  #windows: TimelineWindow[] = [];

  /**
   * A live timeline for `predictor`, fed mono chunks at `inputSr` Hz.
   * Throws when the hop or threshold is invalid.
   */
  constructor(
    predictor: SamplePredictor,
    inputSr: number,
    options: LiveTimelineOptions = {},
  ) {
    const { windowS, hopS, silenceDb } = predictor.windowing({
      hopS: options.hopS ?? LIVE_HOP_S,
      silenceDb: options.silenceDb ?? DEFAULT_SILENCE_DB,
    });
    const sr = predictor.featureConfig.sr;
    this.#predictor = predictor;
    this.#resampler = createStreamResampler(inputSr, sr);
    this.#windowN = Math.round(windowS * sr);
    this.#hopN = Math.max(1, Math.round(hopS * sr));
    this.#silenceDb = silenceDb;
    this.#source = options.source ?? "microphone";
  }

  /** The windows so far with their current silence marks. */
  get windows(): readonly TimelineWindow[] {
    return this.#windows;
  }

  /** Seconds of audio received so far (at the card's rate). */
  get durationS(): number {
    return (this.#base + this.#buffer.length) /
      this.#predictor.featureConfig.sr;
  }

  /** Takes the next chunk; predicts every window it completes. */
  push(chunk: Float32Array): LiveUpdate {
    this.#append(this.#resampler.push(chunk));
    const spans: SampleSpan[] = [];
    for (;;) {
      const start = this.#windows.length * this.#hopN +
        spans.length * this.#hopN;
      if (start + this.#windowN > this.#base + this.#buffer.length) break;
      spans.push({ start, end: start + this.#windowN });
    }
    const windows = this.#predict(spans);
    // Keep from the last window's start on: `finish` may need the end window.
    this.#drop((this.#windows.length - 1) * this.#hopN);
    return { windows, silent: this.#windows.map((w) => w.silent === true) };
  }

  /**
   * Ends the recording: the resampler's last samples and, as `predict`'s
   * timeline ends, one last window aligned to the end when the hops left
   * audio uncovered. Returns the update, like {@linkcode push}.
   */
  finish(): LiveUpdate {
    const update = this.push(new Float32Array(0));
    this.#append(this.#resampler.flush());
    const end = this.#base + this.#buffer.length;
    const lastEnd = this.#windows.length
      ? (this.#windows.length - 1) * this.#hopN + this.#windowN
      : 0;
    const windows = [...update.windows];
    if (end > lastEnd && this.#windows.length > 0) {
      windows.push(
        ...this.#predict([{ start: end - this.#windowN, end }]),
      );
    }
    return { windows, silent: this.#windows.map((w) => w.silent === true) };
  }

  #append(x: Float32Array): void {
    if (x.length === 0) return;
    const grown = new Float32Array(this.#buffer.length + x.length);
    grown.set(this.#buffer);
    grown.set(x, this.#buffer.length);
    this.#buffer = grown;
  }

  /** Forgets the audio before sample `from`. */
  #drop(from: number): void {
    if (from <= this.#base) return;
    this.#buffer = this.#buffer.slice(from - this.#base);
    this.#base = from;
  }

  /** Predicts `spans` (inside the buffer), appends them and re-marks silence. */
  #predict(spans: readonly SampleSpan[]): TimelineWindow[] {
    if (spans.length === 0) return [];
    const clips = spans.map((s) =>
      this.#buffer.subarray(s.start - this.#base, s.end - this.#base)
    );
    const out: TimelineWindow[] = [];
    clips.forEach((clip, i) => {
      // A speaker-normalised model: each live window by its own statistics.
      const stats = this.#predictor.speakerNormalized
        ? frameStats([this.#predictor.featuresOf(clip, this.#source)])
        : undefined;
      const probs = this.#predictor.windowProbabilities(
        [clip],
        this.#source,
        stats,
      );
      this.#levels.push(rmsDb(clip));
      out.push(this.#predictor.timelineWindow(spans[i], probs, false));
    });
    this.#windows.push(...out);
    const marks = silentLevels(this.#levels, this.#silenceDb);
    this.#windows = this.#windows.map((w, i) => {
      const { silent: _, ...rest } = w;
      return marks[i] ? { ...rest, silent: true } : rest;
    });
    return this.#windows.slice(this.#windows.length - out.length);
  }
}
