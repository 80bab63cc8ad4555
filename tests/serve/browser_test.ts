/// <reference lib="dom" />
/**
 * The `serve` page in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core), against `deno task serve` started as a child process:
 *
 * - a chosen file: the page's `#predictions` are `deno task predict --json`'s
 *   timeline of the same file (probabilities within 1e-4), the audio plays
 *   and the chart's cursor follows it;
 * - the microphone, Chromium's fake device playing a known WAV: live
 *   predictions appear every 0.5 s hop while it listens; after Stop they are
 *   `predict --json --hop-s 0.5`'s timeline of what the microphone heard (the
 *   page's download), which follows the fed WAV;
 * - the errors shown on the page: an unreadable file, the microphone
 *   permission denied, a model whose weights are missing.
 *
 * Every page fails the test on any console error or any request leaving the
 * server. Screenshots of each state go to `$SER_SERVE_SCREENSHOTS` (default:
 * a temporary folder, removed).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { encodeWav, loadAudio } from "../../lib/audio/mod.ts";
import { rmsDb } from "../../lib/dsp/mod.ts";
import { hasChromium, launchChromium, watchPage } from "../chromium.ts";
import { writeFixtureModel } from "../predict/fixture_model.ts";
import { concat, quiet, voice } from "../predict/signals.ts";
import {
  assertSameTimeline,
  predictJson,
  shownPredictions,
  startServe,
} from "./fixture.ts";

const LOCAL = /^(https?:\/\/127\.0\.0\.1:\d+\/|data:|blob:)/;
const FAKE_MIC = [
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
];

/** voice | gap | louder voice | gap | voice, at `sr`: a timeline with silence. */
function recording(sr: number): Float32Array {
  return concat([
    voice(sr, 1.6, { seed: 1, f0: 130 }),
    quiet(sr, 2, 1),
    voice(sr, 1.4, { seed: 2, f0: 220, amp: 0.4 }),
    quiet(sr, 2, 2),
    voice(sr, 1.3, { seed: 3, f0: 170 }),
  ]);
}

async function setup() {
  const tmp = await Deno.makeTempDir({ prefix: "ser-serve-browser-" });
  const shots = Deno.env.get("SER_SERVE_SCREENSHOTS") ??
    path.join(tmp, "screenshots");
  Deno.mkdirSync(shots, { recursive: true });
  const { dir: model } = await writeFixtureModel(
    path.join(tmp, "models", "tiny"),
  );
  return { tmp, shots, model };
}

async function shoot(page: Page, shots: string, name: string) {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}

async function modelReady(page: Page) {
  await page.waitForFunction(
    () => !(document.getElementById("file") as HTMLInputElement).disabled,
    undefined,
    { timeout: 60_000 },
  );
}

