import assert from "node:assert/strict";
import * as path from "node:path";
import {
  AudioError,
  decodeAudioBytes,
  decodeWav,
  encodeWav,
  loadAudio,
  probeAudio,
} from "../../lib/audio/mod.ts";
import { ascii, fmt, pcm16, riff, u32 } from "./wav_builder.ts";

const FIXTURES = path.join(import.meta.dirname!, "..", "fixtures", "audio");

/** Asserts `err` is an AudioError for `file` whose reason matches `reason`. */
function assertAudioError(err: unknown, file: string, reason: RegExp): true {
  assert.ok(err instanceof AudioError, `not an AudioError: ${err}`);
  assert.equal(err.path, file);
  assert.ok(
    err.message.startsWith(`${file}: `),
    `message does not start with the file: ${err.message}`,
  );
  assert.match(err.reason, reason);
  assert.equal(err.message, `${file}: ${err.reason}`);
  return true;
}

const PCM_FMT = fmt({ tag: 1, channels: 1, sr: 16000, bits: 16 });
const SOME_PCM = pcm16([1, 2, 3, 4]);

/** Crafted bad WAV files: name → [bytes, expected reason]. */
const BAD_WAVS: Record<string, [Uint8Array, RegExp]> = {
  "text.wav": [
    ascii("this is not audio at all"),
    // decodeWav is WAV-only; the others also rule out mp3, flac, ogg, …
    /^not a RIFF\/WAVE file(: starts with "this"| and not a recognised audio format \(starts with 74 68 69 73 20 69 73 20\))$/,
  ],
  "tiny.wav": [ascii("RIFF"), /^not a RIFF\/WAVE file: only 4 bytes$/],
  "avi.wav": [
    riff([["LIST", new Uint8Array(4)]], "AVI "),
    /^not a RIFF\/WAVE file: RIFF form type "AVI " is not "WAVE"$/,
  ],
  "rifx.wav": [
    (() => {
      const b = riff([["fmt ", PCM_FMT], ["data", SOME_PCM]]);
      b.set(ascii("RIFX"), 0);
      return b;
    })(),
    /^unsupported WAV variant: big-endian RIFX$/,
  ],
  "truncated.wav": [
    (() => {
      // A data chunk that declares 1000 bytes; only 8 are present.
      const whole = riff([["fmt ", PCM_FMT], ["data", SOME_PCM]]);
      whole.set(u32(1000), whole.length - 8 - 4);
      return whole;
    })(),
    /^truncated data chunk: header declares 1000 bytes of audio but the file ends after 8$/,
  ],
  "no_fmt.wav": [riff([["data", SOME_PCM]]), /^missing fmt chunk$/],
  "no_data.wav": [
    riff([["fmt ", PCM_FMT], ["LIST", new Uint8Array(10)]]),
    /^missing data chunk$/,
  ],
  "overrun.wav": [
    (() => {
      const b = riff([["fmt ", PCM_FMT], ["junk", new Uint8Array(6)]]);
      b.set(u32(99999), b.length - 6 - 4);
      return b;
    })(),
    /^missing data chunk \(chunk "junk" at byte 36 declares 99999 bytes, past the end of the file\)$/,
  ],
  "short_fmt.wav": [
    riff([["fmt ", new Uint8Array(14)], ["data", SOME_PCM]]),
    /^fmt chunk too short: 14 bytes \(at least 16 expected\)$/,
  ],
  "adpcm.wav": [
    riff([
      [
        "fmt ",
        fmt({ tag: 0x11, channels: 1, sr: 8000, bits: 4, blockAlign: 256 }),
      ],
      ["data", new Uint8Array(256)],
    ]),
    /^unsupported WAV codec: format tag 0x0011 \(IMA ADPCM\)$/,
  ],
  "gsm.wav": [
    riff([[
      "fmt ",
      fmt({ tag: 0x31, channels: 1, sr: 8000, bits: 0, blockAlign: 65 }),
    ], [
      "data",
      new Uint8Array(65),
    ]]),
    /^unsupported WAV codec: format tag 0x0031 \(GSM 6.10\)$/,
  ],
  "mulaw16.wav": [
    riff([["fmt ", fmt({ tag: 7, channels: 1, sr: 8000, bits: 16 })], [
      "data",
      SOME_PCM,
    ]]),
    /^unsupported WAV codec: 16-bit G.711 µ-law \(8 supported\)$/,
  ],
  "unknown_tag.wav": [
    riff([["fmt ", fmt({ tag: 0x1234, channels: 1, sr: 8000, bits: 16 })], [
      "data",
      SOME_PCM,
    ]]),
    /^unsupported WAV codec: format tag 0x1234$/,
  ],
  "ext_adpcm.wav": [
    riff([
      [
        "fmt ",
        fmt({
          tag: 0,
          channels: 1,
          sr: 8000,
          bits: 4,
          blockAlign: 256,
          extensible: { subTag: 2 },
        }),
      ],
      ["data", new Uint8Array(256)],
    ]),
    /^unsupported WAV codec: format tag 0x0002 \(Microsoft ADPCM\)$/,
  ],
  "ext_guid.wav": [
    riff([
      [
        "fmt ",
        fmt({
          tag: 0,
          channels: 1,
          sr: 8000,
          bits: 16,
          extensible: { subTag: 1, guidTail: new Array(14).fill(0xab) },
        }),
      ],
      ["data", SOME_PCM],
    ]),
    /^unsupported WAV codec: WAVE_FORMAT_EXTENSIBLE sub-format GUID 0100abababababababababababababab$/,
  ],
  "float24.wav": [
    riff([["fmt ", fmt({ tag: 3, channels: 1, sr: 8000, bits: 24 })], [
      "data",
      SOME_PCM,
    ]]),
    /^unsupported WAV codec: 24-bit IEEE float \(32 or 64 supported\)$/,
  ],
  "pcm40.wav": [
    riff([["fmt ", fmt({ tag: 1, channels: 1, sr: 8000, bits: 40 })], [
      "data",
      SOME_PCM,
    ]]),
    /^unsupported WAV codec: 40-bit PCM \(1–32 bits supported\)$/,
  ],
  "zero_channels.wav": [
    riff([[
      "fmt ",
      fmt({ tag: 1, channels: 0, sr: 8000, bits: 16, blockAlign: 2 }),
    ], ["data", SOME_PCM]]),
    /^zero channels in fmt chunk$/,
  ],
  "zero_rate.wav": [
    riff([["fmt ", fmt({ tag: 1, channels: 1, sr: 0, bits: 16 })], [
      "data",
      SOME_PCM,
    ]]),
    /^zero sample rate in fmt chunk$/,
  ],
  "empty.wav": [
    riff([["fmt ", PCM_FMT], ["data", new Uint8Array(0)]]),
    /^empty audio: the data chunk holds 0 frames \(0 bytes\)$/,
  ],
  "half_frame.wav": [
    riff([["fmt ", fmt({ tag: 1, channels: 2, sr: 8000, bits: 16 })], [
      "data",
      new Uint8Array(2),
    ]]),
    /^empty audio: the data chunk holds 0 frames \(2 bytes\)$/,
  ],
};

