/**
 * The acoustic settings of the synthetic corpus: per-emotion voice profiles,
 * per-actor voices, vowel formants and the two RAVDESS statements.
 *
 * The emotion profiles follow the direction of the published acoustic
 * correlates of vocal emotion (Scherer 2003, "Vocal communication of
 * emotion", Speech Communication 40; Juslin & Laukka 2003, "Communication of
 * emotions in vocal expression and music performance", Psychological
 * Bulletin 129, Table 7; Banse & Scherer 1996):
 *
 * | emotion   | F0 level | F0 range | rate  | loudness | loudness variability | jitter | HF energy (tilt) | contour           |
 * | --------- | -------- | -------- | ----- | -------- | -------------------- | ------ | ---------------- | ----------------- |
 * | neutral   | base     | moderate | base  | base     | moderate             | low    | moderate         | gentle fall       |
 * | calm      | lower    | narrow   | slow  | softer   | low                  | low    | less (steeper)   | gentle fall       |
 * | happy     | high     | wide     | fast  | loud     | high                 | mid    | more (flatter)   | rise–fall accents |
 * | sad       | low      | narrow   | slow  | soft     | lowest, fading       | high   | least (steepest) | falling           |
 * | angry     | high     | wide     | fast  | loudest  | highest              | mid    | most (flattest)  | falling, sharp    |
 * | fearful   | highest  | moderate | fastest | mid    | low                  | high   | moderate         | irregular, tremor |
 * | disgust   | low      | moderate | slow  | mid      | high, fading         | mid    | less             | falling           |
 * | surprised | high     | widest   | mid   | loud     | high, rising         | low    | more             | final rise        |
 *
 * Magnitudes are this project's choice (the literature gives directions and
 * rough sizes); "strong" intensity moves every setting 1.6× as far from
 * neutral.
 *
 * @module
 */
import type { Emotion } from "./emotions.ts";
import type { Rng } from "../random.ts";

/** Voice settings of one emotion (normal intensity). */
export interface EmotionProfile {
  /** F0 level in semitones relative to the speaker's base. */
  f0St: number;
  /** Height of stressed-syllable pitch accents, semitones. */
  rangeSt: number;
  /** Syllables per second. */
  rate: number;
  /** Level relative to neutral, dB. */
  loudDb: number;
  /** Period-to-period F0 perturbation (relative standard deviation). */
  jitter: number;
  /** Period-to-period amplitude perturbation (relative standard deviation). */
  shimmer: number;
  /** Source tilt −0.7 (pre-emphasised, strong highs) … 0.7 (steep, dark). */
  tilt: number;
  /** Open quotient of the glottal pulse (lower = pressed, brighter). */
  openQuotient: number;
  /** Aspiration noise relative to voicing. */
  breath: number;
  /** Pitch change over the utterance, semitones (negative = falling). */
  finalSt: number;
  /** Exponent of the global contour: 1 linear, >1 change late (final rise). */
  contourShape: number;
  /** Random pitch wander (semitones, smoothed), irregular contours. */
  wanderSt: number;
  /** Tremor depth in semitones (at 5–7 Hz). */
  tremorSt: number;
  /** Onset sharpness: syllable attack time in seconds. */
  attackS: number;
  /** Consonant noise strength relative to neutral. */
  articulation: number;
  /** Amplitude of stressed syllables relative to unstressed (intensity variability). */
  stressGain: number;
  /** Loudness change from the first to the last syllable, dB. */
  energySlopeDb: number;
}

/** The emotions the synthetic corpus speaks: RAVDESS's eight. */
export type SynthEmotion = Exclude<Emotion, "boredom">;