Deno.test({
  name:
    "serve page, chosen file: the whole timeline of deno task predict --json; audio plays, the cursor follows",
  ignore: !hasChromium("the serve browser test"),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { tmp, shots, model } = await setup();
    const wav = path.join(tmp, "speech.wav");
    await Deno.writeFile(wav, encodeWav(recording(22050), 22050));
    const expected = await predictJson(model, wav);
    assert.ok(expected.timeline && expected.timeline.some((w) => w.silent));
    const server = await startServe(tmp, ["--model", model]);
    const context = await launchChromium(path.join(tmp, "profile"));
    try {
      const page = await context.newPage();
      const watch = await watchPage(page, LOCAL);
      await page.goto(server.url);
      await modelReady(page);
      await shoot(page, shots, "1-ready");
      await page.setInputFiles("#file", wav);
      await page.waitForSelector("#predictions > div", { state: "attached" });
      await page.waitForSelector("#chart .main-svg");
      const shown = await shownPredictions(page);
      assertSameTimeline(shown, expected.timeline!);
      const verdict = await page.$eval(
        "#predictions",
        (el) => (el as HTMLElement).dataset,
      );
      assert.equal(verdict.verdict, expected.emotion);
      const probs = JSON.parse(verdict.verdictProbabilities!);
      for (const [l, p] of Object.entries(expected.probabilities)) {
        assert.ok(Math.abs(probs[l] - p) <= 1e-4, `verdict ${l}`);
      }
      assert.equal(
        (await page.textContent("#top"))?.startsWith(expected.emotion),
        true,
      );
      // Play: the cursor follows the player.
      await page.evaluate(() =>
        (document.getElementById("player") as HTMLAudioElement).play()
      );
      await page.waitForFunction(
        () =>
          Number(document.getElementById("chart")!.dataset.cursorS ?? 0) > 0.5,
        undefined,
        { timeout: 20_000 },
      );
      await shoot(page, shots, "2-file");
      assert.deepEqual(watch.problems, []);
      assert.deepEqual(watch.external, []);
    } finally {
      await context.close();
      await server.stop();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** RMS envelope (dB) of 20 ms frames. */
function envelope(x: Float32Array, sr: number): number[] {
  const n = Math.round(0.02 * sr);
  const out: number[] = [];
  for (let i = 0; i + n <= x.length; i += n) {
    out.push(Math.max(-80, rmsDb(x, i, i + n)));
  }
  return out;
}

/** Best normalised correlation of `a` against `b` looped, over every lag. */
function bestCorrelation(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let best = -1;
  for (let lag = 0; lag < b.length; lag++) {
    let num = 0, da = 0, db = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i] - ma;
      const y = b[(i + lag) % b.length] - mb;
      num += x * y;
      da += x * x;
      db += y * y;
    }
    best = Math.max(best, num / Math.sqrt(da * db));
  }
  return best;
}

Deno.test({
  name:
    "serve page, fake microphone playing a WAV: live predictions every hop, = predict --json --hop-s 0.5 of what it heard",
  ignore: !hasChromium("the serve browser test"),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { tmp, shots, model } = await setup();
    const fed = recording(48000);
    const wav = path.join(tmp, "mic.wav");
    await Deno.writeFile(wav, encodeWav(fed, 48000));
    const server = await startServe(tmp, ["--model", model]);
    const context = await launchChromium(path.join(tmp, "profile"), [
      ...FAKE_MIC,
      `--use-file-for-fake-audio-capture=${wav}`,
    ]);
    try {
      const page = await context.newPage();
      const watch = await watchPage(page, LOCAL);
      await page.goto(server.url);
      await modelReady(page);
      await page.click("#start");
      await page.waitForFunction(
        () => document.querySelectorAll("#predictions > div").length >= 10,
        undefined,
        { timeout: 60_000 },
      );
      const live = await shownPredictions(page);
      // Windows of the model's 1 s every 0.5 s, each with its latency.
      live.forEach((w, i) => {
        assert.equal(w.start_s, i * 0.5);
        assert.equal(w.end_s, i * 0.5 + 1);
        assert.ok(Number(w.data.latencyMs) >= 0, "latency recorded");
      });
      await shoot(page, shots, "3-live");
      await page.click("#stop");
      await page.waitForSelector("#recording:not([hidden])", {
        state: "attached",
      });
      const bytes = await page.evaluate(async () => {
        const a = document.getElementById("recording") as HTMLAnchorElement;
        return [...new Uint8Array(await (await fetch(a.href)).arrayBuffer())];
      });
      const heard = path.join(tmp, "heard.wav");
      await Deno.writeFile(heard, new Uint8Array(bytes));
      const expected = await predictJson(model, heard, ["--hop-s", "0.5"]);
      // The page's last update (finish) has drawn before the link appears.
      assertSameTimeline(await shownPredictions(page), expected.timeline!);
      // What it heard is the fed WAV (looped, from some offset).
      const audio = await loadAudio(heard, { sr: null });
      const r = bestCorrelation(
        envelope(audio.samples, audio.sr),
        envelope(fed, 48000),
      );
      assert.ok(r > 0.9, `the heard envelope follows the fed WAV (r = ${r})`);
      await shoot(page, shots, "4-live-stopped");
      assert.deepEqual(watch.problems, []);
      assert.deepEqual(watch.external, []);
    } finally {
      await context.close();
      await server.stop();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "serve page errors: unreadable file, microphone permission denied, model files missing",
  ignore: !hasChromium("the serve browser test"),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { tmp, shots, model } = await setup();
    const bad = path.join(tmp, "notes.wav");
    await Deno.writeTextFile(bad, "these are not audio bytes at all\n");
    const broken = path.join(tmp, "models", "broken");
    await writeFixtureModel(broken);
    await Deno.remove(path.join(broken, "weights.bin"));
    const server = await startServe(tmp, ["--model", model]);
    const brokenServer = await startServe(tmp, ["--model", broken]);
    // Fake devices but no auto-accept: headless denies the permission.
    const context = await launchChromium(path.join(tmp, "profile"), [
      "--use-fake-device-for-media-stream",
    ]);
    try {
      const page = await context.newPage();
      const watch = await watchPage(page, LOCAL);
      await page.goto(server.url);
      await modelReady(page);
      await page.setInputFiles("#file", bad);
      await page.waitForSelector("#error.shown");
      assert.match(
        (await page.textContent("#error"))!,
        /^Cannot predict notes\.wav: .*not a RIFF\/WAVE file|^Cannot predict notes\.wav: /,
      );
      await shoot(page, shots, "5-error-file");
      await page.click("#start");
      await page.waitForFunction(() =>
        /permission denied/.test(document.getElementById("error")!.textContent!)
      );
      await shoot(page, shots, "6-error-permission");

      await page.goto(brokenServer.url);
      await page.waitForFunction(
        () =>
          /cannot be opened/.test(
            document.getElementById("error")!.textContent!,
          ),
        undefined,
        { timeout: 60_000 },
      );
      assert.match(
        (await page.textContent("#error"))!,
        /weight file weights\.bin is missing/,
      );
      assert.equal(await page.isDisabled("#start"), true);
      await shoot(page, shots, "7-error-model");
      assert.deepEqual(watch.problems, []);
      assert.deepEqual(watch.external, []);
    } finally {
      await context.close();
      await server.stop();
      await brokenServer.stop();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
