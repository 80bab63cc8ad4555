/**
 * A pure, synchronous WAV (RIFF/WAVE) reader.
 *
 * Reads PCM 8 (unsigned) / 16 / 24 / 32-bit integer, IEEE float 32 / 64 and
 * G.711 A-law / µ-law (telephony) samples, plain or WAVE_FORMAT_EXTENSIBLE,
 * any channel count, chunks in any order (unknown ones such as RAVDESS's
 * Apple `FLLR` are skipped, odd-sized chunks are padded to even). A data chunk whose declared size runs past the
 * end of the file is an error ("truncated data chunk"), not a silent partial
 * decode: a cut-off recording should be noticed, not trained on. The one
 * exception is the size 0xFFFFFFFF that writers streaming to a pipe leave in
 * place (the size was never known): such data runs to the end of the file.
 * A trailing partial frame (data size not a multiple of the frame size) is
 * ignored.
 *
 * @module
 */
import { checkAudioShape } from "./bounds.ts";
import { AudioError } from "./errors.ts";
import { bufferSource, type ByteSource } from "./source.ts";
import type { AudioInfo } from "./types.ts";

/** Where the samples of a WAV file are and how they are encoded. */
export interface WavLayout {
  /** Header facts. */
  info: AudioInfo;
  /** Effective format tag (the sub-format's for WAVE_FORMAT_EXTENSIBLE). */
  formatTag: number;
  /** How samples are stored. */
  encoding: "pcm" | "float" | "alaw" | "mulaw";
  /** Bytes per sample in the container (1, 2, 3, 4 or 8). */
  bytesPerSample: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const STREAMING_SIZE = 0xffffffff;
/** Tail shared by the KSDATAFORMAT_SUBTYPE_* GUIDs (bytes 2…15 as stored). */
export const GUID_TAIL: readonly number[] = [
  0x00,
  0x00,
  0x00,
  0x00,
  0x10,
  0x00,
  0x80,
  0x00,
  0x00,
  0xaa,
  0x00,
  0x38,
  0x9b,
  0x71,
];

/** Names of format tags we do not decode, for the error message. */
const CODEC_NAMES: Record<number, string> = {
  0x0002: "Microsoft ADPCM",
  0x0011: "IMA ADPCM",
  0x0016: "ITU G.723 ADPCM",
  0x0031: "GSM 6.10",
  0x0040: "ITU G.721 ADPCM",
  0x0050: "MPEG",
  0x0055: "MPEG Layer 3",
  0x0092: "Dolby AC-3 SPDIF",
  0x00ff: "AAC",
  0x0160: "WMA v1",
  0x0161: "WMA v2",
  0x0162: "WMA Pro",
  0x0163: "WMA Lossless",
  0x1610: "HE-AAC",
  0xf1ac: "FLAC",
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function printable(id: string): string {
  return JSON.stringify(id);
}

function tagName(tag: number): string {
  const hex = `0x${tag.toString(16).padStart(4, "0")}`;
  const name = CODEC_NAMES[tag];
  return name ? `${hex} (${name})` : hex;
}

/**
 * Parses the chunk structure and `fmt ` of a WAV file without decoding the
 * samples. Reads only chunk headers and the `fmt ` body from `source`.
 * Throws {@linkcode AudioError} naming `path` for anything unreadable.
 */
export function readWavLayout(source: ByteSource, path: string): WavLayout {
  const head = source.read(0, 12);
  if (head.length < 12) {
    throw new AudioError(
      path,
      `not a RIFF/WAVE file: only ${source.size} bytes`,
    );
  }
  const magic = fourcc(head, 0);
  const form = fourcc(head, 8);
  if (magic === "RIFX" || magic === "RF64") {
    throw new AudioError(
      path,
      `unsupported WAV variant: ${
        magic === "RIFX" ? "big-endian RIFX" : "64-bit RF64"
      }`,
    );
  }
  if (magic !== "RIFF" || form !== "WAVE") {
    throw new AudioError(
      path,
      magic === "RIFF"
        ? `not a RIFF/WAVE file: RIFF form type ${
          printable(form)
        } is not "WAVE"`
        : "not a RIFF/WAVE file: no RIFF header",
    );
  }
  let fmt: Uint8Array | null = null;
  let dataOffset = -1;
  let dataBytes = 0;
  let offset = 12;
  let overrun = "";
  while (offset + 8 <= source.size && (fmt === null || dataOffset < 0)) {
    const h = source.read(offset, 8);
    const id = fourcc(h, 0);
    const size = (h[4] | h[5] << 8 | h[6] << 16 | h[7] << 24) >>> 0;
    const body = offset + 8;
    const available = source.size - body;
    if (id === "data") {
      // 0xFFFFFFFF is the placeholder of writers streaming to a pipe (e.g.
      // ffmpeg): the size was never known, so the data runs to the end.
      const unknownSize = size === STREAMING_SIZE;
      if (size > available && !unknownSize) {
        throw new AudioError(
          path,
          `truncated data chunk: header declares ${size} bytes of audio but the file ends after ${available}`,
        );
      }
      dataOffset = body;
      dataBytes = unknownSize ? available : size;
    } else if (id === "fmt ") {
      if (size > available) {
        throw new AudioError(
          path,
          `truncated fmt chunk: header declares ${size} bytes but the file ends after ${available}`,
        );
      }
      if (size < 16) {
        throw new AudioError(
          path,
          `fmt chunk too short: ${size} bytes (at least 16 expected)`,
        );
      }
      fmt = source.read(body, Math.min(size, 40)).slice();
    } else if (size > available) {
      overrun = ` (chunk ${
        printable(id)
      } at byte ${offset} declares ${size} bytes, past the end of the file)`;
    }
    offset = body + size + (size & 1);
  }
  if (fmt === null) throw new AudioError(path, `missing fmt chunk${overrun}`);
  if (dataOffset < 0) {
    throw new AudioError(path, `missing data chunk${overrun}`);
  }
  return parseFormat(fmt, dataOffset, dataBytes, path);
}

function parseFormat(
  fmt: Uint8Array,
  dataOffset: number,
  dataBytes: number,
  path: string,
): WavLayout {
  const v = new DataView(fmt.buffer, fmt.byteOffset, fmt.byteLength);
  let tag = v.getUint16(0, true);
  const channels = v.getUint16(2, true);
  const sampleRate = v.getUint32(4, true);
  const blockAlign = v.getUint16(12, true);
  const bits = v.getUint16(14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < 40) {
      throw new AudioError(
        path,
        `WAVE_FORMAT_EXTENSIBLE fmt chunk too short: ${fmt.length} bytes (40 expected)`,
      );
    }
    const guidOk = GUID_TAIL.every((b, i) => fmt[26 + i] === b);
    if (!guidOk) {
      const guid = [...fmt.subarray(24, 40)].map((b) =>
        b.toString(16).padStart(2, "0")
      ).join("");
      throw new AudioError(
        path,
        `unsupported WAV codec: WAVE_FORMAT_EXTENSIBLE sub-format GUID ${guid}`,
      );
    }
    tag = v.getUint16(24, true);
  }
  if (channels === 0) throw new AudioError(path, "zero channels in fmt chunk");
  if (sampleRate === 0) {
    throw new AudioError(path, "zero sample rate in fmt chunk");
  }
  let encoding: WavLayout["encoding"];
  if (tag === WAVE_FORMAT_PCM) {
    if (bits < 1 || bits > 32) {
      throw new AudioError(
        path,
        `unsupported WAV codec: ${bits}-bit PCM (1–32 bits supported)`,
      );
    }
    encoding = "pcm";
  } else if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits !== 32 && bits !== 64) {
      throw new AudioError(
        path,
        `unsupported WAV codec: ${bits}-bit IEEE float (32 or 64 supported)`,
      );
    }
    encoding = "float";
  } else if (tag === WAVE_FORMAT_ALAW || tag === WAVE_FORMAT_MULAW) {
    if (bits !== 8) {
      throw new AudioError(
        path,
        `unsupported WAV codec: ${bits}-bit G.711 ${
          tag === WAVE_FORMAT_ALAW ? "A-law" : "µ-law"
        } (8 supported)`,
      );
    }
    encoding = tag === WAVE_FORMAT_ALAW ? "alaw" : "mulaw";
  } else {
    throw new AudioError(
      path,
      `unsupported WAV codec: format tag ${tagName(tag)}`,
    );
  }
  // The container may be wider than the valid bits (e.g. 24 bits in 4 bytes).
  const minBytes = Math.ceil(bits / 8);
  const container = blockAlign / channels;
  const bytesPerSample = encoding === "pcm" && Number.isInteger(container) &&
      container >= minBytes && container <= 4
    ? container
    : minBytes;
  const frames = Math.floor(dataBytes / (bytesPerSample * channels));
  checkAudioShape(path, { sampleRate, channels, frames }, "fmt chunk");
  if (frames === 0) {
    throw new AudioError(
      path,
      `empty audio: the data chunk holds 0 frames (${dataBytes} bytes)`,
    );
  }
  return {
    info: {
      path,
      container: "wav",
      codec: encoding === "pcm" || encoding === "float"
        ? `${encoding}${bytesPerSample * 8}`
        : encoding,
      sampleRate,
      channels,
      frames,
      durationS: frames / sampleRate,
    },
    formatTag: tag,
    encoding,
    bytesPerSample,
    dataOffset,
  };
}