/** Per-emotion profiles (normal intensity); see the module table. */
export const EMOTION_PROFILES: Readonly<Record<SynthEmotion, EmotionProfile>> =
  {
    neutral: {
      f0St: 0,
      rangeSt: 3,
      rate: 4.4,
      loudDb: 0,
      jitter: 0.006,
      shimmer: 0.04,
      tilt: 0.3,
      openQuotient: 0.6,
      breath: 0.05,
      finalSt: -3,
      contourShape: 1,
      wanderSt: 0.3,
      tremorSt: 0,
      attackS: 0.025,
      articulation: 1,
      stressGain: 1.4,
      energySlopeDb: -3,
    },
    calm: {
      f0St: -1,
      rangeSt: 2,
      rate: 3.8,
      loudDb: -3,
      jitter: 0.005,
      shimmer: 0.035,
      tilt: 0.42,
      openQuotient: 0.66,
      breath: 0.1,
      finalSt: -4,
      contourShape: 1,
      wanderSt: 0.2,
      tremorSt: 0,
      attackS: 0.04,
      articulation: 0.8,
      stressGain: 1.2,
      energySlopeDb: -4,
    },
    happy: {
      f0St: 3.5,
      rangeSt: 6.5,
      rate: 5,
      loudDb: 4,
      jitter: 0.007,
      shimmer: 0.04,
      tilt: 0.1,
      openQuotient: 0.55,
      breath: 0.05,
      finalSt: -2,
      contourShape: 1,
      wanderSt: 0.6,
      tremorSt: 0,
      attackS: 0.02,
      articulation: 1.1,
      stressGain: 1.7,
      energySlopeDb: -1,
    },
    sad: {
      f0St: -2.5,
      rangeSt: 1.2,
      rate: 3.1,
      loudDb: -6,
      jitter: 0.012,
      shimmer: 0.07,
      tilt: 0.55,
      openQuotient: 0.72,
      breath: 0.2,
      finalSt: -4,
      contourShape: 0.8,
      wanderSt: 0.3,
      tremorSt: 0.2,
      attackS: 0.06,
      articulation: 0.6,
      stressGain: 1.1,
      energySlopeDb: -8,
    },
    angry: {
      f0St: 4,
      rangeSt: 5.5,
      rate: 5.3,
      loudDb: 8,
      jitter: 0.009,
      shimmer: 0.05,
      tilt: -0.35,
      openQuotient: 0.42,
      breath: 0.03,
      finalSt: -6,
      contourShape: 1,
      wanderSt: 0.5,
      tremorSt: 0,
      attackS: 0.008,
      articulation: 1.7,
      stressGain: 2,
      energySlopeDb: -2,
    },
    fearful: {
      f0St: 7,
      rangeSt: 3.5,
      rate: 6,
      loudDb: 1,
      jitter: 0.022,
      shimmer: 0.08,
      tilt: 0.25,
      openQuotient: 0.6,
      breath: 0.22,
      finalSt: 1,
      contourShape: 1,
      wanderSt: 1.6,
      tremorSt: 0.7,
      attackS: 0.02,
      articulation: 1,
      stressGain: 1.3,
      energySlopeDb: 0,
    },
    disgust: {
      f0St: -1.8,
      rangeSt: 3.5,
      rate: 3.4,
      loudDb: -1,
      jitter: 0.011,
      shimmer: 0.06,
      tilt: 0.35,
      openQuotient: 0.5,
      breath: 0.08,
      finalSt: -5,
      contourShape: 0.7,
      wanderSt: 0.5,
      tremorSt: 0,
      attackS: 0.03,
      articulation: 1.2,
      stressGain: 1.6,
      energySlopeDb: -6,
    },
    surprised: {
      f0St: 4.5,
      rangeSt: 7.5,
      rate: 4.6,
      loudDb: 3,
      jitter: 0.006,
      shimmer: 0.04,
      tilt: 0.12,
      openQuotient: 0.55,
      breath: 0.06,
      finalSt: 7,
      contourShape: 3,
      wanderSt: 0.4,
      tremorSt: 0,
      attackS: 0.015,
      articulation: 1.1,
      stressGain: 1.8,
      energySlopeDb: 3,
    },
  };

/** How much farther from neutral "strong" intensity moves each setting. */
export const STRONG_FACTOR = 1.6;

/**
 * The profile of `emotion` at an intensity: `strong` extrapolates every
 * setting away from neutral by {@linkcode STRONG_FACTOR} (rate and
 * perturbations multiplicatively, levels in dB/semitones linearly); values
 * stay in their valid ranges.
 */
export function profileFor(
  emotion: SynthEmotion,
  intensity: "normal" | "strong",
): EmotionProfile {
  const p = EMOTION_PROFILES[emotion];
  if (intensity === "normal") return { ...p };
  const n = EMOTION_PROFILES.neutral;
  const k = STRONG_FACTOR;
  const lin = (a: number, b: number) => b + (a - b) * k;
  const log = (a: number, b: number) => b * Math.pow(a / b, k);
  const clamp = (x: number, lo: number, hi: number) =>
    Math.min(hi, Math.max(lo, x));
  return {
    f0St: lin(p.f0St, n.f0St),
    rangeSt: log(p.rangeSt, n.rangeSt),
    rate: log(p.rate, n.rate),
    loudDb: lin(p.loudDb, n.loudDb),
    jitter: log(p.jitter, n.jitter),
    shimmer: log(p.shimmer, n.shimmer),
    tilt: clamp(lin(p.tilt, n.tilt), -0.7, 0.7),
    openQuotient: clamp(lin(p.openQuotient, n.openQuotient), 0.35, 0.75),
    breath: log(p.breath, n.breath),
    finalSt: lin(p.finalSt, n.finalSt),
    contourShape: log(p.contourShape, n.contourShape),
    wanderSt: log(p.wanderSt, n.wanderSt),
    tremorSt: p.tremorSt * k,
    attackS: log(p.attackS, n.attackS),
    articulation: log(p.articulation, n.articulation),
    stressGain: clamp(log(p.stressGain, n.stressGain), 1, 3),
    energySlopeDb: lin(p.energySlopeDb, n.energySlopeDb),
  };
}

