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
import { POLYPHASE_WASM } from "./wasm/polyphase_wasm.ts";
import { wasmBytes } from "../wasm/embedded.ts";

/** A polyphase filter bank for one reduced (up, down) ratio. */
interface PolyphaseBank {
  /** Taps per phase (all phases zero-padded to the same multiple of 4). */
  taps: number;
  /** `up × taps` coefficients, phase-major, in order of increasing input index. */
  coefs: Float32Array;
  /** Per phase: offset of its first input sample relative to `floor(n·down/up)`. */
  first: Int32Array;
  /** `min(first)` and `max(first)`: the input reach of a block of outputs. */
  minFirst: number;
  maxFirst: number;
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
  taps = Math.ceil(taps / 4) * 4;
  const coefs = new Float32Array(up * taps);
  for (let r = 0; r < up; r++) {
    for (let i = 0; i < taps; i++) {
      const idx = halfLen + r - (first[r] + i) * up;
      if (idx >= 0 && idx <= 2 * halfLen) coefs[r * taps + i] = h[idx] * up;
    }
  }
  const bank = {
    taps,
    coefs,
    first,
    minFirst: Math.min(...first),
    maxFirst: Math.max(...first),
  };
  BANKS.set(key, bank);
  return bank;
}

/** The reduced `up / down` ratio of two rates; throws unless both are positive integers. */
function ratio(fromSr: number, toSr: number): { up: number; down: number } {
  for (const [name, v] of [["fromSr", fromSr], ["toSr", toSr]] as const) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(
        `resample: ${name} must be a positive integer, got ${v}`,
      );
    }
  }
  const g = gcd(fromSr, toSr);
  return { up: toSr / g, down: fromSr / g };
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
  const { up, down } = ratio(fromSr, toSr);
  if (up === 1 && down === 1) return samples.slice();
  const nIn = samples.length;
  const nOut = Math.ceil(nIn * up / down);
  const out = new Float32Array(nOut);
  const bank = polyphaseBank(up, down);
  for (let n0 = 0; n0 < nOut; n0 += BLOCK) {
    const count = Math.min(BLOCK, nOut - n0);
    out.set(runBlock(samples, bank, up, down, n0, count), n0);
  }
  return out;
}

/** Outputs per kernel call: bounds the wasm memory a long signal needs. */
const BLOCK = 1 << 16;

interface Kernel {
  memory: WebAssembly.Memory;
  polyphase: (...args: number[]) => void;
  heapBase: number;
  /** Key of the bank whose coefficients sit at `heapBase`, if any. */
  loaded: string;
}

let kernel: Kernel | null = null;

function getKernel(): Kernel {
  if (kernel) return kernel;
  const bytes = wasmBytes(POLYPHASE_WASM);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const ex = instance.exports as {
    memory: WebAssembly.Memory;
    polyphase: (...args: number[]) => void;
    __heap_base: WebAssembly.Global;
  };
  kernel = {
    memory: ex.memory,
    polyphase: ex.polyphase,
    heapBase: Number(ex.__heap_base.value),
    loaded: "",
  };
  return kernel;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Computes outputs `n0 … n0+count−1` with the wasm kernel; `samples[0]` is
 * input sample `origin` (inputs outside `samples` read as zeros).
 */
function runBlock(
  samples: Float32Array,
  bank: PolyphaseBank,
  up: number,
  down: number,
  n0: number,
  count: number,
  origin = 0,
): Float32Array {
  const k = getKernel();
  const { taps, coefs, first } = bank;
  const t = n0 * down;
  const q0 = Math.floor(t / up);
  const r0 = t - q0 * up;
  const qLast = Math.floor((n0 + count - 1) * down / up);
  // Input indices read by this block: [lo, hi).
  const lo = q0 + bank.minFirst;
  const hi = qLast + bank.maxFirst + taps;
  const coefsOff = k.heapBase;
  const firstOff = align16(coefsOff + coefs.byteLength);
  const xOff = align16(firstOff + first.byteLength);
  const outOff = align16(xOff + (hi - lo) * 4);
  const need = outOff + count * 4;
  if (need > k.memory.buffer.byteLength) {
    k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  }
  const buf = k.memory.buffer;
  const key = `${up}/${down}`;
  if (k.loaded !== key) {
    new Float32Array(buf, coefsOff, coefs.length).set(coefs);
    new Int32Array(buf, firstOff, first.length).set(first);
    k.loaded = key;
  }
  const x = new Float32Array(buf, xOff, hi - lo);
  const from = Math.max(lo, origin);
  const to = Math.min(hi, origin + samples.length);
  x.fill(0, 0, from - lo);
  x.set(samples.subarray(from - origin, to - origin), from - lo);
  x.fill(0, Math.max(to - lo, 0));
  k.polyphase(
    xOff,
    outOff,
    count,
    coefsOff,
    firstOff,
    taps,
    up,
    down,
    q0 - lo,
    r0,
  );
  return new Float32Array(buf, outOff, count);
}

/** A resampler fed a signal in chunks: see {@linkcode createStreamResampler}. */
export interface StreamResampler {
  /**
   * Takes the next input samples; returns the output samples whose filter
   * support has fully arrived (possibly none).
   */
  push(chunk: Float32Array): Float32Array;
  /** Ends the signal: the remaining outputs, as if the input stopped here. */
  flush(): Float32Array;
}

/**
 * {@linkcode resample} for a signal that arrives in chunks (a microphone):
 * the concatenated outputs of `push` and `flush` equal `resample` of the
 * concatenated input, sample for sample. Each output is computed once its
 * filter support has arrived (about `10 · max(up, down) / up` inputs
 * later); only the inputs later outputs still need are kept.
 */
export function createStreamResampler(
  fromSr: number,
  toSr: number,
): StreamResampler {
  const { up, down } = ratio(fromSr, toSr);
  if (up === 1 && down === 1) {
    return { push: (chunk) => chunk.slice(), flush: () => new Float32Array(0) };
  }
  const bank = polyphaseBank(up, down);
  let kept = new Float32Array(0);
  let base = 0; // input index of kept[0]
  let next = 0; // next output index
  const emit = (last: number): Float32Array => {
    const count = Math.max(0, last - next + 1);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i += BLOCK) {
      const n = Math.min(BLOCK, count - i);
      out.set(runBlock(kept, bank, up, down, next + i, n, base), i);
    }
    next += count;
    const keepFrom = Math.max(
      base,
      Math.floor(next * down / up) + bank.minFirst,
    );
    kept = kept.slice(keepFrom - base);
    base = keepFrom;
    return out;
  };
  return {
    push(chunk) {
      const grown = new Float32Array(kept.length + chunk.length);
      grown.set(kept);
      grown.set(chunk, kept.length);
      kept = grown;
      // Output n is complete once floor(n·down/up) + maxFirst + taps ≤ end.
      const limit = base + kept.length - bank.maxFirst - bank.taps;
      return emit(Math.ceil((limit + 1) * up / down) - 1);
    },
    flush() {
      return emit(Math.ceil((base + kept.length) * up / down) - 1);
    },
  };
}
