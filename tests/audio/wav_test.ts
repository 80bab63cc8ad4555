import assert from "node:assert/strict";
import { decodeWav, encodeWav, mixToMono } from "../../lib/audio/mod.ts";
import { ascii, concat, fmt, pcm16, riff } from "./wav_builder.ts";

/** A signal that covers the full range, including both clipping edges. */
function probeSignal(n: number, phase: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = Math.sin(0.37 * i + phase) * 0.999;
  }
  x[0] = 1;
  x[1] = -1;
  x[2] = 0;
  return x;
}

const CASES = [
  { format: "pcm", bitDepth: 8, codec: "pcm8" },
  { format: "pcm", bitDepth: 16, codec: "pcm16" },
  { format: "pcm", bitDepth: 24, codec: "pcm24" },
  { format: "pcm", bitDepth: 32, codec: "pcm32" },
  { format: "float", bitDepth: 32, codec: "float32" },
  { format: "float", bitDepth: 64, codec: "float64" },
] as const;

for (const c of CASES) {
  for (const channels of [1, 2, 3]) {
    Deno.test(`encodeWav → decodeWav round trip: ${c.codec}, ${channels} channel(s)`, () => {
      const input = Array.from(
        { length: channels },
        (_, k) => probeSignal(101, k),
      );
      const bytes = encodeWav(channels === 1 ? input[0] : input, 22050, c);
      const out = decodeWav(bytes, "rt.wav");
      assert.equal(out.sampleRate, 22050);
      assert.deepEqual(out.info, {
        path: "rt.wav",
        container: "wav",
        codec: c.codec,
        sampleRate: 22050,
        channels,
        frames: 101,
        durationS: 101 / 22050,
      });
      // Integer PCM: the nearest code (clipped to the code range), within
      // float32 rounding; float: exact.
      const full = 2 ** (c.bitDepth - 1);
      for (let k = 0; k < channels; k++) {
        for (let i = 0; i < 101; i++) {
          const x = input[k][i];
          const expected = c.format === "float"
            ? x
            : Math.min(full - 1, Math.max(-full, Math.round(x * full))) / full;
          assert.ok(
            Math.abs(out.channelData[k][i] - expected) <= 1e-7,
            `${c.codec} ch${k}[${i}]: ${out.channelData[k][i]} vs ${expected}`,
          );
          if (c.format === "pcm" && Math.abs(x) <= (full - 1) / full) {
            assert.ok(Math.abs(out.channelData[k][i] - x) <= 0.5 / full + 1e-7);
          }
        }
      }
      // The exact extremes of each code range.
      if (c.format === "pcm") {
        assert.equal(out.channelData[0][0], Math.fround(1 - 1 / full));
        assert.equal(out.channelData[0][1], -1);
        assert.equal(out.channelData[0][2], 0);
      }
    });
  }
}

Deno.test("encodeWav writes the canonical 44-byte header for 16-bit mono", () => {
  const bytes = encodeWav(new Float32Array([0.5, -0.5, 0]), 16000);
  assert.equal(bytes.length, 44 + 6);
  const v = new DataView(bytes.buffer);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "RIFF");
  assert.equal(v.getUint32(4, true), 42 + 0);
  assert.equal(new TextDecoder().decode(bytes.subarray(8, 16)), "WAVEfmt ");
  assert.equal(v.getUint32(16, true), 16); // fmt size
  assert.equal(v.getUint16(20, true), 1); // PCM
  assert.equal(v.getUint32(24, true), 16000);
  assert.equal(v.getUint32(28, true), 32000); // byte rate
  assert.equal(v.getUint16(32, true), 2); // block align
  assert.equal(new TextDecoder().decode(bytes.subarray(36, 40)), "data");
  assert.equal(v.getUint32(40, true), 6);
  assert.deepEqual([...bytes.subarray(44)], [0x00, 0x40, 0x00, 0xc0, 0, 0]);
});

