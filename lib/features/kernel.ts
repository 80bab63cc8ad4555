/**
 * The fast path of the `librosa` flavour: a float64 WebAssembly SIMD kernel
 * (`wasm/mel_kernel.c`, built by `deno task build:wasm`) computing the STFT
 * power, mel bands, `power_to_db` and the DCT two frames at a time. It uses
 * the DSP core's window, mel weights and DCT matrix and is tested against the
 * core's step-by-step path (≤ 1e-4) and against librosa.
 *
 * @module
 */
import {
  dctMatrix,
  frameCount,
  hannWindow,
  type Matrix64,
  melFilterBank,
} from "../dsp/mod.ts";
import type { SpectralOptions } from "./librosa.ts";
import { MEL_KERNEL_WASM } from "./wasm/mel_kernel_wasm.ts";
import { wasmBytes } from "../wasm/embedded.ts";

interface KernelExports {
  mel_db(
    padded: number,
    frames: number,
    hop: number,
    nFft: number,
    window: number,
    twRe: number,
    twIm: number,
    postRe: number,
    postIm: number,
    bitrev: number,
    nMels: number,
    starts: number,
    offsets: number,
    weights: number,
    amin: number,
    out: number,
    scratch: number,
  ): number;
  clip_below(x: number, n: number, floor: number): void;
  dct_frames(
    input: number,
    frames: number,
    nMels: number,
    fold: number,
    nEven: number,
    nOdd: number,
    nMfcc: number,
    out: number,
    scratch: number,
  ): void;
  __heap_base: WebAssembly.Global;
}

/** Byte offsets of the per-configuration tables in kernel memory. */
interface Tables {
  key: string;
  window: number;
  twRe: number;
  twIm: number;
  postRe: number;
  postIm: number;
  bitrev: number;
  starts: number;
  offsets: number;
  weights: number;
  dct: number;
  scratch: number;
  /** Even / odd DCT rows in the folded table, each padded to an even count. */
  nEven: number;
  nOdd: number;
  /** First free byte after the tables. */
  end: number;
}

const PAGE = 65536;
let kernel: { exports: KernelExports; memory: WebAssembly.Memory } | null =
  null;
let tables: Tables | null = null;

function instance() {
  if (kernel) return kernel;
  const bytes = wasmBytes(MEL_KERNEL_WASM);
  const memory = new WebAssembly.Memory({ initial: 32 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory },
  });
  kernel = { exports: inst.exports as unknown as KernelExports, memory };
  return kernel;
}

function ensureBytes(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
}

const align = (n: number) => (n + 15) & ~15;

