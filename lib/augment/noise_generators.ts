/**
 * Seeded noise sources for additive-noise augmentation: white (Gaussian) and
 * pink (1/f power, −3.01 dB per octave).
 *
 * @module
 */
import { type RngSource, toRng } from "./rng.ts";
import { requireInteger } from "./validate.ts";

/** `length` samples of zero-mean, unit-variance Gaussian white noise. */
export function whiteNoise(length: number, rng: RngSource): Float32Array {
  requireInteger("whiteNoise", "length", length, 0);
  const r = toRng(rng);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = r.normal();
  return out;
}

/**
 * Samples run through the pink filter before output starts, so its slowest
 * pole (time constant ≈ 880 samples) has settled and the first samples are
 * as pink as the rest.
 */
const PINK_WARM_UP = 8192;

/**
 * `length` samples of pink noise (power spectral density ∝ 1/f), scaled to
 * unit variance over the returned samples.
 *
 * Gaussian white noise is shaped by Paul Kellet's "refined" 1/f filter: six
 * first-order sections whose sum follows 1/f within ±0.05 dB from 2·10⁻⁴·sr
 * up to near Nyquist (e.g. above 3.3 Hz at 16 kHz). The filter runs
 * {@linkcode PINK_WARM_UP} samples before output starts, so the start of the
 * buffer has no low-frequency onset transient.
 */
export function pinkNoise(length: number, rng: RngSource): Float32Array {
  requireInteger("pinkNoise", "length", length, 0);
  const r = toRng(rng);
  const out = new Float32Array(length);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  let sumSq = 0;
  for (let i = -PINK_WARM_UP; i < length; i++) {
    const w = r.normal();
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    const p = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    if (i >= 0) {
      out[i] = p;
      sumSq += p * p;
    }
  }
  if (sumSq > 0) {
    const scale = 1 / Math.sqrt(sumSq / length);
    for (let i = 0; i < length; i++) out[i] *= scale;
  }
  return out;
}
