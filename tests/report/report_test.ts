/**
 * The HTML report's content on tiny model directories: self-contained
 * (plotly inlined exactly once, no external URL), every section, the error
 * gallery with playable 16 kHz 16-bit mono WAV data URIs, leaky-split
 * labelling, cross-validation runs, and the error cases.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import * as path from "node:path";
import { scanCorpus } from "../../lib/corpora/mod.ts";
import { writeCard } from "../../lib/run/mod.ts";
import { exists } from "../../lib/paths.ts";
import { plotlySource } from "../../lib/plots/mod.ts";
import { writeReport } from "../../lib/report/mod.ts";
import { runCliScript } from "../cli.ts";
import { tinyCorpus, tinyModel } from "./fixture.ts";

const tmp = Deno.makeTempDirSync({ prefix: "ser-report-" });
const reportsDir = path.join(tmp, "reports");
const corpus = path.join(tmp, "corpus");
const logs: string[] = [];
const quiet = {
  reportsDir,
  progress: "silent" as const,
  log: (s: string) => logs.push(s),
};

/** The page without the inlined plotly.js bundle. */
function withoutPlotly(html: string): string {
  return html.replace(plotlySource(), "");
}

function galleryPairs(html: string): [string, string][] {
  return [
    ...html.matchAll(
      /true <span class="right">([^<]+)<\/span> → predicted <span class="wrong">([^<]+)<\/span>/g,
    ),
  ].map((m) => [m[1], m[2]]);
}

