import assert from "node:assert/strict";
import * as path from "node:path";
import { decodeWav, loadAudio, probeAudio } from "../../lib/audio/mod.ts";
import { SHARED_RAVDESS_DIR, walkFiles } from "../../lib/paths.ts";
import { hasShared } from "../shared.ts";

/** The two stereo files named in the shared RAVDESS README. */
const STEREO = new Set([
  "Actor_01/03-01-02-01-01-02-01.wav",
  "Actor_01/03-01-08-01-02-02-01.wav",
]);

Deno.test({
  name:
    "decodes all 240 real RAVDESS clips (stereo ones included) with metadata matching their names",
  ignore: !hasShared(),
  async fn() {
    const files = walkFiles(SHARED_RAVDESS_DIR, [".wav"]);
    assert.equal(files.length, 240);
    let stereo = 0;
    for (const file of files) {
      const rel = path.relative(SHARED_RAVDESS_DIR, file).replaceAll("\\", "/");
      // Actor_NN/03-01-EE-II-SS-RR-NN.wav: speech audio, actor in folder and name.
      const m = rel.match(
        /^Actor_(\d\d)\/03-01-0[1-8]-0[12]-0[12]-0[12]-(\d\d)\.wav$/,
      );
      assert.ok(m && m[1] === m[2], `unexpected name ${rel}`);
      const bytes = await Deno.readFile(file);
      const { channelData, sampleRate, info } = decodeWav(bytes, file);
      const channels = STEREO.has(rel) ? 2 : 1;
      if (channels === 2) stereo++;
      assert.equal(sampleRate, 48000, rel);
      assert.equal(info.codec, "pcm16", rel);
      assert.equal(info.channels, channels, rel);
      assert.equal(channelData.length, channels, rel);
      assert.ok(
        info.durationS >= 2.5 && info.durationS <= 6,
        `${rel}: ${info.durationS} s`,
      );
      let peak = 0;
      for (const ch of channelData) {
        assert.equal(ch.length, info.frames);
        for (let i = 0; i < ch.length; i++) {
          const a = Math.abs(ch[i]);
          if (!(a <= 1)) assert.fail(`${rel}[${i}] = ${ch[i]}`); // NaN too
          if (a > peak) peak = a;
        }
      }
      assert.ok(peak > 0.01, `${rel} is silent (peak ${peak})`);
      // The header-only probe gives the same facts.
      assert.deepEqual(await probeAudio(file), info, rel);
    }
    assert.equal(stereo, 2);
  },
});

Deno.test({
  name: "a stereo RAVDESS clip loads as the mean of its channels at 16 kHz",
  ignore: !hasShared(),
  async fn() {
    const file = path.join(
      SHARED_RAVDESS_DIR,
      "Actor_01",
      "03-01-02-01-01-02-01.wav",
    );
    const both = await loadAudio(file, { sr: null, mono: false });
    assert.equal(both.channelData!.length, 2);
    const [l, r] = both.channelData!;
    for (let i = 0; i < l.length; i += 997) {
      assert.equal(both.samples[i], Math.fround((l[i] + r[i]) * 0.5));
    }
    const mono16k = await loadAudio(file);
    assert.equal(mono16k.sr, 16000);
    assert.equal(mono16k.samples.length, Math.ceil(both.info.frames / 3));
  },
});
