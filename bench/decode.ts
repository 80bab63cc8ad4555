/**
 * `deno task bench decode [--repeat N] [--dir DIR]` — decoding speed on the
 * real RAVDESS clips: the own synchronous WAV reader (`decodeWav`) against
 * the `audio-decode` package on the same bytes, plus the 48→16 kHz resampler
 * and the whole `decodeAudioBytes` path (decode + mono + resample).
 *
 * Files are read into memory first, so the figures are decoding only. Each
 * clip is processed `--repeat` times per variant and its fastest run counted
 * (the machine may be shared); wall_s is the sum over clips. Prints one line
 * per variant:
 * `decode_bench <name> files=<n> audio_s=<s> wall_s=<s> realtime=<x>`.
 *
 * @module
 */
import decode from "audio-decode";
import {
  decodeAudioBytes,
  decodeWav,
  mixToMono,
  resample,
} from "../lib/audio/mod.ts";
import { createCommand, parsePositiveInt } from "../lib/cli/common.ts";
import { SHARED_RAVDESS_DIR, walkFiles } from "../lib/paths.ts";

interface Clip {
  path: string;
  bytes: Uint8Array;
  mono: Float32Array;
}

/**
 * Seconds for `work` over all clips, each clip timed `repeat` times and its
 * fastest run kept: short per-clip windows make the figure robust to other
 * processes sharing the machine.
 */
async function bestPerClip(
  clips: Clip[],
  repeat: number,
  work: (c: Clip) => unknown,
): Promise<number> {
  let total = 0;
  for (const c of clips) {
    let best = Infinity;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      await work(c);
      best = Math.min(best, performance.now() - t0);
    }
    total += best;
  }
  return total / 1000;
}

function line(name: string, files: number, audioS: number, wallS: number) {
  console.log(
    `decode_bench ${name} files=${files} audio_s=${audioS.toFixed(1)} wall_s=${
      wallS.toFixed(4)
    } realtime=${(audioS / wallS).toFixed(0)}`,
  );
}

/** Runs the benchmark; see the module doc. */
export async function run(args: string[]): Promise<void> {
  const program = createCommand("bench decode", "Audio decoding speed")
    .option(
      "--repeat <n>",
      "runs per clip and variant (fastest is kept)",
      parsePositiveInt,
      5,
    )
    .option("--dir <dir>", "folder of WAV files", SHARED_RAVDESS_DIR);
  program.parse(args, { from: "user" });
  const { repeat, dir } = program.opts<{ repeat: number; dir: string }>();

  const paths = walkFiles(dir, [".wav"]);
  if (paths.length === 0) throw new Error(`${dir}: no .wav files`);
  const clips: Clip[] = [];
  let audioS = 0;
  let sr = 0;
  for (const p of paths) {
    const bytes = await Deno.readFile(p);
    const d = decodeWav(bytes, p);
    audioS += d.info.durationS;
    sr = d.sampleRate;
    clips.push({ path: p, bytes, mono: mixToMono(d.channelData) });
  }
  const n = clips.length;

  // Both decoders must agree before their speed means anything.
  let maxDiff = 0;
  for (const c of clips) {
    const ours = decodeWav(c.bytes, c.path).channelData;
    const theirs = (await decode(c.bytes)).channelData;
    if (theirs.length !== ours.length) {
      throw new Error(
        `${c.path}: audio-decode gives ${theirs.length} channels`,
      );
    }
    for (let k = 0; k < ours.length; k++) {
      for (let i = 0; i < ours[k].length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(ours[k][i] - theirs[k][i]));
      }
    }
  }
  console.log(`decode_bench_check own_vs_audio_decode max_abs_diff=${maxDiff}`);

  const variants: [string, (c: Clip) => unknown][] = [
    ["own_wav", (c) => decodeWav(c.bytes, c.path)],
    ["audio_decode_wav", (c) => decode(c.bytes)],
    [`resample_${sr}_to_16000`, (c) => resample(c.mono, sr, 16000)],
    ["decodeAudioBytes_mono_16k", (c) => decodeAudioBytes(c.bytes, c.path)],
  ];
  for (const [name, work] of variants) {
    await bestPerClip(clips.slice(0, 10), 3, work); // warm-up (JIT, wasm)
    line(name, n, audioS, await bestPerClip(clips, repeat, work));
  }
}