Deno.test("encodeWav pads an odd data chunk and writes fact for float", () => {
  const pcm8 = encodeWav(new Float32Array([0, 0.5, -0.5]), 8000, {
    bitDepth: 8,
  });
  assert.equal(pcm8.length, 44 + 3 + 1);
  assert.deepEqual([...pcm8.subarray(44)], [128, 192, 64, 0]);
  // NaN is written as silence, not as the most negative 8-bit code.
  const nan = encodeWav(new Float32Array([NaN]), 8000, { bitDepth: 8 });
  assert.equal(nan[44], 128);
  const f = encodeWav(new Float32Array(5), 8000, { format: "float" });
  assert.equal(new TextDecoder().decode(f.subarray(38, 42)), "fact");
  assert.equal(new DataView(f.buffer).getUint32(46, true), 5);
  assert.throws(
    () =>
      encodeWav(new Float32Array(1), 8000, { format: "float", bitDepth: 16 }),
    /float cannot be 16-bit/,
  );
});

Deno.test("decodeWav: any chunk order, unknown and odd-sized chunks skipped", () => {
  const data = new Uint8Array([0, 128, 255]); // 8-bit unsigned, odd size
  const bytes = riff([
    ["LIST", ascii("INFOISFT\x05\x00\x00\x00test\x00")], // odd: padded
    ["data", data],
    ["junk", new Uint8Array(3)],
    ["fmt ", fmt({ tag: 1, channels: 1, sr: 11025, bits: 8 })],
    ["FLLR", new Uint8Array(7)],
  ]);
  const out = decodeWav(bytes, "order.wav");
  assert.equal(out.sampleRate, 11025);
  assert.deepEqual([...out.channelData[0]], [-1, 0, 127 / 128]);
});

Deno.test("decodeWav: RAVDESS-style FLLR chunk between fmt and data", () => {
  const bytes = riff([
    ["fmt ", fmt({ tag: 1, channels: 1, sr: 48000, bits: 16 })],
    ["FLLR", new Uint8Array(4044)],
    ["data", pcm16([0, 16384, -32768, 32767])],
  ]);
  const out = decodeWav(bytes, "fllr.wav");
  assert.deepEqual([...out.channelData[0]], [0, 0.5, -1, 32767 / 32768]);
});

Deno.test("decodeWav: WAVE_FORMAT_EXTENSIBLE PCM (24 valid bits in 32) and float", () => {
  const pcm = new Uint8Array(8);
  const v = new DataView(pcm.buffer);
  v.setInt32(0, 0x400000 << 8, true); // +0.5 left-justified
  v.setInt32(4, -0x800000 << 8, true); // -1
  const a = decodeWav(
    riff([
      [
        "fmt ",
        fmt({
          tag: 0,
          channels: 1,
          sr: 96000,
          bits: 32,
          extensible: { subTag: 1, validBits: 24 },
        }),
      ],
      ["data", pcm],
    ]),
    "ext.wav",
  );
  assert.deepEqual([...a.channelData[0]], [0.5, -1]);
  assert.equal(a.info.codec, "pcm32");
  const fl = new Uint8Array(8);
  new DataView(fl.buffer).setFloat32(0, 0.25, true);
  new DataView(fl.buffer).setFloat32(4, -0.75, true);
  const b = decodeWav(
    riff([
      [
        "fmt ",
        fmt({
          tag: 0,
          channels: 2,
          sr: 8000,
          bits: 32,
          extensible: { subTag: 3 },
        }),
      ],
      ["data", fl],
    ]),
    "extf.wav",
  );
  assert.deepEqual(b.channelData.map((c) => [...c]), [[0.25], [-0.75]]);
  assert.equal(b.info.codec, "float32");
});

Deno.test("decodeWav: 24-bit in 4-byte containers (blockAlign says so)", () => {
  const pcm = new Uint8Array(8);
  const v = new DataView(pcm.buffer);
  v.setInt32(0, 0x200000 << 8, true);
  v.setInt32(4, -0x400000 << 8, true);
  const out = decodeWav(
    riff([
      ["fmt ", fmt({ tag: 1, channels: 1, sr: 8000, bits: 24, blockAlign: 4 })],
      ["data", pcm],
    ]),
    "c4.wav",
  );
  assert.deepEqual([...out.channelData[0]], [0.25, -0.5]);
});