for (const [name, [bytes, reason]] of Object.entries(BAD_WAVS)) {
  Deno.test(`bad WAV ${name}: decodeWav, decodeAudioBytes, loadAudio and probeAudio name file and reason`, async () => {
    assert.throws(
      () => decodeWav(bytes, name),
      (e) => assertAudioError(e, name, reason),
    );
    await assert.rejects(
      decodeAudioBytes(bytes, name),
      (e) => assertAudioError(e, name, reason),
    );
    const dir = await Deno.makeTempDir();
    try {
      const file = path.join(dir, name);
      await Deno.writeFile(file, bytes);
      await assert.rejects(
        loadAudio(file),
        (e) => assertAudioError(e, file, reason),
      );
      await assert.rejects(
        probeAudio(file),
        (e) => assertAudioError(e, file, reason),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("non-finite float samples are AudioErrors (probeAudio reads headers only)", async () => {
  const nan = encodeWav(
    [new Float32Array([0, 0.5]), new Float32Array([0.25, NaN])],
    8000,
    { format: "float" },
  );
  const huge = encodeWav(new Float32Array(2), 8000, {
    format: "float",
    bitDepth: 64,
  });
  new DataView(huge.buffer).setFloat64(huge.length - 8, 1e300, true);
  for (
    const [name, bytes, reason] of [
      ["nan.wav", nan, /^non-finite sample \(NaN\) at frame 1, channel 1$/],
      [
        "huge.wav",
        huge,
        /^non-finite sample \(Infinity\) at frame 1, channel 0$/,
      ],
    ] as const
  ) {
    assert.throws(
      () => decodeWav(bytes, name),
      (e) => assertAudioError(e, name, reason),
    );
    await assert.rejects(
      decodeAudioBytes(bytes, name),
      (e) => assertAudioError(e, name, reason),
    );
  }
});

Deno.test("a missing file is an AudioError naming it", async () => {
  const file = path.join(await Deno.makeTempDir(), "nope.wav");
  await assert.rejects(
    loadAudio(file),
    (e) => assertAudioError(e, file, /^cannot read file: .*No such file/),
  );
  await assert.rejects(
    probeAudio(file),
    (e) => assertAudioError(e, file, /^cannot read file: .*No such file/),
  );
});

Deno.test("unrecognised bytes and empty files are AudioErrors naming the file", async () => {
  await assert.rejects(
    decodeAudioBytes(ascii("<html>oops</html>"), "page.mp3"),
    (e) =>
      assertAudioError(
        e,
        "page.mp3",
        /^not a RIFF\/WAVE file and not a recognised audio format \(starts with 3c 68 74 6d 6c 3e 6f 6f\)$/,
      ),
  );
  await assert.rejects(
    decodeAudioBytes(new Uint8Array(0), "zero.flac"),
    (e) => assertAudioError(e, "zero.flac", /^empty file \(0 bytes\)$/),
  );
});

Deno.test("corrupt and truncated mp3/flac/ogg are AudioErrors naming the file", async () => {
  const flac = await Deno.readFile(
    path.join(FIXTURES, "tone_660hz_22050_stereo.flac"),
  );
  const mp3 = await Deno.readFile(
    path.join(FIXTURES, "tone_440hz_44100_mono.mp3"),
  );
  const ogg = await Deno.readFile(
    path.join(FIXTURES, "tone_330hz_16000_mono.ogg"),
  );
  await assert.rejects(
    decodeAudioBytes(flac.slice(0, flac.length - 100), "cut.flac"),
    (e) =>
      assertAudioError(
        e,
        "cut.flac",
        /^truncated flac stream: STREAMINFO declares 11025 frames but only 8192 decode$/,
      ),
  );
  const garbage = flac.slice();
  garbage.fill(0x5a, 42);
  for (
    const [name, bytes] of [
      ["garbage.flac", garbage],
      ["stub.mp3", mp3.slice(0, 100)],
      ["stub.ogg", ogg.slice(0, 80)],
    ] as const
  ) {
    await assert.rejects(
      decodeAudioBytes(bytes, name),
      (e) =>
        assertAudioError(
          e,
          name,
          /^empty audio: no frames decoded from the (flac|mp3|ogg) data \(empty, corrupt or truncated stream\)$/,
        ),
    );
  }
});

Deno.test("bad options are RangeErrors, not silent", async () => {
  const wav = encodeWav(new Float32Array(10), 8000);
  await assert.rejects(decodeAudioBytes(wav, "a.wav", { sr: 0 }), RangeError);
  await assert.rejects(
    decodeAudioBytes(wav, "a.wav", { sr: 22050.5 }),
    RangeError,
  );
});
