/**
 * The one emotion vocabulary shared by every corpus, the documented mapping
 * of each corpus's own labels onto it, and the label options (`merge`,
 * `select`) that every scan applies the same way.
 *
 * ## Mapping table
 *
 * | emotion     | RAVDESS (3rd field) | TESS (last word)          | CREMA-D | SAVEE | EmoDB (6th char)      | folder / CSV words                 |
 * | ----------- | ------------------- | ------------------------- | ------- | ----- | --------------------- | ---------------------------------- |
 * | `neutral`   | `01`                | `neutral`                 | `NEU`   | `n`   | `N` (neutral)         | neutral                            |
 * | `calm`      | `02`                | —                         | —       | —     | —                     | calm                               |
 * | `happy`     | `03`                | `happy`                   | `HAP`   | `h`   | `F` (Freude)          | happy, happiness, joy              |
 * | `sad`       | `04`                | `sad`                     | `SAD`   | `sa`  | `T` (Trauer)          | sad, sadness                       |
 * | `angry`     | `05`                | `angry`                   | `ANG`   | `a`   | `W` (Wut)             | angry, anger                       |
 * | `fearful`   | `06`                | `fear`                    | `FEA`   | `f`   | `A` (Angst)           | fearful, fear, afraid              |
 * | `disgust`   | `07`                | `disgust`                 | `DIS`   | `d`   | `E` (Ekel)            | disgust, disgusted                 |
 * | `surprised` | `08`                | `ps` (pleasant surprise)  | —       | `su`  | —                     | surprised, surprise, ps            |
 * | `boredom`   | —                   | —                         | —       | —     | `L` (Langeweile)      | boredom, bored                     |
 *
 * Label options are applied in this order: `merge` first (e.g.
 * `{ calm: "neutral" }` relabels every calm clip as neutral), then `select`
 * (keeps only clips whose merged emotion is listed). Clips removed by
 * `select` are counted as excluded by a scan, never silently lost.
 *
 * @module
 */

/** The shared emotion vocabulary, in canonical order. */
export const EMOTIONS = [
  "neutral",
  "calm",
  "happy",
  "sad",
  "angry",
  "fearful",
  "disgust",
  "surprised",
  "boredom",
] as const;

/** One emotion of the shared vocabulary. */
export type Emotion = typeof EMOTIONS[number];

/** True if `value` is a name of the shared vocabulary. */
export function isEmotion(value: string): value is Emotion {
  return (EMOTIONS as readonly string[]).includes(value);
}

/** RAVDESS emotion codes (3rd field of the file name). */
export const RAVDESS_EMOTIONS: Readonly<Record<string, Emotion>> = {
  "01": "neutral",
  "02": "calm",
  "03": "happy",
  "04": "sad",
  "05": "angry",
  "06": "fearful",
  "07": "disgust",
  "08": "surprised",
};

/** TESS emotion words (last `_` part of the file name; `ps` = pleasant surprise). */
export const TESS_EMOTIONS: Readonly<Record<string, Emotion>> = {
  neutral: "neutral",
  happy: "happy",
  sad: "sad",
  angry: "angry",
  fear: "fearful",
  disgust: "disgust",
  ps: "surprised",
};

/** CREMA-D emotion codes (3rd `_` part of the file name). */
export const CREMAD_EMOTIONS: Readonly<Record<string, Emotion>> = {
  NEU: "neutral",
  HAP: "happy",
  SAD: "sad",
  ANG: "angry",
  FEA: "fearful",
  DIS: "disgust",
};

/** SAVEE emotion prefixes (`a01.wav`, `sa01.wav`, `su01.wav`, …). */
export const SAVEE_EMOTIONS: Readonly<Record<string, Emotion>> = {
  n: "neutral",
  h: "happy",
  sa: "sad",
  a: "angry",
  f: "fearful",
  d: "disgust",
  su: "surprised",
};

/** EmoDB emotion letters (6th character), from the German names. */
export const EMODB_EMOTIONS: Readonly<Record<string, Emotion>> = {
  W: "angry", // Wut
  L: "boredom", // Langeweile
  E: "disgust", // Ekel
  A: "fearful", // Angst
  F: "happy", // Freude
  T: "sad", // Trauer
  N: "neutral",
};

