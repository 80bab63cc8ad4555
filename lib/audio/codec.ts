/**
 * Whole-file decoding through the pinned `audio-decode` codecs (mp3, flac,
 * ogg, …), with what the codecs report made an error. Their WASM decoders
 * print frame errors to the console (`mpg123-decoder: -1 MPG123_ERR`, naming
 * no file) and return whatever they salvaged, so random bytes behind an MPEG
 * sync word "decoded" to a fraction of a second of noise. Here the console
 * stays quiet and a decode that reports any error throws; real files,
 * truncated ones included, decode without a report.
 *
 * @module
 */
import decode from "audio-decode";
import audioType from "audio-type";

/** Decoded channels at the stream's rate. */
export interface CodecAudio {
  /** One array per channel (empty when nothing decoded). */
  channelData: Float32Array[];
  /** Sample rate in Hz (0 when nothing decoded). */
  sampleRate: number;
}

type StreamDecoder = ((chunk?: Uint8Array) => Promise<CodecAudio>) & {
  free(): void;
};

/**
 * Runs `fn` with `console.error` and `console.warn` collecting into
 * `messages`. Only the synchronous part of `fn` is covered: the codecs
 * decode synchronously inside the call, so nothing else is caught.
 */
function quietly<T>(messages: string[], fn: () => T): T {
  const { error, warn } = console;
  console.error = console.warn = (...args: unknown[]) => {
    messages.push(args.map(String).join(" "));
  };
  try {
    return fn();
  } finally {
    console.error = error;
    console.warn = warn;
  }
}

/** The decoded parts end to end (a flush may add samples). */
function concat(parts: CodecAudio[]): CodecAudio {
  const full = parts.filter((p) => p.channelData.length > 0);
  if (full.length <= 1) return full[0] ?? { channelData: [], sampleRate: 0 };
  const channels = Math.max(...full.map((p) => p.channelData.length));
  const channelData = Array.from({ length: channels }, (_, c) => {
    const pieces = full.map((p) => p.channelData[c % p.channelData.length]);
    const out = new Float32Array(pieces.reduce((n, x) => n + x.length, 0));
    let at = 0;
    for (const x of pieces) {
      out.set(x, at);
      at += x.length;
    }
    return out;
  });
  return { channelData, sampleRate: full[0].sampleRate };
}

/**
 * Decodes a whole file's bytes with the codec its magic bytes name. Throws
 * `Unknown audio format` when none does, and an error counting the codec's
 * reports (`3 decoder errors (mpg123-decoder: -1 MPG123_ERR): corrupt data, or
 * not audio`) when it
 * reported any, instead of returning what it salvaged.
 */
export async function decodeWithCodec(bytes: Uint8Array): Promise<CodecAudio> {
  const type: string | undefined = audioType(bytes);
  if (!type) throw new Error("Unknown audio format");
  const make = (decode as unknown as Record<string, unknown>)[type];
  if (typeof make !== "function") throw new Error(`no decoder for ${type}`);
  const dec: StreamDecoder = await make();
  const messages: string[] = [];
  const parts: CodecAudio[] = [];
  try {
    parts.push(await quietly(messages, () => dec(bytes)));
    parts.push(await quietly(messages, () => dec()));
  } finally {
    dec.free(); // a no-op once flushed
  }
  if (messages.length > 0) {
    const distinct = [...new Set(messages)].slice(0, 3).join("; ");
    const errors = `decoder error${messages.length > 1 ? "s" : ""}`;
    throw new Error(
      `${messages.length} ${errors} (${distinct}): corrupt data, or not audio`,
    );
  }
  return concat(parts);
}
