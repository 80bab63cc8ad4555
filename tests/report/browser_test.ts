/// <reference lib="dom" />
/**
 * The report in a real browser: headless Chromium (Debian's `chromium`)
 * driven by playwright-core opens a report generated from a tiny model and
 * synthetic clips over file://, with every network request refused, and
 * checks that there are no console errors, every plot container holds a
 * rendered SVG, and an embedded `<audio>` element plays. It writes a
 * screenshot to `reports/report_browser_test.png`.
 *
 * Without `/usr/bin/chromium` the test is skipped with a printed reason —
 * unless `SER_REQUIRE_SHARED=1` (CI), where that is a failure.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { REPORTS_DIR } from "../../lib/paths.ts";
import { hasChromium, launchChromium, watchPage } from "../chromium.ts";
import { writeReport } from "../../lib/report/mod.ts";
import { tinyCorpus, tinyModel } from "./fixture.ts";

Deno.test({
  name:
    "report in headless Chromium: no console errors, every plot drawn, audio plays",
  ignore: !hasChromium("the report browser test"),
  async fn() {
    const tmp = Deno.makeTempDirSync({ prefix: "ser-report-browser-" });
    const corpus = await tinyCorpus(path.join(tmp, "corpus"));
    const model = path.join(tmp, "browser-run");
    await tinyModel(model, { corpus });
    const report = await writeReport({
      run: model,
      reportsDir: path.join(tmp, "reports"),
      galleryLimit: 4,
      progress: "silent",
      log: () => {},
    });
    assert.equal(report.galleryClips, 4);

    const context = await launchChromium(path.join(tmp, "user-data"));
    try {
      const page = await context.newPage();
      const { problems, external } = await watchPage(
        page,
        /^(file|data|blob):/,
      );

      await page.goto(pathToFileURL(report.path).href, { waitUntil: "load" });

      const figures = await page.evaluate(() =>
        [...document.querySelectorAll(".plotly-figure")].map((div) => ({
          id: div.id,
          svgs: div.querySelectorAll("svg.main-svg").length,
          marks: div.querySelectorAll(".heatmaplayer image, .point, .bars path")
            .length,
        }))
      );
      assert.deepEqual(
        figures.map((f) => f.id),
        ["fig-confusion", "fig-f1", "fig-curves-1"],
      );
      for (const f of figures) {
        assert.ok(f.svgs > 0, `${f.id} holds no rendered .main-svg`);
        assert.ok(f.marks > 0, `${f.id} draws no heatmap, point or bar`);
      }

      const audio = await page.evaluate(async () => {
        const players = [...document.querySelectorAll("audio")];
        const a = players[0];
        const playing = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 10000);
          const check = () => {
            if (a.currentTime > 0) {
              clearTimeout(timer);
              resolve(true);
            } else setTimeout(check, 50);
          };
          a.addEventListener("playing", check, { once: true });
        });
        await a.play();
        const ok = await playing;
        const state = {
          count: players.length,
          ok,
          t: a.currentTime,
          duration: a.duration,
        };
        a.pause();
        return state;
      });
      assert.equal(audio.count, 4);
      assert.ok(
        audio.ok,
        `the first <audio> did not play (currentTime ${audio.t})`,
      );
      assert.ok(
        audio.duration > 1 && audio.duration < 4,
        `duration ${audio.duration}`,
      );

      const shot = path.join(REPORTS_DIR, "report_browser_test.png");
      Deno.mkdirSync(REPORTS_DIR, { recursive: true });
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(Deno.statSync(shot).size > 10_000);
      console.log(`screenshot: ${shot}`);

      assert.deepEqual(problems, []);
      assert.deepEqual(
        external,
        [],
        "the report requested something off the page",
      );
    } finally {
      await context.close();
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});
