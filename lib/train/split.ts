/**
 * Train / validation / test splits.
 *
 * Speaker-independent by default: no speaker's recordings appear in more
 * than one part, so test scores measure how the model does on voices it has
 * never heard. A random split is available for comparison only and is
 * labelled speaker-dependent (`leaky: true`) wherever it is reported: the
 * same actor's other takes in the training set inflate its scores.
 *
 * @module
 */
import { markTrainingFold, type TrainingFold } from "../augment/mod.ts";
import { createRng } from "../random.ts";

/** The least an item needs to be split: who speaks and what label it has. */
export interface Labelled {
  /** Speaker id, namespaced by corpus (e.g. `ravdess:04`). */
  speaker: string;
  /** Emotion label. */
  emotion: string;
  /** The speaker's sex where known (`male`, `female`, `unknown`): folds balance it. */
  gender?: string;
}

/** How a split was made. */
export type SplitKind = "speaker" | "random";

/** One train / validation / test partition. */
export interface DataSplit<T extends Labelled> {
  /** `speaker` (speaker-independent) or `random` (speaker-dependent). */
  kind: SplitKind;
  /** True when the same speakers can appear in training and test. */
  leaky: boolean;
  /**
   * Items to train on: the only data augmentation accepts (a
   * {@linkcode TrainingFold}, marked here, right after splitting).
   */
  train: TrainingFold<T>;
  /** Items for early stopping and model selection. */
  validation: T[];
  /** Held-out items for the final, reported scores. */
  test: T[];
  /** Speakers in each part (sorted). */
  speakers: { train: string[]; validation: string[]; test: string[] };
  /** Human-readable description, e.g. for reports. */
  description: string;
}

/** Sorted distinct speakers of `items`. */
export function speakersOf(items: readonly Labelled[]): string[] {
  return [...new Set(items.map((i) => i.speaker))].sort();
}

/**
 * True if the speaker id `id` matches the user's `query`: equal strings, or
 * the same number after the corpus prefix (`4` and `04` match `ravdess:04`).
 */
export function speakerMatches(id: string, query: string): boolean {
  if (id === query) return true;
  const local = id.includes(":") ? id.slice(id.lastIndexOf(":") + 1) : id;
  if (local === query) return true;
  const a = Number(local);
  const b = Number(query);
  return Number.isFinite(a) && Number.isFinite(b) && a === b;
}

function describe<T extends Labelled>(
  split: Omit<DataSplit<T>, "description">,
): string {
  const part = (name: string, items: readonly T[], speakers: string[]) =>
    `${name} ${items.length} clips / ${speakers.length} speakers`;
  const kind = split.leaky
    ? "random split (speaker-dependent, LEAKY: speakers shared across parts)"
    : "speaker-independent split";
  return `${kind}: ${part("train", split.train, split.speakers.train)}, ${
    part("validation", split.validation, split.speakers.validation)
  }, ${part("test", split.test, split.speakers.test)}`;
}

function finish<T extends Labelled>(
  kind: SplitKind,
  train: T[],
  validation: T[],
  test: T[],
): DataSplit<T> {
  const base = {
    kind,
    leaky: kind === "random",
    train: markTrainingFold(train),
    validation,
    test,
    speakers: {
      train: speakersOf(train),
      validation: speakersOf(validation),
      test: speakersOf(test),
    },
  };
  return { ...base, description: describe(base) };
}

/** Options of {@linkcode speakerSplit}. */
export interface SpeakerSplitOptions {
  /** Test speakers (see {@linkcode speakerMatches}); default: drawn at random. */
  testSpeakers?: string[];
  /** Validation speakers; default: drawn at random from the rest. */
  validationSpeakers?: string[];
  /** Fraction of speakers for test when drawn (default 0.2, at least 1). */
  testFraction?: number;
  /** Fraction of speakers for validation when drawn (default 0.15, at least 1). */
  validationFraction?: number;
  /** Number of validation speakers when drawn (overrides the fraction; 0 = none). */
  validationCount?: number;
  /** Seed for drawing speakers. */
  seed: number;
}

function pickSpeakers(
  pool: string[],
  queries: string[] | undefined,
  count: number,
  rng: ReturnType<typeof createRng>,
  what: string,
): string[] {
  if (queries && queries.length > 0) {
    return queries.map((q) => {
      const hit = pool.filter((s) => speakerMatches(s, q));
      if (hit.length !== 1) {
        throw new Error(
          `${what} speaker "${q}" ${
            hit.length === 0 ? "matches no" : "matches more than one"
          } ` +
            `speaker among: ${pool.join(", ")}`,
        );
      }
      return hit[0];
    });
  }
  return rng.shuffle(pool).slice(0, count).sort();
}

/** Speakers of a fraction of `n` (rounded, at least one). */
function share(n: number, fraction: number): number {
  return Math.max(1, Math.round(n * fraction));
}

/**
 * Speaker-independent train / validation / test split. Needs at least three
 * speakers (one per part).
 */
export function speakerSplit<T extends Labelled>(
  items: readonly T[],
  options: SpeakerSplitOptions,
): DataSplit<T> {
  const all = speakersOf(items);
  if (all.length < 3) {
    throw new Error(
      `a speaker-independent split needs at least 3 speakers, the data has ${all.length} (${
        all.join(", ")
      }); use --split random to accept a leaky speaker-dependent split`,
    );
  }
  const rng = createRng(`${options.seed}:speaker-split`);
  const test = pickSpeakers(
    all,
    options.testSpeakers,
    share(all.length, options.testFraction ?? 0.2),
    rng,
    "test",
  );
  const rest = all.filter((s) => !test.includes(s));
  const validation = pickSpeakers(
    rest,
    options.validationSpeakers,
    options.validationCount ??
      share(rest.length, options.validationFraction ?? 0.15),
    rng,
    "validation",
  );
  const train = rest.filter((s) => !validation.includes(s));
  if (train.length === 0) {
    throw new Error(
      "no speakers left for training after choosing test and validation speakers",
    );
  }
  const inPart = (speakers: string[]) =>
    items.filter((i) => speakers.includes(i.speaker));
  return finish("speaker", inPart(train), inPart(validation), inPart(test));
}