/** Words accepted as labels in folder-per-label layouts and CSV manifests. */
const WORDS: Readonly<Record<string, Emotion>> = {
  neutral: "neutral",
  calm: "calm",
  happy: "happy",
  happiness: "happy",
  joy: "happy",
  sad: "sad",
  sadness: "sad",
  angry: "angry",
  anger: "angry",
  fearful: "fearful",
  fear: "fearful",
  afraid: "fearful",
  disgust: "disgust",
  disgusted: "disgust",
  surprised: "surprised",
  surprise: "surprised",
  ps: "surprised",
  pleasant_surprise: "surprised",
  pleasant_surprised: "surprised",
  boredom: "boredom",
  bored: "boredom",
};

/**
 * Maps a free-form label word (folder name, CSV cell; case-insensitive,
 * spaces and dashes read as `_`) to the vocabulary, or `undefined` if it is
 * not a known word.
 */
export function emotionFromWord(word: string): Emotion | undefined {
  const key = word.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return Object.hasOwn(WORDS, key) ? WORDS[key] : undefined;
}

/** How labels are merged and selected; see the module documentation. */
export interface LabelOptions {
  /** Relabels emotions, e.g. `{ calm: "neutral" }`; applied before `select`. */
  merge?: Partial<Record<Emotion, Emotion>>;
  /** Keeps only these (merged) emotions; all when absent. */
  select?: readonly Emotion[];
}

/**
 * Checks label options: every name must belong to the vocabulary, merges
 * must not chain (`a→b` with `b→c`), and `select` must not be empty.
 * Throws an Error naming the offending entry.
 */
export function validateLabelOptions(options: LabelOptions): void {
  const merge = options.merge ?? {};
  for (const [from, to] of Object.entries(merge)) {
    if (!isEmotion(from)) {
      throw new Error(`merge: unknown emotion "${from}" (${vocabulary()})`);
    }
    if (!to || !isEmotion(to)) {
      throw new Error(`merge: unknown emotion "${to}" (${vocabulary()})`);
    }
    if (to !== from && merge[to] !== undefined && merge[to] !== to) {
      throw new Error(
        `merge: ${from}→${to} chains into ${to}→${
          merge[to]
        }; merge ${from} into ${merge[to]} directly`,
      );
    }
  }
  if (options.select !== undefined) {
    if (options.select.length === 0) {
      throw new Error("select: empty list of emotions");
    }
    for (const e of options.select) {
      if (!isEmotion(e)) {
        throw new Error(`select: unknown emotion "${e}" (${vocabulary()})`);
      }
    }
  }
}

/**
 * Applies `merge` then `select` to one emotion: the label to use, or `null`
 * if `select` excludes it.
 */
export function applyLabelOptions(
  emotion: Emotion,
  options: LabelOptions = {},
): Emotion | null {
  const merged = options.merge?.[emotion] ?? emotion;
  if (options.select && !options.select.includes(merged)) return null;
  return merged;
}

/**
 * The emotions that remain after `options`, in canonical order, out of
 * `present` (default: the whole vocabulary).
 */
export function labelSet(
  options: LabelOptions = {},
  present: readonly Emotion[] = EMOTIONS,
): Emotion[] {
  const out = new Set<Emotion>();
  for (const e of present) {
    const m = applyLabelOptions(e, options);
    if (m !== null) out.add(m);
  }
  return EMOTIONS.filter((e) => out.has(e));
}

/**
 * Parses merge specs such as `["calm=neutral", "boredom=neutral"]` (as given
 * on the command line, also comma-separated) into `LabelOptions.merge`.
 */
export function parseMergeSpecs(
  specs: readonly string[],
): Partial<Record<Emotion, Emotion>> {
  const merge: Partial<Record<Emotion, Emotion>> = {};
  for (const spec of specs.flatMap((s) => s.split(","))) {
    const trimmed = spec.trim();
    if (trimmed === "") continue;
    const m = /^([a-z]+)\s*=\s*([a-z]+)$/i.exec(trimmed);
    if (!m) {
      throw new Error(`merge: expected from=to, got "${trimmed}"`);
    }
    const from = m[1].toLowerCase();
    const to = m[2].toLowerCase();
    if (!isEmotion(from) || !isEmotion(to)) {
      const bad = isEmotion(from) ? to : from;
      throw new Error(`merge: unknown emotion "${bad}" (${vocabulary()})`);
    }
    merge[from] = to;
  }
  return merge;
}

/** Parses a select list such as `["angry", "happy"]` into vocabulary names. */
export function parseSelect(names: readonly string[]): Emotion[] {
  return names.flatMap((s) => s.split(",")).map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "").map((s) => {
      if (!isEmotion(s)) {
        throw new Error(`select: unknown emotion "${s}" (${vocabulary()})`);
      }
      return s;
    });
}

function vocabulary(): string {
  return `known: ${EMOTIONS.join(", ")}`;
}
