/**
 * Band-limited resampling by a rational factor, the polyphase way
 * (`scipy.signal.resample_poly`, which librosa uses for
 * `res_type='polyphase'`).
 *
 * The anti-aliasing filter is scipy's default design: a Kaiser-windowed sinc
 * (`firwin(2 * halfLen + 1, 1 / max(up, down), window=('kaiser', 5.0))`) with
 * `halfLen = 10 * max(up, down)`, scaled by `up`. Output sample `n` is
 * `Σ_k x[k] · h[halfLen + n·down − k·up]`, i.e. the filter centred on input
 * time `n·down/up`; the output has `ceil(len·up/down)` samples, aligned as
 * scipy's. Only the output samples are computed (never the zero-stuffed
 * upsampled signal), and each (up, down) filter bank is built once and cached.
 *
 * @module
 */

/** A polyphase filter bank for one reduced (up, down) ratio. */
interface PolyphaseBank {
  /** Taps per phase (all phases padded to the same length). */
  taps: number;
  /** `up × taps` coefficients, phase-major, in order of increasing input index. */
  coefs: Float64Array;
  /** Per phase: offset of its first input sample relative to `floor(n·down/up)`. */
  first: Int32Array;
}

const BANKS = new Map<string, PolyphaseBank>();

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  const q = x * x / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** scipy's `firwin(numtaps, cutoff, window=('kaiser', beta))` low-pass, DC gain 1. */
function kaiserLowpass(
  numtaps: number,
  cutoff: number,
  beta: number,
): Float64Array {
  const h = new Float64Array(numtaps);
  const alpha = (numtaps - 1) / 2;
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let i = 0; i < numtaps; i++) {
    const m = i - alpha;
    const x = Math.PI * cutoff * m;
    const sinc = m === 0 ? 1 : Math.sin(x) / x;
    const r = alpha === 0 ? 0 : m / alpha;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    h[i] = cutoff * sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < numtaps; i++) h[i] /= sum;
  return h;
}

function polyphaseBank(up: number, down: number): PolyphaseBank {
  const key = `${up}/${down}`;
  const cached = BANKS.get(key);
  if (cached) return cached;
  const maxRate = Math.max(up, down);
  const halfLen = 10 * maxRate;
  const h = kaiserLowpass(2 * halfLen + 1, 1 / maxRate, 5.0);
  // Phase r (= n·down mod up) uses input offsets j with 0 ≤ halfLen + r − j·up ≤ 2·halfLen.
  const first = new Int32Array(up);
  let taps = 0;
  for (let r = 0; r < up; r++) {
    const jMin = Math.ceil((r - halfLen) / up);
    const jMax = Math.floor((r + halfLen) / up);
    first[r] = jMin;
    taps = Math.max(taps, jMax - jMin + 1);
  }
  const coefs = new Float64Array(up * taps);
  for (let r = 0; r < up; r++) {
    for (let i = 0; i < taps; i++) {
      const idx = halfLen + r - (first[r] + i) * up;
      if (idx >= 0 && idx <= 2 * halfLen) coefs[r * taps + i] = h[idx] * up;
    }
  }
  const bank = { taps, coefs, first };
  BANKS.set(key, bank);
  return bank;
}

/**
 * Band-limited resampling with a proper anti-aliasing filter (polyphase,
 * Kaiser-windowed sinc like scipy.signal.resample_poly / librosa
 * res_type='polyphase'). Rates must be positive integers; the output has
 * `ceil(samples.length · toSr / fromSr)` samples. Equal rates return a copy.
 */
export function resample(
  samples: Float32Array,
  fromSr: number,
  toSr: number,
): Float32Array {
  for (const [name, v] of [["fromSr", fromSr], ["toSr", toSr]] as const) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(
        `resample: ${name} must be a positive integer, got ${v}`,
      );
    }
  }
  const g = gcd(fromSr, toSr);
  const up = toSr / g;
  const down = fromSr / g;
  if (up === 1 && down === 1) return samples.slice();
  const nIn = samples.length;
  const nOut = Math.ceil(nIn * up / down);
  const out = new Float32Array(nOut);
  const { taps, coefs, first } = polyphaseBank(up, down);
  const dq = Math.floor(down / up);
  const dr = down % up;
  let q = 0; // floor(n·down / up)
  let r = 0; // n·down mod up
  for (let n = 0; n < nOut; n++) {
    const k0 = q + first[r];
    const base = r * taps;
    let acc = 0;
    if (k0 >= 0 && k0 + taps <= nIn) {
      for (let i = 0; i < taps; i++) acc += samples[k0 + i] * coefs[base + i];
    } else {
      const lo = Math.max(0, -k0);
      const hi = Math.min(taps, nIn - k0);
      for (let i = lo; i < hi; i++) acc += samples[k0 + i] * coefs[base + i];
    }
    out[n] = acc;
    q += dq;
    r += dr;
    if (r >= up) {
      r -= up;
      q++;
    }
  }
  return out;
}
