/**
 * Test signals for prediction: a seeded voice-like sound, silence with a
 * faint noise floor, and concatenation.
 *
 * @module
 */
import { createRng } from "../../lib/random.ts";

/**
 * `seconds` of a voice-like sound at rate `sr`: harmonics of a gliding f0
 * (1/h amplitudes up to 4 kHz), a 4 Hz syllable envelope, peak about `amp`,
 * plus faint seeded noise.
 */
export function voice(
  sr: number,
  seconds: number,
  options: { f0?: number; amp?: number; seed?: number } = {},
): Float32Array {
  const f0 = options.f0 ?? 140;
  const amp = options.amp ?? 0.2;
  const rng = createRng(`voice:${options.seed ?? 0}`);
  const n = Math.round(seconds * sr);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const f = f0 * (1 + 0.15 * Math.sin(2 * Math.PI * 0.7 * t));
    phase += 2 * Math.PI * f / sr;
    let v = 0;
    for (let h = 1; h * f < 4000; h++) v += Math.sin(h * phase) / h;
    const env = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
    out[i] = (amp / 2) * env * v + 1e-5 * rng.normal();
  }
  return out;
}

/**
 * `seconds` of near-silence: seeded Gaussian noise of RMS `rms` (default
 * 1e-5, −100 dBFS, like the pauses of the RAVDESS recordings).
 */
export function quiet(
  sr: number,
  seconds: number,
  seed = 0,
  rms = 1e-5,
): Float32Array {
  const rng = createRng(`quiet:${seed}`);
  return Float32Array.from(
    { length: Math.round(seconds * sr) },
    () => rms * rng.normal(),
  );
}

/** The parts one after the other. */
export function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