Deno.test("report", async (t) => {
  await tinyCorpus(corpus);
  const model = path.join(tmp, "run-speaker");
  await tinyModel(model, { corpus });
  const result = await writeReport({ run: model, ...quiet });

  await t.step("written atomically to <reportsDir>/<run>/index.html", () => {
    assert.equal(
      result.path,
      path.join(reportsDir, "run-speaker", "index.html"),
    );
    assert.equal(Deno.readTextFileSync(result.path), result.html);
    assert.deepEqual(
      [...Deno.readDirSync(path.dirname(result.path))].map((e) => e.name),
      ["index.html"],
    );
  });

  await t.step(
    "self-contained: plotly.js exactly once, nothing external",
    () => {
      const html = result.html;
      const src = plotlySource();
      const first = html.indexOf(src);
      assert.ok(first > 0, "plotly.js is inlined");
      assert.equal(
        html.indexOf(src, first + 1),
        -1,
        "plotly.js is inlined only once",
      );
      const rest = withoutPlotly(html);
      assert.doesNotMatch(rest, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
      assert.doesNotMatch(rest, /<link\b|@import|url\(/i);
      for (const m of rest.matchAll(/\bsrc="([^"]{0,40})/g)) {
        assert.match(m[1], /^data:audio\/wav;base64,/);
      }
      for (const m of rest.matchAll(/\bhref="([^"]*)"/g)) {
        assert.match(m[1], /^#[a-z]+$/);
      }
    },
  );

  await t.step(
    "sections: config, data with split speakers, metrics tables, figures",
    () => {
      const html = result.html;
      for (const id of ["config", "data", "metrics", "figures", "gallery"]) {
        assert.match(html, new RegExp(`<section id="${id}">`));
      }
      assert.match(html, /<caption>features<\/caption>/);
      assert.match(html, /<th scope="row">nMfcc<\/th><td><code>13<\/code>/);
      assert.match(html, /<caption>versions<\/caption>/);
      assert.match(
        html,
        /<caption>augmentation \(training fold only\)<\/caption>.*<th scope="row">copies<\/th><td><code>1<\/code>/s,
      );
      assert.match(
        html,
        /<caption>training<\/caption>.*<th scope="row">batchSize<\/th><td><code>8<\/code>/s,
      );
      assert.match(html, /SYNTHETIC data/);
      assert.match(
        html,
        /<th scope="row">test<\/th><td class="num">15<\/td><td class="num">1<\/td><td>synthetic:03<\/td>/,
      );
      assert.doesNotMatch(html, /LEAKY split/);
      // The fixture's test confusion: diagonal 1 plus 1 in column 0 (8 labels).
      assert.match(
        html,
        /<th scope="row">UAR \(balanced accuracy\)<\/th><td class="num"><\/td><td class="num">0\.562<\/td>/,
      );
      assert.match(
        html,
        /<th scope="row">accuracy<\/th><td class="num"><\/td><td class="num"><\/td><td class="num">0\.562<\/td><td class="num">16<\/td>/,
      );
      for (const id of ["fig-confusion", "fig-f1", "fig-curves-1"]) {
        assert.match(html, new RegExp(`<div id="${id}" class="plotly-figure"`));
        assert.match(
          html,
          new RegExp(
            `Plotly\\.newPlot\\(document\\.getElementById\\("${id}"\\)`,
          ),
        );
      }
    },
  );

  await t.step(
    "error gallery: misclassified test clips with 16 kHz 16-bit mono WAV data URIs",
    () => {
      assert.equal(result.galleryUnavailable, null);
      assert.ok(result.galleryClips > 0 && result.galleryClips <= 15);
      const audios = [
        ...result.html.matchAll(
          /<audio controls preload="auto" src="data:audio\/wav;base64,([A-Za-z0-9+/=]+)">/g,
        ),
      ];
      assert.equal(audios.length, result.galleryClips);
      const pairs = galleryPairs(result.html);
      assert.equal(pairs.length, result.galleryClips);
      for (const [truth, pred] of pairs) assert.notEqual(truth, pred);
      const wav = Buffer.from(audios[0][1], "base64");
      assert.equal(wav.toString("latin1", 0, 4), "RIFF");
      assert.equal(wav.toString("latin1", 8, 12), "WAVE");
      assert.equal(wav.readUInt16LE(22), 1, "mono");
      assert.equal(wav.readUInt32LE(24), 16000, "16 kHz");
      assert.equal(wav.readUInt16LE(34), 16, "16-bit");
      // Every clip's files are the test speaker's, with all 8 probabilities.
      assert.doesNotMatch(result.html, /speaker synthetic:0[12] /);
      const rows = result.html.match(
        /<span class="bar" style="width:\d+px"><\/span>/g,
      )!;
      assert.equal(rows.length, 8 * result.galleryClips);
      assert.match(result.html, /15 test clips re-predicted/);
      assert.match(
        result.html,
        /<p class="sub">test UAR 0\.562, accuracy 0\.562 · 8 classes/,
      );
    },
  );

  await t.step(
    "random split: labelled leaky, gallery from the same seeded split, capped",
    async () => {
      const dir = path.join(tmp, "run-random");
      await tinyModel(dir, { corpus, split: "random" });
      const r = await writeReport({ run: dir, galleryLimit: 2, ...quiet });
      assert.match(r.html, /LEAKY split \(random, speaker-dependent\)/);
      assert.match(
        r.html,
        /This run used a random \(speaker-dependent\) split/,
      );
      assert.match(r.html, /8 test clips re-predicted/);
      assert.equal(r.galleryClips, 2);
      assert.equal(galleryPairs(r.html).length, 2);
    },
  );

  await t.step(
    "missing corpus: the report renders and says why there is no gallery",
    async () => {
      const dir = path.join(tmp, "run-moved");
      const card = await tinyModel(dir, { corpus });
      // The corpus moved: the test clips recorded in the card are gone.
      const gone = path.join(tmp, "gone");
      writeCard(dir, {
        ...card,
        data: { ...card.data, dirs: [gone] },
        split: {
          ...card.split,
          testClips: card.split.testClips.map((c) => ({
            ...c,
            path: path.join(gone, path.basename(c.path)),
          })),
        },
      });
      const r = await writeReport({ run: dir, ...quiet });
      assert.match(
        r.galleryUnavailable!,
        /15 of the 15 test clips recorded in the card of run-moved are not on this machine \(first: .*gone/,
      );
      assert.match(
        r.html,
        /Error gallery unavailable: 15 of the 15 test clips/,
      );
      assert.match(r.html, /<div id="fig-confusion"/);
      assert.ok(logs.some((l) => l.includes("error gallery unavailable")));
    },
  );

  await t.step(
    "cross-validation run: mean ± std over folds, gallery from every fold",
    async () => {
      const run = path.join(tmp, "run-cv");
      for (const i of [1, 2]) {
        const dir = path.join(run, `fold-${i}`);
        const card = await tinyModel(dir, { corpus, seed: i });
        // Fold i tests on speaker i (as speakerFolds would deal them).
        const test = [`synthetic:0${i}`];
        const rest = ["synthetic:01", "synthetic:02", "synthetic:03"].filter(
          (s) => s !== `synthetic:0${i}`,
        );
        const clips = (await scanCorpus([corpus])).items.filter((c) =>
          c.speaker === test[0]
        );
        writeCard(dir, {
          ...card,
          split: {
            ...card.split,
            fold: i,
            speakers: { train: [rest[1]], validation: [rest[0]], test },
            testClips: clips.map(({ path, corpus, speaker, emotion }) => ({
              path,
              corpus,
              speaker,
              emotion,
            })),
          },
        });
      }
      const r = await writeReport({ run, ...quiet });
      assert.equal(r.path, path.join(reportsDir, "run-cv", "index.html"));
      assert.match(r.html, /leave-speakers-out cross-validation/);
      assert.match(
        r.html,
        /<th scope="row">mean ± std<\/th><td class="num">0\.562 ± 0\.000<\/td>/,
      );
      assert.match(r.html, /<div id="fig-curves-2"/);
      assert.match(
        r.html,
        /fold-1: 15 test clips re-predicted.*; fold-2: 15 test clips re-predicted/,
      );
      const speakers = [
        ...r.html.matchAll(
          /speaker (synthetic:0\d) · [\d.]+ s · model (fold-\d)/g,
        ),
      ]
        .map((m) => `${m[2]} ${m[1]}`);
      assert.ok(speakers.length > 0);
      for (const s of speakers) assert.match(s, /^fold-(\d) synthetic:0\1$/);
    },
  );

  await t.step(
    "deno task report: prints the path; exit 1 with a clear error",
    async () => {
      const run = (...args: string[]) =>
        runCliScript("lib/cli/report.ts", args);
      const cliReports = path.join(tmp, "cli-reports");
      let r = await run(
        path.join(tmp, "run-moved"),
        "--reports-dir",
        cliReports,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        path.join(cliReports, "run-moved", "index.html") + "\n",
      );
      assert.ok(exists(path.join(cliReports, "run-moved", "index.html")));
      assert.match(r.stderr, /error gallery unavailable/);
      r = await run(path.join(tmp, "nope"), "--reports-dir", cliReports);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error: .*nope: no such model directory\n/);
    },
  );

  await t.step(
    "errors: no such model, incomplete model directory",
    async () => {
      await assert.rejects(
        writeReport({ run: path.join(tmp, "nope"), ...quiet }),
        /nope: no such model directory/,
      );
      const broken = path.join(tmp, "broken");
      Deno.mkdirSync(broken);
      Deno.copyFileSync(
        path.join(model, "card.json"),
        path.join(broken, "card.json"),
      );
      await assert.rejects(
        writeReport({ run: broken, ...quiet }),
        /broken: no model\.json \(incomplete model directory\)/,
      );
    },
  );

  Deno.removeSync(tmp, { recursive: true });
});
