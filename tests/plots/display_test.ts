import assert from "node:assert/strict";
import {
  displayFigure,
  type Figure,
  figureToHtml,
  type MimeBundle,
  plotlyScriptTag,
  plotlySource,
  resetPlotlyInlining,
} from "../../lib/plots/mod.ts";

const FIG: Figure = {
  data: [{ type: "bar", x: ["</script><b>x", "sad"], y: [1, 2] }],
  layout: { title: { text: "a & b" }, height: 300 },
};

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/**
 * Checks the page's own markup (everything but the inlined bundle): scripts
 * are inline only and nothing is loaded over the network.
 */
function assertOffline(page: string): void {
  const own = page.split(plotlySource()).join("");
  const tags = own.match(/<script[^>]*>/gi) ?? [];
  assert.ok(tags.length > 0);
  for (const t of tags) assert.equal(t, '<script type="text/javascript">');
  assert.ok(!/https?:\/\//.test(own), "no http(s):// URL outside the bundle");
}

function show(fig: Figure): MimeBundle {
  const shown = displayFigure(fig)[Symbol.for("Jupyter.display")];
  assert.equal(typeof shown, "function");
  return shown();
}

Deno.test("plotlySource is the local plotly.js 3.1.1 bundle, safe to inline", () => {
  const src = plotlySource();
  assert.match(src.slice(0, 200), /plotly\.js v3\.1\.1/);
  assert.ok(src.length > 1_000_000, `${src.length} characters`);
  assert.ok(!/<\/script/i.test(src), "no </script inside the bundle");
  assert.match(src, /window\.Plotly\s*=\s*Plotly/);
});

Deno.test("displayFigure: both MIME types; plotly inlined once per notebook", () => {
  resetPlotlyInlining();
  const first = show(FIG);
  const second = show(FIG);
  for (const b of [first, second]) {
    assert.deepEqual(Object.keys(b).sort(), [
      "application/vnd.plotly.v1+json",
      "text/html",
    ]);
    assert.deepEqual(b["application/vnd.plotly.v1+json"], {
      data: FIG.data,
      layout: FIG.layout,
    });
    assert.match(
      b["text/html"],
      /Plotly\.newPlot\(document\.getElementById\("plot-[0-9a-f-]{36}"\)/,
    );
  }
  const src = plotlySource();
  assert.equal(occurrences(first["text/html"], src), 1);
  assert.equal(occurrences(second["text/html"], src), 0);
  const page = first["text/html"] + second["text/html"];
  assert.equal(occurrences(page, src), 1);
  assert.ok(page.indexOf(src) < page.indexOf("Plotly.newPlot"));
  assert.ok(page.includes("if (!window.Plotly) {"), "guarded inline plotly");
  assertOffline(page);
  // Figures shown after a reset carry plotly again.
  resetPlotlyInlining();
  assert.equal(occurrences(show(FIG)["text/html"], src), 1);
});

Deno.test("figureToHtml: id, height, escaped JSON that parses back", () => {
  const html = figureToHtml(FIG, { id: "conf-1" });
  assert.match(
    html,
    /^<div id="conf-1" class="plotly-figure" style="width:100%;height:300px;"><\/div>/,
  );
  assert.equal(
    occurrences(html, "</script>"),
    1,
    "labels cannot close the script",
  );
  const m =
    /Plotly\.newPlot\(document\.getElementById\("conf-1"\), (.*), (.*), (.*)\);<\/script>$/
      .exec(html);
  assert.ok(m, html);
  assert.deepEqual(JSON.parse(m[1]), FIG.data);
  assert.deepEqual(JSON.parse(m[2]), FIG.layout);
  assert.throws(
    () => figureToHtml(FIG, { id: 'x" onload="y' }),
    /invalid element id/,
  );
  const page = plotlyScriptTag() + figureToHtml(FIG) + figureToHtml(FIG);
  assert.equal(occurrences(page, plotlySource()), 1);
  assertOffline(page);
});
