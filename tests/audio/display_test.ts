import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { audioDisplay, decodeWav } from "../../lib/audio/mod.ts";

const show = (d: ReturnType<typeof audioDisplay>) =>
  d[Symbol.for("Jupyter.display")]();

Deno.test("audioDisplay: base64 WAV that decodes back to the samples, and a player", () => {
  const sr = 8000;
  const samples = new Float32Array(800).map((_, i) =>
    0.5 * Math.sin(2 * Math.PI * 440 * i / sr)
  );
  const bundle = show(audioDisplay(samples, sr, { title: "a <440> Hz tone" }));
  const bytes = new Uint8Array(Buffer.from(bundle["audio/wav"], "base64"));
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "RIFF");
  assert.equal(bytes.length, 44 + 800 * 2);
  const back = decodeWav(bytes, "tone.wav");
  assert.equal(back.sampleRate, sr);
  assert.equal(back.channelData.length, 1);
  for (let i = 0; i < 800; i += 97) {
    assert.ok(Math.abs(back.channelData[0][i] - samples[i]) < 1 / 16384);
  }
  assert.ok(
    bundle["text/html"].includes(
      `<audio controls preload="auto" src="data:audio/wav;base64,${
        bundle["audio/wav"]
      }">`,
    ),
  );
  assert.ok(bundle["text/html"].includes("a &lt;440&gt; Hz tone (0.10 s)"));
  assert.equal(
    bundle["text/plain"],
    "a <440> Hz tone: 0.10 s of audio at 8000 Hz",
  );
});

Deno.test("audioDisplay: bad sample rate or empty clip is an error", () => {
  assert.throws(
    () => audioDisplay(new Float32Array(10), 0),
    /sample rate must be a positive integer, got 0/,
  );
  assert.throws(() => audioDisplay(new Float32Array(0), 16000), /no samples/);
});
