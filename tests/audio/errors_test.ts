import assert from "node:assert/strict";
import * as path from "node:path";
import {
  AudioError,
  checkAudioShape,
  decodeAudioBytes,
  decodeWav,
  encodeWav,
  loadAudio,
  probeAudio,
} from "../../lib/audio/mod.ts";
import { createRng } from "../../lib/random.ts";
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
    /^not a RIFF\/WAVE file(: no RIFF header| and not a recognised audio format)$/,
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
  "rate_1hz.wav": [
    // 4 samples would be 4 s at 1 Hz, and 64,000 samples once resampled.
    riff([["fmt ", fmt({ tag: 1, channels: 1, sr: 1, bits: 16 })], [
      "data",
      SOME_PCM,
    ]]),
    /^sample rate 1 Hz is outside 1000–768000 Hz \(fmt chunk\)$/,
  ],
  "rate_2e31.wav": [
    riff([["fmt ", fmt({ tag: 1, channels: 1, sr: 2 ** 31, bits: 16 })], [
      "data",
      SOME_PCM,
    ]]),
    /^sample rate 2147483648 Hz is outside 1000–768000 Hz \(fmt chunk\)$/,
  ],
  "channels_65.wav": [
    riff([["fmt ", fmt({ tag: 1, channels: 65, sr: 8000, bits: 8 })], [
      "data",
      new Uint8Array(130),
    ]]),
    /^65 channels \(fmt chunk\), more than the 64 supported$/,
  ],
  "hour.wav": [
    // 8-bit mono at 1 kHz: 3.6 MB hold just over the hour allowed.
    riff([["fmt ", fmt({ tag: 1, channels: 1, sr: 1000, bits: 8 })], [
      "data",
      new Uint8Array(3_600_200),
    ]]),
    /^3600\.2 s of audio \(fmt chunk\), longer than the 3600 s supported; split the recording$/,
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
        /^not a RIFF\/WAVE file and not a recognised audio format$/,
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

Deno.test("random bytes behind an MPEG sync word are an AudioError naming the file, and the decoder's reports stay off the console", async () => {
  const rng = createRng("mpeg-sync-noise");
  const noise = Uint8Array.from({ length: 20000 }, () => rng.int(0, 256));
  noise.set([0xff, 0xfb, 0x90, 0x64]); // MPEG-1 layer III, 128 kbps, 44.1 kHz
  const printed: unknown[][] = [];
  const { error, warn } = console;
  console.error = console.warn = (...args: unknown[]) => printed.push(args);
  try {
    await assert.rejects(
      decodeAudioBytes(noise, "noise.mp3"),
      (e) =>
        assertAudioError(
          e,
          "noise.mp3",
          /^cannot decode mp3: \d+ decoder errors \(mpg123-decoder: -1 MPG123_ERR\): corrupt data, or not audio$/,
        ),
    );
  } finally {
    console.error = error;
    console.warn = warn;
  }
  assert.deepEqual(printed, []);
  // A real mp3 still decodes, without a report.
  const mp3 = await Deno.readFile(
    path.join(FIXTURES, "tone_440hz_44100_mono.mp3"),
  );
  assert.ok((await decodeAudioBytes(mp3, "tone.mp3")).samples.length > 0);
});

Deno.test("bad options are RangeErrors, not silent", async () => {
  const wav = encodeWav(new Float32Array(10), 8000);
  await assert.rejects(decodeAudioBytes(wav, "a.wav", { sr: 0 }), RangeError);
  await assert.rejects(
    decodeAudioBytes(wav, "a.wav", { sr: 22050.5 }),
    RangeError,
  );
  await assert.rejects(
    decodeAudioBytes(wav, "a.wav", { sr: 2 ** 31 }),
    /^RangeError: sr: sample rate 2147483648 Hz is outside 1000–768000 Hz \(or null: native rate\)$/,
  );
});

Deno.test("the sample bound: an hour of 48 kHz stereo, counted over all channels", () => {
  const shape = { sampleRate: 48000, channels: 2, frames: 3600 * 48000 };
  checkAudioShape("ok.wav", shape, "fmt chunk");
  assert.throws(
    () => checkAudioShape("wide.wav", { ...shape, channels: 3 }, "fmt chunk"),
    (e) =>
      assertAudioError(
        e,
        "wide.wav",
        /^172800000 frames × 3 channels \(fmt chunk\) is more than the 345600000 samples supported \(an hour of 48 kHz stereo\); resample, mix down or split it$/,
      ),
  );
});

/** The fixture FLAC with its STREAMINFO sample rate or total frames patched. */
async function patchedFlac(
  patch: { sampleRate?: number; totalFrames?: number },
): Promise<Uint8Array> {
  const b = await Deno.readFile(
    path.join(FIXTURES, "tone_660hz_22050_stereo.flac"),
  );
  const info = 8; // "fLaC" + the metadata block header
  if (patch.sampleRate !== undefined) {
    const r = patch.sampleRate;
    b[info + 10] = (r >> 12) & 0xff;
    b[info + 11] = (r >> 4) & 0xff;
    b[info + 12] = (b[info + 12] & 0x0f) | ((r & 0x0f) << 4);
  }
  if (patch.totalFrames !== undefined) {
    const t = patch.totalFrames;
    b[info + 13] = (b[info + 13] & 0xf0) | Math.floor(t / 2 ** 32);
    new DataView(b.buffer).setUint32(info + 14, t % 2 ** 32);
  }
  return b;
}

Deno.test("FLAC STREAMINFO is held to the bounds before decoding", async () => {
  for (
    const [patch, reason] of [
      [
        { sampleRate: 500 },
        /^sample rate 500 Hz is outside 1000–768000 Hz \(flac STREAMINFO\)$/,
      ],
      [
        { totalFrames: 2 ** 35 },
        /^1558264\.8 s of audio \(flac STREAMINFO\), longer than the 3600 s supported; split the recording$/,
      ],
    ] as const
  ) {
    await assert.rejects(
      decodeAudioBytes(await patchedFlac(patch), "big.flac"),
      (e) => assertAudioError(e, "big.flac", reason),
    );
  }
});

Deno.test("folders, devices and FIFOs are never read as audio", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fifo = path.join(dir, "pipe.wav");
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert.equal(made.code, 0);
    for (
      const [file, kind] of [
        [dir, "a folder"],
        ["/dev/null", "a device, FIFO or socket"],
        [fifo, "a device, FIFO or socket"],
      ]
    ) {
      const reason = new RegExp(`^not a regular file \\(${kind}\\)$`);
      await assert.rejects(
        loadAudio(file),
        (e) => assertAudioError(e, file, reason),
      );
      await assert.rejects(
        probeAudio(file),
        (e) => assertAudioError(e, file, reason),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
