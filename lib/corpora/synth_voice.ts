/**
 * The source-filter voice of the synthetic corpus: a Rosenberg glottal pulse
 * train (differentiated for lip radiation) with per-period jitter and
 * shimmer, pulsed aspiration noise, a spectral tilt (pre-emphasis or
 * two-pole low-pass), a cascade of
 * five formant resonators (Klatt 1980), and band-pass frication noise for
 * consonants. Driven by control tracks sampled every
 * {@linkcode CONTROL_HOP} samples.
 *
 * @module
 */
import type { Rng } from "../random.ts";

/** Samples per control frame (2 ms at 16 kHz). */
export const CONTROL_HOP = 32;

/** Number of formant resonators in the cascade. */
export const FORMANTS = 5;

/** Time-varying control of one utterance, one value per control frame. */
export interface VoiceTracks {
  /** Sample rate in Hz. */
  sr: number;
  /** Output length in samples. */
  length: number;
  /** Fundamental frequency, Hz. */
  f0: Float64Array;
  /** Voicing amplitude (linear). */
  voice: Float64Array;
  /** Frication / burst noise amplitude (linear). */
  noise: Float64Array;
  /** Centre frequency of the frication noise, Hz. */
  noiseHz: Float64Array;
  /** Formant frequencies F1–F5, Hz, one track each. */
  formants: Float64Array[];
}

/** Per-utterance constants of the voice source and tract. */
export interface VoiceSettings {
  /** Relative standard deviation of each period's length. */
  jitter: number;
  /** Relative standard deviation of each period's amplitude. */
  shimmer: number;
  /**
   * Spectral tilt of the source in [-0.7, 0.7]: above 0 the coefficient of
   * two one-pole low-passes (steeper, darker), below 0 a pre-emphasis
   * `x[n] − |tilt|·x[n−1]` (flatter, stronger highs), 0 unchanged.
   */
  tilt: number;
  /** Fraction of the period the glottis is open. */
  openQuotient: number;
  /** Aspiration noise relative to voicing. */
  breath: number;
  /** Formant bandwidths B1–B5, Hz. */
  bandwidths: readonly number[];
}

/** Number of control frames needed for `length` samples. */
export function controlFrames(length: number): number {
  return Math.ceil(length / CONTROL_HOP) + 1;
}

/** Entries of the glottal pulse table (one period). */
const PULSE_TABLE = 1024;

/**
 * One period of the Rosenberg glottal flow with open quotient `oq`, sampled
 * at {@linkcode PULSE_TABLE} phases (plus a wrap-around entry).
 */
function glottalPulse(oq: number): Float64Array {
  const table = new Float64Array(PULSE_TABLE + 1);
  const tp = oq * 0.66;
  const tn = oq - tp;
  for (let k = 0; k <= PULSE_TABLE; k++) {
    const p = (k % PULSE_TABLE) / PULSE_TABLE;
    table[k] = p < tp
      ? 0.5 * (1 - Math.cos(Math.PI * p / tp))
      : p < oq
      ? Math.cos(Math.PI * (p - tp) / (2 * tn))
      : 0;
  }
  return table;
}

/**
 * Renders the utterance described by `tracks` with `settings`; all noise
 * and perturbations come from `rng`, so the output is a pure function of
 * its inputs.
 */
export function renderVoice(
  tracks: VoiceTracks,
  settings: VoiceSettings,
  rng: Rng,
): Float64Array {
  const { sr, length } = tracks;
  const out = new Float64Array(length);
  const nyquistLimit = 0.46 * sr;
  // Formant resonator state and coefficients (Klatt: y = a·x + b·y1 + c·y2).
  const ra = new Float64Array(FORMANTS);
  const rb = new Float64Array(FORMANTS);
  const rc = new Float64Array(FORMANTS);
  const y1 = new Float64Array(FORMANTS);
  const y2 = new Float64Array(FORMANTS);
  // Frication band-pass (RBJ, 0 dB peak) state.
  let nx1 = 0, nx2 = 0, ny1 = 0, ny2 = 0;

  let phase = 0;
  let periodScale = 1;
  let pulseAmp = 1;
  let flowPrev = 0;
  let tilt1 = 0;
  let tilt2 = 0;
  const oq = settings.openQuotient;
  const pulse = glottalPulse(oq);
  const darken = Math.max(0, settings.tilt);
  const emphasis = Math.max(0, -settings.tilt);
  let srcPrev = 0;
  const breath = settings.breath;

  for (let j = 0; j * CONTROL_HOP < length; j++) {
    for (let f = 0; f < FORMANTS; f++) {
      const freq = tracks.formants[f][j];
      if (freq >= nyquistLimit) {
        ra[f] = 1;
        rb[f] = 0;
        rc[f] = 0;
        continue;
      }
      const r = Math.exp(-Math.PI * settings.bandwidths[f] / sr);
      rc[f] = -r * r;
      rb[f] = 2 * r * Math.cos(2 * Math.PI * freq / sr);
      ra[f] = 1 - rb[f] - rc[f];
    }
    const w0 = 2 * Math.PI * Math.min(tracks.noiseHz[j], nyquistLimit) / sr;
    const alpha = Math.sin(w0) / (2 * 1.5);
    const nb0 = alpha / (1 + alpha);
    const na1 = -2 * Math.cos(w0) / (1 + alpha);
    const na2 = (1 - alpha) / (1 + alpha);
    const v0 = tracks.voice[j];
    const dv = (tracks.voice[j + 1] - v0) / CONTROL_HOP;
    const n0 = tracks.noise[j];
    const dn = (tracks.noise[j + 1] - n0) / CONTROL_HOP;
    const f0 = tracks.f0[j];
    // Differentiated flow scaled by the period so level does not follow F0.
    const flowGain = sr / f0 / 8;
    const end = Math.min(length, (j + 1) * CONTROL_HOP);

    for (let i = j * CONTROL_HOP, k = 0; i < end; i++, k++) {
      // Glottal source: each new period draws its jitter and shimmer.
      phase += f0 * periodScale / sr;
      if (phase >= 1) {
        phase -= Math.floor(phase);
        periodScale = Math.max(0.5, 1 + settings.jitter * rng.normal());
        pulseAmp = Math.max(0, 1 + settings.shimmer * rng.normal());
      }
      const pos = phase * PULSE_TABLE;
      const idx = pos | 0;
      const flow = pulse[idx] + (pulse[idx + 1] - pulse[idx]) * (pos - idx);
      const dflow = (flow - flowPrev) * flowGain;
      flowPrev = flow;
      const aspiration = (rng.next() * 2 - 1) * breath *
        (phase < oq ? 1 : 0.4);
      // Spectral tilt on pulses and aspiration: pre-emphasis when brighter,
      // two one-pole low-passes when darker.
      const src = dflow * pulseAmp + aspiration;
      const emphasised = src - emphasis * srcPrev;
      srcPrev = src;
      tilt1 = (1 - darken) * emphasised + darken * tilt1;
      tilt2 = (1 - darken) * tilt1 + darken * tilt2;
      let x = (v0 + dv * k) * tilt2;

      for (let f = 0; f < FORMANTS; f++) {
        const y = ra[f] * x + rb[f] * y1[f] + rc[f] * y2[f];
        y2[f] = y1[f];
        y1[f] = y;
        x = y;
      }

      const white = (rng.next() * 2 - 1) * (n0 + dn * k);
      const fric = nb0 * white - nb0 * nx2 - na1 * ny1 - na2 * ny2;
      nx2 = nx1;
      nx1 = white;
      ny2 = ny1;
      ny1 = fric;
      out[i] = x + fric;
    }
  }
  return out;
}
