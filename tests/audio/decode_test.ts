import assert from "node:assert/strict";
import * as path from "node:path";
import {
  decodeAudioBytes,
  encodeWav,
  loadAudio,
  probeAudio,
  sniffContainer,
} from "../../lib/audio/mod.ts";
import { estimateFreq, sine } from "./tone.ts";

const FIXTURES = path.join(import.meta.dirname!, "..", "fixtures", "audio");

/** The committed fixtures (see tests/fixtures/audio/generate.ts): 0.5 s tones. */
const COMPRESSED = [
  {
    file: "tone_440hz_44100_mono.mp3",
    container: "mp3",
    codec: "mp3",
    sr: 44100,
    channels: 1,
    freq: 440,
  },
  {
    file: "tone_660hz_22050_stereo.flac",
    container: "flac",
    codec: "flac",
    sr: 22050,
    channels: 2,
    freq: 660,
  },
  {
    file: "tone_330hz_16000_mono.ogg",
    container: "ogg",
    codec: "vorbis",
    sr: 16000,
    channels: 1,
    freq: 330,
  },
  {
    file: "tone_550hz_48000_mono.opus",
    container: "ogg",
    codec: "opus",
    sr: 48000,
    channels: 1,
    freq: 550,
  },
];

for (const f of COMPRESSED) {
  Deno.test(`decodes ${f.file}: rate, channels, duration and pitch`, async () => {
    const file = path.join(FIXTURES, f.file);
    const native = await loadAudio(file, { sr: null, mono: false });
    assert.deepEqual(native.info, {
      path: file,
      container: f.container,
      codec: f.codec,
      sampleRate: f.sr,
      channels: f.channels,
      frames: f.sr / 2,
      durationS: 0.5,
    });
    assert.equal(native.sr, f.sr);
    assert.equal(native.channelData!.length, f.channels);
    const mid = [Math.floor(f.sr * 0.1), Math.floor(f.sr * 0.4)] as const;
    for (const ch of native.channelData!) {
      const pitch = estimateFreq(ch, f.sr, ...mid);
      assert.ok(Math.abs(pitch - f.freq) < f.freq * 0.002, `${pitch} Hz`);
    }
    // Default: mono at 16 kHz, the same tone.
    const analysis = await loadAudio(file);
    assert.equal(analysis.sr, 16000);
    assert.equal(analysis.channelData, undefined);
    assert.equal(analysis.samples.length, 8000);
    const pitch16 = estimateFreq(analysis.samples, 16000, 1600, 6400);
    assert.ok(Math.abs(pitch16 - f.freq) < f.freq * 0.002, `${pitch16} Hz`);
    // probeAudio agrees (it decodes formats without a fixed header).
    assert.deepEqual(await probeAudio(file), native.info);
  });
}

Deno.test("the container comes from the magic bytes, not the extension", async () => {
  const mp3 = await Deno.readFile(path.join(FIXTURES, COMPRESSED[0].file));
  const named = await decodeAudioBytes(mp3, "misnamed.wav", { sr: null });
  assert.equal(named.info.container, "mp3");
  assert.equal(named.info.path, "misnamed.wav");
  const wav = encodeWav(sine(440, 8000, 800), 8000);
  assert.equal(
    (await decodeAudioBytes(wav, "misnamed.mp3")).info.container,
    "wav",
  );
  for (
    const [bytes, container] of [
      [mp3, "mp3"],
      [new Uint8Array([0xff, 0xf1, 0x50, 0x80]), "aac"],
      [Uint8Array.from("OggS\0\x02", (c) => c.charCodeAt(0)), "ogg"],
      [Uint8Array.from("RIFF\0\0\0\0AVI ", (c) => c.charCodeAt(0)), "riff"],
      [Uint8Array.from("\0\0\0\x20ftypM4A ", (c) => c.charCodeAt(0)), "mp4"],
    ] as const
  ) assert.equal(sniffContainer(bytes).container, container);
});

Deno.test("WAV through decodeAudioBytes: mono mix, native rate, per-channel output", async () => {
  const left = sine(300, 24000, 2400, 0.6);
  const right = sine(300, 24000, 2400, 0.2);
  const bytes = encodeWav([left, right], 24000, { format: "float" });
  const native = await decodeAudioBytes(bytes, "st.wav", { sr: null });
  assert.equal(native.sr, 24000);
  assert.deepEqual(
    native.samples,
    Float32Array.from(left, (l, i) => (l + right[i]) / 2),
  );
  const perChannel = await decodeAudioBytes(bytes, "st.wav", {
    sr: 8000,
    mono: false,
  });
  assert.equal(perChannel.sr, 8000);
  assert.equal(perChannel.channelData!.length, 2);
  assert.equal(perChannel.channelData![0].length, 800);
  // The mono output is the average of the resampled channels.
  for (const i of [100, 400, 700]) {
    assert.ok(
      Math.abs(
        perChannel.samples[i] -
          (perChannel.channelData![0][i] + perChannel.channelData![1][i]) / 2,
      ) < 1e-7,
    );
  }
  assert.ok(
    Math.abs(estimateFreq(perChannel.channelData![1], 8000, 80, 720) - 300) <
      0.3,
  );
});

Deno.test("probeAudio reads WAV facts from the header (no decode)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = path.join(dir, "p.wav");
    await Deno.writeFile(
      file,
      encodeWav([new Float32Array(4410), new Float32Array(4410)], 44100, {
        bitDepth: 24,
      }),
    );
    assert.deepEqual(await probeAudio(file), {
      path: file,
      container: "wav",
      codec: "pcm24",
      sampleRate: 44100,
      channels: 2,
      frames: 4410,
      durationS: 0.1,
    });
    // A 1-hour header over a sparse file: only the header is read.
    const big = path.join(dir, "big.wav");
    const frames = 3600 * 16000;
    const header = encodeWav(new Float32Array(0), 16000).slice(0, 44);
    new DataView(header.buffer).setUint32(40, frames * 2, true);
    new DataView(header.buffer).setUint32(4, 36 + frames * 2, true);
    await Deno.writeFile(big, header);
    await Deno.truncate(big, 44 + frames * 2);
    const info = await probeAudio(big);
    assert.equal(info.frames, frames);
    assert.equal(info.durationS, 3600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