function prepare(o: SpectralOptions, nMfcc: number): Tables {
  const key = [o.sr, o.nFft, o.winLength, o.nMels, o.fmin, o.fmax, nMfcc].join(
    ",",
  );
  if (tables?.key === key) return tables;
  const { nFft, nMels } = o;
  if (!Number.isInteger(nFft) || nFft < 8 || (nFft & (nFft - 1)) !== 0) {
    throw new Error(`FFT size must be a power of two ≥ 8, got ${nFft}`);
  }
  const { exports, memory } = instance();
  const m = nFft / 2;
  const bank = melFilterBank(o);
  const window = hannWindow(o.winLength, nFft);
  const twRe = new Float64Array(m / 2);
  const twIm = new Float64Array(m / 2);
  for (let j = 0; j < m / 2; j++) {
    twRe[j] = Math.cos((2 * Math.PI * j) / m);
    twIm[j] = -Math.sin((2 * Math.PI * j) / m);
  }
  const postRe = new Float64Array(m + 1);
  const postIm = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) {
    postRe[k] = Math.cos((2 * Math.PI * k) / nFft);
    postIm[k] = -Math.sin((2 * Math.PI * k) / nFft);
  }
  const bits = Math.log2(m);
  const bitrev = new Int32Array(m);
  for (let n = 0; n < m; n++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((n >> b) & 1) << (bits - 1 - b);
    bitrev[n] = r;
  }
  // The DCT folded about its centre (see dct_frames in the C source):
  // ⌈nMels/2⌉ rows; columns = even rows' left halves, then odd rows'.
  const half = Math.ceil(nMels / 2);
  const even = Math.ceil(nMfcc / 2);
  const odd = Math.floor(nMfcc / 2);
  const nEven = even + (even & 1);
  const nOdd = odd + (odd & 1);
  const rowMajor = dctMatrix(nMfcc, nMels);
  const dct = new Float64Array(half * (nEven + nOdd));
  for (let k = 0; k < nMfcc; k++) {
    const col = k % 2 === 0 ? k / 2 : nEven + (k - 1) / 2;
    for (let n = 0; n < half; n++) {
      dct[n * (nEven + nOdd) + col] = rowMajor[k * nMels + n];
    }
  }
  const parts: ArrayBufferView[] = [
    window,
    twRe,
    twIm,
    postRe,
    postIm,
    bitrev,
    bank.starts,
    bank.offsets,
    bank.weights,
    dct,
  ];
  let at = align(exports.__heap_base.value as number);
  const where: number[] = [];
  for (const p of parts) {
    where.push(at);
    at = align(at + p.byteLength);
  }
  const scratch = at;
  at = align(at + Math.max(3 * (m + 1) * 16, 16 * (half + 1)));
  ensureBytes(memory, at);
  const u8 = new Uint8Array(memory.buffer);
  parts.forEach((p, i) =>
    u8.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), where[i])
  );
  tables = {
    key,
    window: where[0],
    twRe: where[1],
    twIm: where[2],
    postRe: where[3],
    postIm: where[4],
    bitrev: where[5],
    starts: where[6],
    offsets: where[7],
    weights: where[8],
    dct: where[9],
    scratch,
    nEven,
    nOdd,
    end: at,
  };
  return tables;
}

/**
 * Runs the kernel on mono `samples`: log-mel dB (`power_to_db(ref=1,
 * amin=1e-10, top_db=80)`, frames × nMels) and, if `nMfcc > 0`, the MFCC
 * (frames × nMfcc). Returns the requested matrix. The callers
 * ({@linkcode mfcc}, {@linkcode logMelSpectrogram}) check `o.hopLength`.
 */
export function melKernel(
  samples: Float32Array,
  o: SpectralOptions,
  nMfcc: number,
): Matrix64 {
  const t = prepare(o, Math.max(nMfcc, 1));
  const { exports, memory } = instance();
  const { nFft, hopLength, nMels } = o;
  const frames = frameCount(samples.length, nFft, hopLength);
  const pad = nFft / 2;
  // Room for the last frame of a pair that may read one hop further.
  const paddedLen = (frames + 1) * hopLength + nFft;
  const padded = t.end;
  const mel = align(padded + 4 * paddedLen);
  const out = align(mel + 8 * frames * nMels);
  const end = align(out + 8 * frames * Math.max(nMfcc, 1));
  ensureBytes(memory, end);
  const f32 = new Float32Array(memory.buffer, padded, paddedLen);
  f32.fill(0, 0, pad);
  f32.set(samples, pad);
  f32.fill(0, pad + samples.length);
  const max = exports.mel_db(
    padded,
    frames,
    hopLength,
    nFft,
    t.window,
    t.twRe,
    t.twIm,
    t.postRe,
    t.postIm,
    t.bitrev,
    nMels,
    t.starts,
    t.offsets,
    t.weights,
    1e-10,
    mel,
    t.scratch,
  );
  const n = frames * nMels;
  exports.clip_below(mel, n, max - 80);
  if (nMfcc <= 0) {
    return {
      data: new Float64Array(memory.buffer, mel, n).slice(),
      frames,
      dims: nMels,
    };
  }
  exports.dct_frames(
    mel,
    frames,
    nMels,
    t.dct,
    t.nEven,
    t.nOdd,
    nMfcc,
    out,
    t.scratch,
  );
  return {
    data: new Float64Array(memory.buffer, out, frames * nMfcc).slice(),
    frames,
    dims: nMfcc,
  };
}