Deno.test("decodeWav: samples at unaligned offsets decode the same", () => {
  for (
    const opts of [
      { format: "pcm", bitDepth: 16 },
      { format: "pcm", bitDepth: 32 },
      { format: "float", bitDepth: 32 },
      { format: "float", bitDepth: 64 },
    ] as const
  ) {
    const x = probeSignal(33, 1);
    const bytes = encodeWav([x, x], 8000, opts);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const a = decodeWav(bytes, "a.wav");
    const b = decodeWav(shifted, "b.wav");
    assert.deepEqual(
      b.channelData,
      a.channelData,
      `${opts.format}${opts.bitDepth}`,
    );
  }
});

Deno.test("decodeWav: a trailing partial frame is ignored", () => {
  const data = concat([pcm16([100, -100, 200, -200]), new Uint8Array(2)]);
  const out = decodeWav(
    riff([["fmt ", fmt({ tag: 1, channels: 2, sr: 8000, bits: 16 })], [
      "data",
      data,
    ]]),
    "partial.wav",
  );
  assert.equal(out.info.frames, 2);
  assert.deepEqual(out.channelData.map((c) => [...c]), [
    [100 / 32768, 200 / 32768],
    [-100 / 32768, -200 / 32768],
  ]);
});

Deno.test("decodeWav: data size 0xFFFFFFFF (streamed to a pipe) runs to the end", () => {
  const bytes = riff([
    ["fmt ", fmt({ tag: 1, channels: 1, sr: 8000, bits: 16 })],
    ["data", pcm16([1000, -1000, 3000])],
  ]);
  new DataView(bytes.buffer).setUint32(4, 0xffffffff, true);
  new DataView(bytes.buffer).setUint32(bytes.length - 6 - 4, 0xffffffff, true);
  const out = decodeWav(bytes, "pipe.wav");
  assert.deepEqual(
    [...out.channelData[0]],
    [1000, -1000, 3000].map((c) => c / 32768),
  );
});

Deno.test("decodeWav: G.711 µ-law and A-law (plain and extensible) expand like audioop", () => {
  // Python 3.11 audioop.ulaw2lin / alaw2lin(bytes, 2), computed offline.
  const codes = [0x00, 0x01, 0x0f, 0x7f, 0x80, 0xff, 0xfe, 0x55, 0xd5, 0xaa];
  const MULAW = [-32124, -31100, -16764, 0, 32124, 0, 8, -716, 716, 5372];
  const ALAW = [-5504, -5248, -6784, -848, 5504, 848, 880, -8, 8, 32256];
  for (
    const [tag, expected, codec] of [[7, MULAW, "mulaw"], [
      6,
      ALAW,
      "alaw",
    ]] as const
  ) {
    for (const extensible of [false, true]) {
      const out = decodeWav(
        riff([
          [
            "fmt ",
            fmt({
              tag,
              channels: 1,
              sr: 8000,
              bits: 8,
              extensible: extensible ? { subTag: tag } : undefined,
            }),
          ],
          ["data", new Uint8Array(codes)],
        ]),
        "g711.wav",
      );
      assert.equal(out.info.codec, codec);
      assert.deepEqual([...out.channelData[0]], expected.map((v) => v / 32768));
    }
  }
});

Deno.test("mixToMono averages channels; one channel passes through", () => {
  const l = new Float32Array([0.5, 1, -1]);
  const r = new Float32Array([-0.25, 1, 0]);
  assert.deepEqual([...mixToMono([l, r])], [0.125, 1, -0.5]);
  assert.equal(mixToMono([l]), l);
  const four = [
    l,
    r,
    new Float32Array([0.25, 0, 0]),
    new Float32Array([0.5, 0, 1]),
  ];
  assert.deepEqual([...mixToMono(four)], [0.25, 0.5, 0]);
  assert.throws(() => mixToMono([l, new Float32Array(2)]), /differ in length/);
});