const G711: Partial<Record<"alaw" | "mulaw", Float32Array>> = {};

/**
 * G.711 expansion tables (ITU-T G.711, as in libsndfile, ffmpeg and Python's
 * audioop), scaled from the 16-bit linear code: µ-law peaks at ±32124, A-law
 * at ±32256.
 */
function g711Table(law: "alaw" | "mulaw"): Float32Array {
  const cached = G711[law];
  if (cached) return cached;
  const t = new Float32Array(256);
  for (let code = 0; code < 256; code++) {
    let linear: number;
    if (law === "mulaw") {
      const u = ~code & 0xff;
      const m = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
      linear = u & 0x80 ? 0x84 - m : m - 0x84;
    } else {
      const a = code ^ 0x55;
      const seg = (a & 0x70) >> 4;
      let m = (a & 0x0f) << 4;
      m = seg === 0 ? m + 8 : (m + 0x108) << Math.max(0, seg - 1);
      linear = a & 0x80 ? m : -m;
    }
    t[code] = linear / 32768;
  }
  G711[law] = t;
  return t;
}

/** Decodes all samples, interleaved, to float in [-1, 1]. */
function decodeInterleaved(bytes: Uint8Array, layout: WavLayout): Float32Array {
  const { info, bytesPerSample, encoding } = layout;
  const float = encoding === "float";
  const count = info.frames * info.channels;
  const at = bytes.byteOffset + layout.dataOffset;
  const aligned = LITTLE_ENDIAN && at % bytesPerSample === 0;
  const out = new Float32Array(count);
  if (float && bytesPerSample === 4) {
    if (aligned) out.set(new Float32Array(bytes.buffer, at, count));
    else {
      const v = new DataView(bytes.buffer, at, count * 4);
      for (let i = 0; i < count; i++) out[i] = v.getFloat32(i * 4, true);
    }
  } else if (float) {
    if (aligned) out.set(new Float64Array(bytes.buffer, at, count));
    else {
      const v = new DataView(bytes.buffer, at, count * 8);
      for (let i = 0; i < count; i++) out[i] = v.getFloat64(i * 8, true);
    }
  } else if (bytesPerSample === 2) {
    const s = 1 / 32768;
    if (aligned) {
      const src = new Int16Array(bytes.buffer, at, count);
      for (let i = 0; i < count; i++) out[i] = src[i] * s;
    } else {
      const v = new DataView(bytes.buffer, at, count * 2);
      for (let i = 0; i < count; i++) out[i] = v.getInt16(i * 2, true) * s;
    }
  } else if (bytesPerSample === 1) {
    const src = bytes.subarray(layout.dataOffset, layout.dataOffset + count);
    if (encoding === "pcm") {
      for (let i = 0; i < count; i++) out[i] = (src[i] - 128) / 128;
    } else {
      const table = g711Table(encoding);
      for (let i = 0; i < count; i++) out[i] = table[src[i]];
    }
  } else if (bytesPerSample === 3) {
    const s = 1 / 8388608;
    const src = bytes.subarray(
      layout.dataOffset,
      layout.dataOffset + count * 3,
    );
    for (let i = 0, j = 0; i < count; i++, j += 3) {
      out[i] = ((src[j] | src[j + 1] << 8 | src[j + 2] << 16) << 8 >> 8) * s;
    }
  } else {
    const s = 1 / 2147483648;
    if (aligned) {
      const src = new Int32Array(bytes.buffer, at, count);
      for (let i = 0; i < count; i++) out[i] = src[i] * s;
    } else {
      const v = new DataView(bytes.buffer, at, count * 4);
      for (let i = 0; i < count; i++) out[i] = v.getInt32(i * 4, true) * s;
    }
  }
  return out;
}

/** Float WAVs can hold NaN/±Inf (or float64 beyond float32's range). */
function assertFinite(data: Float32Array, channels: number, path: string) {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new AudioError(
        path,
        `non-finite sample (${data[i]}) at frame ${
          Math.floor(i / channels)
        }, channel ${i % channels}`,
      );
    }
  }
}

function deinterleave(data: Float32Array, channels: number): Float32Array[] {
  if (channels === 1) return [data];
  const frames = data.length / channels;
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const ch = new Float32Array(frames);
    for (let i = 0, j = c; i < frames; i++, j += channels) ch[i] = data[j];
    out.push(ch);
  }
  return out;
}

/** Pure WAV decoder (sync, fast path used by batch feature extraction). */
export function decodeWav(
  bytes: Uint8Array,
  path: string,
): { channelData: Float32Array[]; sampleRate: number; info: AudioInfo } {
  const layout = readWavLayout(bufferSource(bytes), path);
  const data = decodeInterleaved(bytes, layout);
  if (layout.encoding === "float") {
    assertFinite(data, layout.info.channels, path);
  }
  return {
    channelData: deinterleave(data, layout.info.channels),
    sampleRate: layout.info.sampleRate,
    info: layout.info,
  };
}
