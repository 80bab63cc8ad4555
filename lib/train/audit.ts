/**
 * Leakage audit: the SAME configuration (data, features, model, training
 * hyper-parameters, seed) trained twice — once on a random, speaker-dependent
 * split and once on a speaker-independent split — and the two test results
 * put side by side. The gap is the inflation a random split carries: the
 * model recognises voices it heard in training, not emotions.
 *
 * @module
 */
import * as path from "node:path";
import { compareRuns, type RunComparison } from "../evaluate/crossval.ts";
import { type MetricsJson, toJson } from "../evaluate/metrics.ts";
import type { TrainedModel, TrainRunOptions, TrainRunResult } from "./run.ts";

/** Trains one run (`trainRun`, or a stand-in in tests). */
export type TrainFunction = (
  options: TrainRunOptions,
) => Promise<TrainRunResult>;

/** Options of {@linkcode leakageAudit}. */
export interface AuditOptions {
  /** The training function (pass `trainRun` from `lib/train/run.ts`). */
  train: TrainFunction;
  /** Everything both runs share (data, configs, seed, workers, log …). */
  run?: Omit<TrainRunOptions, "split" | "folds" | "testSpeakers" | "out">;
  /** Parent folder of the two model directories `random/` and `speaker/`. */
  out: string;
}

/** What {@linkcode leakageAudit} returns. */
export interface AuditResult {
  /** The random-split (leaky) model. */
  random: TrainedModel;
  /** The speaker-split (held-out speakers) model. */
  speaker: TrainedModel;
  /** Side-by-side table; gap = random − speaker. */
  comparison: RunComparison;
}

/** Names of the two runs in every table. */
export const AUDIT_NAMES: [string, string] = [
  "random split (leaky)",
  "speaker split",
];

/** JSON of one audited run. */
export interface AuditRunJson {
  /** Model directory. */
  dir: string;
  /** `random` or `speaker`. */
  split: string;
  /** Speakers in the test part. */
  test_speakers: string[];
  /** Speakers of the test part that are also in the training part. */
  test_speakers_in_train: string[];
  /** Test metrics. */
  metrics: MetricsJson;
}

/** The `--audit --json` shape. */
export interface AuditJson {
  /** The random-split run. */
  random: AuditRunJson;
  /** The speaker-split run. */
  speaker: AuditRunJson;
  /** random − speaker for the headline metrics. */
  gap: { accuracy: number; uar: number; macro_f1: number; weighted_f1: number };
  /** Every compared row (headline metrics, then per-class F1). */
  rows: { metric: string; random: number; speaker: number; gap: number }[];
}

function only(result: TrainRunResult, kind: string): TrainedModel {
  if (result.models.length !== 1) {
    throw new Error(
      `leakage audit: the ${kind} run trained ${result.models.length} models, expected 1`,
    );
  }
  return result.models[0];
}

/**
 * Trains the configuration in `options.run` twice with `options.train`:
 * `split: "random"` into `<out>/random` and `split: "speaker"` into
 * `<out>/speaker`, and compares their test metrics with `compareRuns`.
 */
export async function leakageAudit(
  options: AuditOptions,
): Promise<AuditResult> {
  const base = options.run ?? {};
  const random = only(
    await options.train({
      ...base,
      split: "random",
      out: path.join(options.out, "random"),
    }),
    "random-split",
  );
  const speaker = only(
    await options.train({
      ...base,
      split: "speaker",
      out: path.join(options.out, "speaker"),
    }),
    "speaker-split",
  );
  return {
    random,
    speaker,
    comparison: compareRuns(random.test, speaker.test, AUDIT_NAMES),
  };
}

function runJson(m: TrainedModel): AuditRunJson {
  const { train, test } = m.card.split.speakers;
  return {
    dir: m.dir,
    split: m.card.split.kind,
    test_speakers: [...test],
    test_speakers_in_train: test.filter((s) => train.includes(s)),
    metrics: toJson(m.test),
  };
}

/** The audit as JSON (see {@linkcode AuditJson}). */
export function auditToJson(result: AuditResult): AuditJson {
  const gapOf = (metric: string) =>
    result.comparison.rows.find((r) => r.metric === metric)!.gap;
  return {
    random: runJson(result.random),
    speaker: runJson(result.speaker),
    gap: {
      accuracy: gapOf("accuracy"),
      uar: gapOf("UAR"),
      macro_f1: gapOf("macro-F1"),
      weighted_f1: gapOf("weighted-F1"),
    },
    rows: result.comparison.rows.map((r) => ({
      metric: r.metric,
      random: r.a,
      speaker: r.b,
      gap: r.gap,
    })),
  };
}

/** The audit as text: what each run held out, the table, and the verdict. */
export function formatAudit(result: AuditResult): string {
  const describe = (name: string, m: TrainedModel) => {
    const { train, test } = m.card.split.speakers;
    const shared = test.filter((s) => train.includes(s));
    return `${name}: ${m.dir}\n  ${m.card.split.description}\n  test speakers ${
      test.join(", ")
    }${
      shared.length > 0
        ? ` — ${shared.length} of them also in training (speaker-dependent)`
        : " — none heard in training"
    }\n`;
  };
  const uar = result.comparison.rows.find((r) => r.metric === "UAR")!;
  return describe(AUDIT_NAMES[0], result.random) +
    describe(AUDIT_NAMES[1], result.speaker) + "\n" +
    result.comparison.table + "\n" +
    `leakage inflation (UAR, random − speaker): ${uar.gap >= 0 ? "+" : ""}${
      (uar.gap * 100).toFixed(1)
    } points\n`;
}
