/**
 * Additive noise at a requested signal-to-noise ratio.
 *
 * The SNR is the ratio of mean powers over the whole clip,
 * `10·log10(Σx² / Σ(g·n)²)`: the noise `n` is scaled by the one gain `g` that
 * makes it exact. The core {@linkcode addNoise} takes the noise samples
 * themselves; {@linkcode addWhiteNoise}, {@linkcode addPinkNoise} and
 * {@linkcode addBankNoise} draw them from a seeded generator or a
 * {@linkcode NoiseBank}. No transform clips: peaks may pass ±1 at low SNRs,
 * which keeps the SNR exact (features are computed on floats).
 *
 * @module
 */
import { type RngSource, toRng } from "./rng.ts";
import { pinkNoise, whiteNoise } from "./noise_generators.ts";
import type { NoiseBank } from "./noise_bank.ts";
import { requireFinite, requireSamples } from "./validate.ts";

/** Options for {@linkcode addNoise}. */
export interface AddNoiseOptions {
  /** Noise samples; tiled (repeated) if shorter than the input. */
  noise: Float32Array;
  /** Requested signal-to-noise ratio in dB. */
  snrDb: number;
}

/**
 * Returns `samples + g·noise` with `g` chosen so that the SNR is exactly
 * `snrDb`. A silent input (all zeros) has no defined SNR and is returned as
 * an unchanged copy. Throws if the noise is empty or silent over the span
 * that would be mixed in.
 */
export function addNoise(
  samples: Float32Array,
  options: AddNoiseOptions,
): Float32Array {
  requireSamples("addNoise", samples);
  const snrDb = requireFinite("addNoise", "snrDb", options.snrDb);
  const { noise } = options;
  if (!(noise instanceof Float32Array) || noise.length === 0) {
    throw new Error("addNoise: option noise must be a non-empty Float32Array");
  }
  const n = samples.length;
  let signalPower = 0;
  let noisePower = 0;
  for (let i = 0; i < n; i++) {
    const v = noise[i % noise.length];
    signalPower += samples[i] * samples[i];
    noisePower += v * v;
  }
  const out = Float32Array.from(samples);
  if (signalPower === 0) return out;
  if (noisePower === 0) {
    throw new Error("addNoise: the noise is silent (all zeros)");
  }
  const g = Math.sqrt(signalPower / (noisePower * 10 ** (snrDb / 10)));
  for (let i = 0; i < n; i++) out[i] += g * noise[i % noise.length];
  return out;
}

/** Options for {@linkcode addWhiteNoise} and {@linkcode addPinkNoise}. */
export interface ColouredNoiseOptions {
  /** Requested signal-to-noise ratio in dB. */
  snrDb: number;
  /** Generator or seed for the noise. */
  rng: RngSource;
}

/** Adds Gaussian white noise at `snrDb` (see {@linkcode addNoise}). */
export function addWhiteNoise(
  samples: Float32Array,
  options: ColouredNoiseOptions,
): Float32Array {
  requireSamples("addWhiteNoise", samples);
  return addNoise(samples, {
    noise: whiteNoise(samples.length, options.rng),
    snrDb: options.snrDb,
  });
}

/** Adds pink (1/f) noise at `snrDb` (see {@linkcode addNoise}). */
export function addPinkNoise(
  samples: Float32Array,
  options: ColouredNoiseOptions,
): Float32Array {
  requireSamples("addPinkNoise", samples);
  return addNoise(samples, {
    noise: pinkNoise(samples.length, options.rng),
    snrDb: options.snrDb,
  });
}

/** Options for {@linkcode addBankNoise}. */
export interface BankNoiseOptions {
  /** Noise clips, from {@linkcode loadNoiseBank}. */
  bank: NoiseBank;
  /** Sample rate of the input; must equal the bank's. */
  sr: number;
  /** Requested signal-to-noise ratio in dB. */
  snrDb: number;
  /** Generator or seed choosing the clip and the start offset. */
  rng: RngSource;
}

/**
 * Adds a clip from a noise bank at `snrDb`: one clip is chosen uniformly,
 * and read from a uniform random offset (wrapping round to its start when the
 * input is longer than what is left of it).
 */
export function addBankNoise(
  samples: Float32Array,
  options: BankNoiseOptions,
): Float32Array {
  requireSamples("addBankNoise", samples);
  const { bank, sr } = options;
  if (bank.clips.length === 0) {
    throw new Error("addBankNoise: the noise bank has no clips");
  }
  if (sr !== bank.sr) {
    throw new Error(
      `addBankNoise: input sample rate ${sr} Hz differs from the noise bank's ${bank.sr} Hz`,
    );
  }
  const r = toRng(options.rng);
  const clip = bank.clips[r.int(0, bank.clips.length)].samples;
  const offset = r.int(0, clip.length);
  const noise = new Float32Array(samples.length);
  for (let i = 0; i < noise.length; i++) {
    noise[i] = clip[(offset + i) % clip.length];
  }
  return addNoise(samples, { noise, snrDb: options.snrDb });
}
