/**
 * Decoding any audio file to mono (or per-channel) float samples at the
 * analysis rate. WAV goes through the own synchronous reader (`wav.ts`, the
 * faster of the two: see `deno task bench decode`); mp3, flac, ogg and the
 * rest through the pinned `audio-decode` package. The container is detected
 * from the magic bytes, never from the extension.
 *
 * @module
 */
import { MAX_AUDIO_FILE_BYTES } from "../limits.ts";
import { checkAudioShape, sampleRateProblem } from "./bounds.ts";
import { decodeWithCodec } from "./codec.ts";
import { AudioError } from "./errors.ts";
import { readFlacStreamInfo } from "./flac.ts";
import { mixToMono } from "./mix.ts";
import { resample } from "./resample.ts";
import { sniffContainer } from "./sniff.ts";
import { withFileSource } from "./source.ts";
import type { AudioInfo, LoadedAudio, LoadOptions } from "./types.ts";
import { decodeWav, readWavLayout } from "./wav.ts";

/** Default analysis sample rate of {@linkcode loadAudio}. */
export const DEFAULT_SR = 16000;

/** Decoded channels at the native rate, before mixing and resampling. */
interface Decoded {
  channelData: Float32Array[];
  info: AudioInfo;
}

async function decodeOther(bytes: Uint8Array, path: string): Promise<Decoded> {
  const sniffed = sniffContainer(bytes);
  if (bytes.length === 0) throw new AudioError(path, "empty file (0 bytes)");
  const streamInfo = readFlacStreamInfo(bytes);
  if (streamInfo) {
    checkAudioShape(path, {
      sampleRate: streamInfo.sampleRate,
      channels: streamInfo.channels,
      frames: streamInfo.totalFrames,
    }, "flac STREAMINFO");
  }
  let result: { channelData: Float32Array[]; sampleRate: number };
  try {
    result = await decodeWithCodec(bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new AudioError(
      path,
      // Never the bytes themselves: a manifest may point at any file.
      sniffed.container === "unknown" || /unknown audio format/i.test(msg)
        ? "not a RIFF/WAVE file and not a recognised audio format"
        : `cannot decode ${sniffed.container}: ${msg}`,
      { cause: err },
    );
  }
  const channels = result.channelData.length;
  const sampleRate = result.sampleRate;
  const frames = channels > 0 ? result.channelData[0].length : 0;
  if (channels === 0 || frames === 0) {
    throw new AudioError(
      path,
      `empty audio: no frames decoded from the ${sniffed.container} data (empty, corrupt or truncated stream)`,
    );
  }
  const declared = streamInfo?.totalFrames ?? 0;
  if (frames < declared) {
    throw new AudioError(
      path,
      `truncated flac stream: STREAMINFO declares ${declared} frames but only ${frames} decode`,
    );
  }
  if (!(sampleRate > 0)) {
    throw new AudioError(
      path,
      `zero sample rate in ${sniffed.container} stream`,
    );
  }
  checkAudioShape(
    path,
    { sampleRate, channels, frames },
    `decoded ${sniffed.container}`,
  );
  return {
    channelData: result.channelData,
    info: {
      path,
      container: sniffed.container,
      codec: sniffed.codec || sniffed.container,
      sampleRate,
      channels,
      frames,
      durationS: frames / sampleRate,
    },
  };
}

/** RIFF family: WAVE goes to the WAV reader, which also names what else it is. */
function isRiff(bytes: Uint8Array): boolean {
  const c = sniffContainer(bytes).container;
  return c === "wav" || c === "riff";
}

async function decodeNative(bytes: Uint8Array, path: string): Promise<Decoded> {
  if (isRiff(bytes)) {
    const { channelData, info } = decodeWav(bytes, path);
    return { channelData, info };
  }
  return await decodeOther(bytes, path);
}

function targetRate(sr: number | null | undefined): number | null {
  if (sr === undefined) return DEFAULT_SR;
  if (sr === null) return null;
  const problem = sampleRateProblem(sr);
  if (problem) throw new RangeError(`sr: ${problem} (or null: native rate)`);
  return sr;
}

/**
 * Decodes the bytes of an audio file (WAV, mp3, flac, ogg, …), mixes to mono
 * (unless `mono: false`) and resamples to `sr` (default 16000; `null` keeps
 * the native rate). `path` names the source in errors ({@linkcode AudioError}).
 */
export async function decodeAudioBytes(
  bytes: Uint8Array,
  path: string,
  options: LoadOptions = {},
): Promise<LoadedAudio> {
  const sr = targetRate(options.sr);
  const { channelData, info } = await decodeNative(bytes, path);
  const outSr = sr ?? info.sampleRate;
  const convert = (x: Float32Array) =>
    outSr === info.sampleRate ? x : resample(x, info.sampleRate, outSr);
  if (options.mono === false) {
    const converted = channelData.map(convert);
    return {
      samples: mixToMono(converted),
      sr: outSr,
      info,
      channelData: converted,
    };
  }
  return { samples: convert(mixToMono(channelData)), sr: outSr, info };
}

function cannotRead(path: string, err: unknown): AudioError {
  return new AudioError(
    path,
    `cannot read file: ${err instanceof Error ? err.message : err}`,
    { cause: err },
  );
}

/**
 * Throws an {@linkcode AudioError} unless `stat` (of `path`) is a regular
 * file of at most {@linkcode MAX_AUDIO_FILE_BYTES}.
 */
function checkAudioStat(path: string, stat: Deno.FileInfo): void {
  if (!stat.isFile) {
    const kind = stat.isDirectory ? "a folder" : "a device, FIFO or socket";
    throw new AudioError(path, `not a regular file (${kind})`);
  }
  if (stat.size > MAX_AUDIO_FILE_BYTES) {
    throw new AudioError(
      path,
      `${stat.size} bytes, larger than the ${MAX_AUDIO_FILE_BYTES} bytes supported`,
    );
  }
}

/**
 * Throws an {@linkcode AudioError} unless `path` is a regular file (links
 * followed) of at most {@linkcode MAX_AUDIO_FILE_BYTES}: a folder, device,
 * FIFO or socket is never opened (reading `/dev/zero` never ends, opening a
 * FIFO blocks).
 */
function checkAudioFile(path: string): void {
  let stat: Deno.FileInfo;
  try {
    stat = Deno.statSync(path);
  } catch (err) {
    throw cannotRead(path, err);
  }
  checkAudioStat(path, stat);
}

/**
 * The bytes of the audio file at `path`, after checking that it is a
 * regular file within the size bound; errors are {@linkcode AudioError}s
 * naming it. At most the size the open file reports is read: a file that
 * grows meanwhile, or a kernel file reporting 0 bytes with endless content
 * behind it (`/proc/self/pagemap`), is never read without bound.
 */
export async function readAudioFile(path: string): Promise<Uint8Array> {
  checkAudioFile(path);
  try {
    using file = await Deno.open(path, { read: true });
    const stat = await file.stat();
    checkAudioStat(path, stat); // it may have been replaced since
    const bytes = new Uint8Array(stat.size);
    let got = 0;
    while (got < bytes.length) {
      const n = await file.read(bytes.subarray(got));
      if (n === null) break;
      got += n;
    }
    return bytes.subarray(0, got);
  } catch (err) {
    if (err instanceof AudioError) throw err;
    throw cannotRead(path, err);
  }
}

/**
 * Reads and decodes an audio file: mixed to mono (unless `mono: false`),
 * resampled to `sr` (default 16000; `null` = native rate).
 */
export async function loadAudio(
  path: string,
  options: LoadOptions = {},
): Promise<LoadedAudio> {
  return await decodeAudioBytes(await readAudioFile(path), path, options);
}

/**
 * Header facts of an audio file. WAV: read from the chunk headers only (the
 * samples are not read); other formats: the file is decoded.
 */
export async function probeAudio(path: string): Promise<AudioInfo> {
  checkAudioFile(path);
  let wav: AudioInfo | null = null;
  try {
    wav = withFileSource(path, (source) => {
      if (!isRiff(source.read(0, 12))) return null;
      return readWavLayout(source, path).info;
    });
  } catch (err) {
    if (err instanceof AudioError) throw err;
    throw cannotRead(path, err);
  }
  if (wav) return wav;
  return (await decodeOther(await readAudioFile(path), path)).info;
}