/** One synthetic speaker's voice. */
export interface ActorVoice {
  /** RAVDESS convention: odd actors male, even female. */
  gender: "male" | "female";
  /** Base F0 in Hz. */
  f0Hz: number;
  /** Formant scaling (vocal tract length): ~1 male, ~1.15 female. */
  formantScale: number;
  /** Added to every profile's tilt. */
  tiltOffset: number;
  /** Multiplies every profile's breathiness. */
  breathScale: number;
  /** Multiplies every profile's syllable rate. */
  rateScale: number;
  /** Added to every clip's level, dB. */
  levelDb: number;
}

/** Draws actor `n`'s voice (gender from parity, the rest from `rng`). */
export function actorVoice(n: number, rng: Rng): ActorVoice {
  const male = n % 2 === 1;
  return {
    gender: male ? "male" : "female",
    f0Hz: male ? rng.uniform(95, 135) : rng.uniform(180, 240),
    formantScale: male ? rng.uniform(0.93, 1.04) : rng.uniform(1.09, 1.2),
    tiltOffset: rng.uniform(-0.05, 0.05),
    breathScale: rng.uniform(0.8, 1.25),
    rateScale: rng.uniform(0.94, 1.06),
    levelDb: rng.uniform(-2, 2),
  };
}

/** Adult male vowel formants F1–F3 in Hz (Peterson & Barney 1952). */
export const VOWELS: Readonly<Record<string, readonly number[]>> = {
  "ɪ": [390, 1990, 2550],
  "ɑ": [730, 1090, 2440],
  "ɔ": [570, 840, 2410],
  "ə": [500, 1500, 2500],
  "ɝ": [490, 1350, 1690],
};

/** A consonant onset: none, a plosive (closure + burst) or a fricative. */
export type Onset =
  | { kind: "none" }
  | { kind: "plosive"; voiced: boolean; burstHz: number }
  | { kind: "fricative"; voiced: boolean; noiseHz: number };

/** One syllable: onset, vowel target(s) (two for a diphthong), stress. */
export interface Syllable {
  /** The onset consonant. */
  onset: Onset;
  /** Vowel(s): the nucleus glides from the first to the last. */
  vowels: readonly string[];
  /** Lexically stressed (carries a pitch accent). */
  stressed: boolean;
}

const k: Onset = { kind: "plosive", voiced: false, burstHz: 2500 };
const t: Onset = { kind: "plosive", voiced: false, burstHz: 4500 };
const b: Onset = { kind: "plosive", voiced: true, burstHz: 1200 };
const d: Onset = { kind: "plosive", voiced: true, burstHz: 3500 };
const s: Onset = { kind: "fricative", voiced: false, noiseHz: 5500 };
const dh: Onset = { kind: "fricative", voiced: true, noiseHz: 3000 };
const none: Onset = { kind: "none" };

/**
 * RAVDESS's two statements as syllables: 1 "Kids are talking by the door",
 * 2 "Dogs are sitting by the door".
 */
export const STATEMENTS: Readonly<Record<1 | 2, readonly Syllable[]>> = {
  1: [
    { onset: k, vowels: ["ɪ"], stressed: true },
    { onset: none, vowels: ["ɑ"], stressed: false },
    { onset: t, vowels: ["ɔ"], stressed: true },
    { onset: k, vowels: ["ɪ"], stressed: false },
    { onset: b, vowels: ["ɑ", "ɪ"], stressed: false },
    { onset: dh, vowels: ["ə"], stressed: false },
    { onset: d, vowels: ["ɔ", "ɝ"], stressed: true },
  ],
  2: [
    { onset: d, vowels: ["ɔ"], stressed: true },
    { onset: none, vowels: ["ɑ"], stressed: false },
    { onset: s, vowels: ["ɪ"], stressed: true },
    { onset: t, vowels: ["ɪ"], stressed: false },
    { onset: b, vowels: ["ɑ", "ɪ"], stressed: false },
    { onset: dh, vowels: ["ə"], stressed: false },
    { onset: d, vowels: ["ɔ", "ɝ"], stressed: true },
  ],
};
