/**
 * Planning one synthetic utterance: syllable timing from the speaking rate,
 * the pitch contour (level, declination or final rise, stressed-syllable
 * accents, random wander, tremor), syllable loudness envelopes, consonant
 * noise and formant trajectories — the control tracks `renderVoice` plays.
 *
 * @module
 */
import type { Rng } from "../random.ts";
import {
  type ActorVoice,
  type EmotionProfile,
  type Syllable,
  VOWELS,
} from "./synth_profiles.ts";
import {
  CONTROL_HOP,
  controlFrames,
  FORMANTS,
  type VoiceSettings,
  type VoiceTracks,
} from "./synth_voice.ts";

/** What to say and how. */
export interface UtterancePlanInput {
  /** Sample rate in Hz. */
  sr: number;
  /** The speaker. */
  voice: ActorVoice;
  /** The emotion at its intensity. */
  profile: EmotionProfile;
  /** The syllables of the sentence. */
  syllables: readonly Syllable[];
}

/** A planned utterance: control tracks, voice settings, target level. */
export interface UtterancePlan {
  /** Control tracks for `renderVoice`. */
  tracks: VoiceTracks;
  /** Source and tract constants for `renderVoice`. */
  settings: VoiceSettings;
  /** RMS level of the voiced part to scale to, dBFS. */
  levelDb: number;
  /** Control frames where the voice is sounding (for level measurement). */
  voiced: Uint8Array;
}

/** Higher formants F4, F5 of an adult male tract, Hz. */
const HIGH_FORMANTS = [3300, 4200];
/** Bandwidths B1–B5 for a modal voice, Hz. */
const BANDWIDTHS = [70, 95, 130, 190, 260];
/** RMS level of a neutral clip at actor level 0, dBFS. */
const BASE_LEVEL_DB = -26;

interface Segment {
  syllable: Syllable;
  start: number;
  vowelStart: number;
  end: number;
}

function raisedCosine(x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return 0.5 - 0.5 * Math.cos(Math.PI * x);
}

/** Lays out syllables in time (seconds) after `lead` seconds of silence. */
function layout(
  input: UtterancePlanInput,
  rng: Rng,
  lead: number,
): Segment[] {
  const { profile, voice, syllables } = input;
  const base = 1 / (profile.rate * voice.rateScale * rng.uniform(0.92, 1.08));
  const pauseAfter = rng.next() < 0.35 ? 1 : -1;
  const segments: Segment[] = [];
  let t = lead;
  syllables.forEach((syl, i) => {
    let dur = base * (syl.stressed ? 1.25 : 0.85) * rng.uniform(0.9, 1.1);
    if (i === syllables.length - 1) dur *= 1.4;
    const onsetDur = syl.onset.kind === "none"
      ? 0
      : Math.min(0.3 * dur, syl.onset.kind === "plosive" ? 0.075 : 0.11);
    segments.push({
      syllable: syl,
      start: t,
      vowelStart: t + onsetDur,
      end: t + dur,
    });
    t += dur;
    if (i === pauseAfter) t += base * rng.uniform(0.3, 0.7);
  });
  return segments;
}

function formantsOf(vowel: string, scale: number, rng: Rng): number[] {
  const f = [...VOWELS[vowel], ...HIGH_FORMANTS];
  return f.map((hz) => hz * scale * (1 + 0.03 * rng.normal()));
}

/**
 * Plans one utterance of `input.syllables` spoken by `input.voice` with
 * `input.profile`; every random choice (timing, accents, contour wander,
 * formant scatter, level) comes from `rng`.
 */
