/**
 * WAV writing.
 *
 * @module
 */

/** Options of {@linkcode encodeWav}. */
export interface EncodeWavOptions {
  /** Integer PCM (default) or IEEE float. */
  format?: "pcm" | "float";
  /** Bits per sample: PCM 8/16/24/32 (default 16), float 32 (default)/64. */
  bitDepth?: 8 | 16 | 24 | 32 | 64;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * WAV writer: PCM 8/16/24/32 or IEEE float 32/64, mono or multi-channel; used
 * by the synthetic corpus, tests and notebook audio playback. Integer PCM
 * rounds `x · 2^(bits−1)` to nearest and clips to the code range (8-bit is
 * unsigned, offset 128). More than two channels are written as
 * WAVE_FORMAT_EXTENSIBLE (channel mask 0: unassigned); float files carry the
 * `fact` chunk the format requires. Output is deterministic.
 */
export function encodeWav(
  channels: Float32Array | Float32Array[],
  sr: number,
  options: EncodeWavOptions = {},
): Uint8Array {
  const chans = channels instanceof Float32Array ? [channels] : channels;
  const format = options.format ?? "pcm";
  const bits = options.bitDepth ?? (format === "float" ? 32 : 16);
  if (chans.length === 0 || chans.length > 65535) {
    throw new RangeError(
      `encodeWav: need 1–65535 channels, got ${chans.length}`,
    );
  }
  const frames = chans[0].length;
  if (chans.some((c) => c.length !== frames)) {
    throw new RangeError("encodeWav: channels differ in length");
  }
  if (!Number.isInteger(sr) || sr <= 0 || sr > 0xffffffff) {
    throw new RangeError(`encodeWav: sr must be a positive integer, got ${sr}`);
  }
  if (
    format === "pcm"
      ? ![8, 16, 24, 32].includes(bits)
      : ![32, 64].includes(bits)
  ) {
    throw new RangeError(`encodeWav: ${format} cannot be ${bits}-bit`);
  }
  const nch = chans.length;
  const bytesPerSample = bits / 8;
  const blockAlign = nch * bytesPerSample;
  const dataBytes = frames * blockAlign;
  const extensible = nch > 2;
  const fmtSize = extensible ? 40 : format === "float" ? 18 : 16;
  const factSize = format === "float" ? 12 : 0;
  const total = 12 + 8 + fmtSize + factSize + 8 + dataBytes + dataBytes % 2;
  if (total - 8 > 0xffffffff) {
    throw new RangeError("encodeWav: more than 4 GiB of audio");
  }
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  const tag = format === "float" ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
  ascii(0, "RIFF");
  v.setUint32(4, total - 8, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, extensible ? WAVE_FORMAT_EXTENSIBLE : tag, true);
  v.setUint16(22, nch, true);
  v.setUint32(24, sr, true);
  v.setUint32(28, sr * blockAlign, true);
  v.setUint16(32, blockAlign, true);
  v.setUint16(34, bits, true);
  if (fmtSize > 16) v.setUint16(36, fmtSize - 18, true);
  if (extensible) {
    v.setUint16(38, bits, true); // valid bits per sample
    v.setUint32(40, 0, true); // channel mask: unassigned
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {tag}-0000-0010-8000-00aa00389b71
    v.setUint16(44, tag, true);
    out.set(
      [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71],
      46,
    );
  }
  let at = 20 + fmtSize;
  if (factSize) {
    ascii(at, "fact");
    v.setUint32(at + 4, 4, true);
    v.setUint32(at + 8, frames, true);
    at += 12;
  }
  ascii(at, "data");
  v.setUint32(at + 4, dataBytes, true);
  writeSamples(v, at + 8, chans, format, bits);
  return out;
}

function writeSamples(
  v: DataView,
  start: number,
  chans: Float32Array[],
  format: "pcm" | "float",
  bits: number,
): void {
  const nch = chans.length;
  const frames = chans[0].length;
  const step = bits / 8;
  const stride = nch * step;
  const full = 2 ** (bits - 1);
  const hi = full - 1;
  // Nearest code (ties up, as Math.round), clipped to the code range; NaN → 0.
  const code = (s: number) => {
    const q = Math.floor(s * full + 0.5);
    return q > hi ? hi : q < -full ? -full : q || 0;
  };
  for (let c = 0; c < nch; c++) {
    const x = chans[c];
    const at0 = start + c * step;
    if (format === "float" && bits === 32) {
      for (let i = 0, at = at0; i < frames; i++, at += stride) {
        v.setFloat32(at, x[i], true);
      }
    } else if (format === "float") {
      for (let i = 0, at = at0; i < frames; i++, at += stride) {
        v.setFloat64(at, x[i], true);
      }
    } else if (bits === 8) {
      for (let i = 0, at = at0; i < frames; i++, at += stride) {
        v.setUint8(at, code(x[i]) + 128);
      }
    } else if (bits === 16) {
      for (let i = 0, at = at0; i < frames; i++, at += stride) {
        v.setInt16(at, code(x[i]), true);
      }
    } else if (bits === 24) {
      for (let i = 0, at = at0; i < frames; i++, at += stride) {
        const q = code(x[i]);
        v.setUint8(at, q & 0xff);
        v.setUint16(at + 1, (q >> 8) & 0xffff, true);
      }
    } else {
      for (let i = 0, at = at0; i < frames; i++, at += stride) {
        v.setInt32(at, code(x[i]), true);
      }
    }
  }
}