/** Options of {@linkcode randomSplit}. */
export interface RandomSplitOptions {
  /** Fraction of clips for test (default 0.2). */
  testFraction?: number;
  /** Fraction of clips for validation (default 0.15). */
  validationFraction?: number;
  /** Seed for shuffling. */
  seed: number;
}

/**
 * Random, label-stratified split of clips, ignoring speakers. Speaker-
 * dependent and therefore LEAKY: only for the leakage audit and comparison
 * with published numbers that used it.
 */
export function randomSplit<T extends Labelled>(
  items: readonly T[],
  options: RandomSplitOptions,
): DataSplit<T> {
  const rng = createRng(`${options.seed}:random-split`);
  const testFraction = options.testFraction ?? 0.2;
  const validationFraction = options.validationFraction ?? 0.15;
  const train: T[] = [];
  const validation: T[] = [];
  const test: T[] = [];
  const labels = [...new Set(items.map((i) => i.emotion))].sort();
  for (const label of labels) {
    const group = rng.shuffle(items.filter((i) => i.emotion === label));
    const nTest = Math.round(group.length * testFraction);
    const nVal = Math.round(group.length * validationFraction);
    test.push(...group.slice(0, nTest));
    validation.push(...group.slice(nTest, nTest + nVal));
    train.push(...group.slice(nTest + nVal));
  }
  return finish("random", train, validation, test);
}

/** Options of {@linkcode speakerFolds}. */
export interface SpeakerFoldsOptions {
  /**
   * Validation speakers drawn from each fold's training speakers (default:
   * 15 %, at least one; 0 = none).
   */
  validationCount?: number;
}

/**
 * The speakers of `items` dealt into `k` groups, balanced by sex: each sex's
 * speakers are shuffled (seeded) and dealt round-robin, the next sex
 * continuing where the last left off, so groups differ by at most one
 * speaker overall and per sex.
 */
export function speakerGroups<T extends Labelled>(
  items: readonly T[],
  k: number,
  seed: number,
): string[][] {
  const sexOf = new Map(items.map((i) => [i.speaker, i.gender ?? "unknown"]));
  const sexes = [...new Set(sexOf.values())].sort();
  const groups: string[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const sex of sexes) {
    const speakers = speakersOf(items).filter((s) => sexOf.get(s) === sex);
    for (const s of createRng(`${seed}:folds:${sex}`).shuffle(speakers)) {
      groups[next++ % k].push(s);
    }
  }
  return groups.map((g) => g.sort());
}

/**
 * K-fold leave-speakers-out cross-validation: speakers are dealt into `k`
 * groups balanced by sex ({@linkcode speakerGroups}); fold i tests on group
 * i and trains on the rest, minus `validationCount` validation speakers
 * drawn from them. Every speaker is tested exactly once.
 */
export function speakerFolds<T extends Labelled>(
  items: readonly T[],
  k: number,
  seed: number,
  options: SpeakerFoldsOptions = {},
): DataSplit<T>[] {
  const all = speakersOf(items);
  if (k < 2) throw new Error(`--folds needs at least 2 folds, got ${k}`);
  if (k > all.length) {
    throw new Error(
      `--folds ${k} needs at least ${k} speakers, the data has ${all.length}`,
    );
  }
  if (all.length < 3) {
    throw new Error(
      `cross-validation needs at least 3 speakers, the data has ${all.length}`,
    );
  }
  return speakerGroups(items, k, seed).map((testGroup, i) => {
    const rest = all.filter((s) => !testGroup.includes(s));
    const count = options.validationCount ?? share(rest.length, 0.15);
    if (count >= rest.length) {
      throw new Error(
        `fold ${
          i + 1
        }: ${count} validation speakers leave none of the ${rest.length} for training`,
      );
    }
    const validation = createRng(`${seed}:folds:validation:${i}`)
      .shuffle(rest).slice(0, count);
    const inPart = (speakers: string[]) =>
      items.filter((it) => speakers.includes(it.speaker));
    const trainSpeakers = rest.filter((s) => !validation.includes(s));
    return finish(
      "speaker",
      inPart(trainSpeakers),
      inPart(validation),
      inPart(testGroup),
    );
  });
}

/**
 * The refit after cross-validation: every speaker trains except
 * `validationCount` drawn for validation (default: 15 %, at least one;
 * 0 = none); no test part — the folds' held-out scores estimate the model.
 */
export function refitSplit<T extends Labelled>(
  items: readonly T[],
  seed: number,
  options: SpeakerFoldsOptions = {},
): DataSplit<T> {
  const all = speakersOf(items);
  const count = options.validationCount ?? share(all.length, 0.15);
  if (count >= all.length) {
    throw new Error(
      `refit: ${count} validation speakers leave none of the ${all.length} for training`,
    );
  }
  const validation = createRng(`${seed}:refit:validation`).shuffle(all)
    .slice(0, count);
  const split = finish(
    "speaker",
    items.filter((it) => !validation.includes(it.speaker)),
    items.filter((it) => validation.includes(it.speaker)),
    [],
  );
  return {
    ...split,
    description:
      `refit on every speaker: ${split.train.length} clips / ${split.speakers.train.length} speakers train, ` +
      `${split.validation.length} clips / ${split.speakers.validation.length} speakers validate, ` +
      `no test part (the cross-validation folds estimate this model)`,
  };
}