export function planUtterance(
  input: UtterancePlanInput,
  rng: Rng,
): UtterancePlan {
  const { sr, voice, profile } = input;
  const lead = rng.uniform(0.1, 0.25);
  const segments = layout(input, rng, lead);
  const speechEnd = segments[segments.length - 1].end;
  const length = Math.round((speechEnd + rng.uniform(0.15, 0.3)) * sr);
  const n = controlFrames(length);
  const dt = CONTROL_HOP / sr;

  // Pitch accents: one bump per syllable, tall on stressed ones.
  const accents = segments.map((s) => ({
    centre: (s.vowelStart + s.end) / 2,
    width: Math.max(0.03, (s.end - s.vowelStart) / 2.2),
    height: profile.rangeSt *
      (s.syllable.stressed ? rng.uniform(0.6, 1.1) : rng.uniform(0, 0.25)),
  }));
  const gains = segments.map((s) =>
    (s.syllable.stressed ? profile.stressGain : 1) * rng.uniform(0.9, 1.1)
  );
  const offsetSt = profile.f0St + 0.8 * rng.normal();
  const tremorHz = rng.uniform(5, 7);
  const tremorPhase = rng.uniform(0, 2 * Math.PI);
  const wanderStep = profile.wanderSt * 0.2;

  const f0 = new Float64Array(n);
  const voiceAmp = new Float64Array(n);
  const noise = new Float64Array(n);
  const noiseHz = new Float64Array(n).fill(3000);
  const formants = Array.from({ length: FORMANTS }, () => new Float64Array(n));
  const voiced = new Uint8Array(n);

  // Formant anchors at vowel nuclei (diphthongs glide between two).
  const anchors: { t: number; f: number[] }[] = [];
  for (const s of segments) {
    const v = s.syllable.vowels;
    const len = s.end - s.vowelStart;
    if (v.length === 1) {
      anchors.push({
        t: s.vowelStart + 0.5 * len,
        f: formantsOf(v[0], voice.formantScale, rng),
      });
    } else {
      anchors.push({
        t: s.vowelStart + 0.25 * len,
        f: formantsOf(v[0], voice.formantScale, rng),
      });
      anchors.push({
        t: s.vowelStart + 0.85 * len,
        f: formantsOf(v[v.length - 1], voice.formantScale, rng),
      });
    }
  }

  let wander = 0;
  let anchor = 0;
  let seg = 0;
  const release = 0.03;
  for (let j = 0; j < n; j++) {
    const t = j * dt;
    // Pitch: level + global contour + accents + wander + tremor.
    const u = Math.min(1, Math.max(0, (t - lead) / (speechEnd - lead)));
    let st = offsetSt + profile.finalSt * Math.pow(u, profile.contourShape);
    for (const a of accents) {
      const z = (t - a.centre) / a.width;
      if (Math.abs(z) < 4) st += a.height * Math.exp(-0.5 * z * z);
    }
    wander = 0.97 * wander + wanderStep * rng.normal();
    st += wander +
      profile.tremorSt * Math.sin(2 * Math.PI * tremorHz * t + tremorPhase);
    f0[j] = voice.f0Hz * Math.pow(2, st / 12);

    // Formants: linear between anchors, held before the first/after the last.
    while (anchor < anchors.length - 1 && anchors[anchor + 1].t <= t) anchor++;
    const a0 = anchors[anchor];
    const a1 = anchors[Math.min(anchor + 1, anchors.length - 1)];
    const w = a1.t > a0.t
      ? Math.min(1, Math.max(0, (t - a0.t) / (a1.t - a0.t)))
      : 0;
    for (let f = 0; f < FORMANTS; f++) {
      formants[f][j] = a0.f[f] + (a1.f[f] - a0.f[f]) * w;
    }

    // Loudness and consonant noise from the current syllable.
    while (seg < segments.length - 1 && segments[seg].end <= t) seg++;
    const s = segments[seg];
    if (t < s.start || t >= s.end) continue;
    const emphasis = gains[seg] *
      Math.pow(10, profile.energySlopeDb * u / 20);
    const onset = s.syllable.onset;
    if (t >= s.vowelStart) {
      const attack = raisedCosine((t - s.vowelStart) / profile.attackS);
      const decay = raisedCosine((s.end - t) / release);
      voiceAmp[j] = emphasis * attack * decay *
        (1 - 0.25 * (t - s.vowelStart) / (s.end - s.vowelStart));
      voiced[j] = 1;
    } else if (onset.kind === "plosive") {
      const burstAt = s.vowelStart - 0.015;
      if (t >= burstAt) {
        noise[j] = 0.5 * profile.articulation *
          Math.exp(-(t - burstAt) / 0.006);
      }
      noiseHz[j] = onset.burstHz * Math.sqrt(voice.formantScale);
      voiceAmp[j] = onset.voiced ? 0.12 : 0;
    } else if (onset.kind === "fricative") {
      const x = (t - s.start) / (s.vowelStart - s.start);
      noise[j] = 0.3 * profile.articulation * Math.sin(Math.PI * x);
      noiseHz[j] = onset.noiseHz * Math.sqrt(voice.formantScale);
      voiceAmp[j] = onset.voiced ? 0.35 * Math.sin(Math.PI * x) : 0;
    }
  }

  const breathy = Math.min(0.4, profile.breath * voice.breathScale);
  return {
    tracks: { sr, length, f0, voice: voiceAmp, noise, noiseHz, formants },
    settings: {
      jitter: profile.jitter,
      shimmer: profile.shimmer,
      tilt: Math.min(0.7, Math.max(-0.7, profile.tilt + voice.tiltOffset)),
      openQuotient: profile.openQuotient,
      breath: breathy,
      bandwidths: BANDWIDTHS.map((b) => b * (1 + 0.8 * breathy)),
    },
    levelDb: BASE_LEVEL_DB + profile.loudDb + voice.levelDb +
      rng.uniform(-2.5, 2.5),
    voiced,
  };
}
