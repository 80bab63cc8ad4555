/**
 * Band limiting: what a telephone line (300–3400 Hz) or a cheap microphone
 * does to speech. A 4th-order Butterworth high-pass at `lowHz` and a
 * 4th-order Butterworth low-pass at `highHz`, each two cascaded biquads
 * (Robert Bristow-Johnson's cookbook coefficients), run forward in float64.
 *
 * @module
 */
import { requirePositive, requireSamples } from "./validate.ts";

/** Options for {@linkcode bandLimit}. */
export interface BandLimitOptions {
  /** Sample rate of the input (Hz). */
  sr: number;
  /** High-pass corner in Hz (default 300; 0 = no high-pass). */
  lowHz?: number;
  /** Low-pass corner in Hz (default 3400; must be below sr / 2). */
  highHz?: number;
}

/** Q of the two sections of a 4th-order Butterworth filter. */
const BUTTERWORTH_Q4 = [0.5411961001461969, 1.3065629648763764];

type Biquad = [number, number, number, number, number];

function biquad(
  kind: "low" | "high",
  f: number,
  sr: number,
  q: number,
): Biquad {
  const w = 2 * Math.PI * f / sr;
  const cos = Math.cos(w);
  const alpha = Math.sin(w) / (2 * q);
  const a0 = 1 + alpha;
  const b1 = kind === "low" ? 1 - cos : -(1 + cos);
  const b0 = kind === "low" ? b1 / 2 : -b1 / 2;
  return [b0 / a0, b1 / a0, b0 / a0, -2 * cos / a0, (1 - alpha) / a0];
}

function run(x: Float64Array, [b0, b1, b2, a1, a2]: Biquad): void {
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const y = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = y;
    x[i] = y;
  }
}

/** Returns `samples` band-limited to [`lowHz`, `highHz`] (see the module notes). */
export function bandLimit(
  samples: Float32Array,
  options: BandLimitOptions,
): Float32Array {
  requireSamples("bandLimit", samples);
  const sr = requirePositive("bandLimit", "sr", options.sr);
  const low = options.lowHz ?? 300;
  const high = options.highHz ?? 3400;
  if (!(low >= 0 && high > low && high < sr / 2)) {
    throw new Error(
      `bandLimit: need 0 ≤ lowHz < highHz < sr / 2, got lowHz ${low}, highHz ${high}, sr ${sr}`,
    );
  }
  const x = Float64Array.from(samples);
  for (const q of BUTTERWORTH_Q4) {
    if (low > 0) run(x, biquad("high", low, sr, q));
    run(x, biquad("low", high, sr, q));
  }
  return Float32Array.from(x);
}
