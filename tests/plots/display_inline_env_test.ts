import assert from "node:assert/strict";
import {
  displayFigure,
  type Figure,
  PLOTLY_INLINE_ENV,
  plotlySource,
  resetPlotlyInlining,
} from "../../lib/plots/mod.ts";

const FIG: Figure = {
  data: [{ type: "bar", x: ["a"], y: [1] }],
  layout: { title: { text: "t" } },
};
const html = () =>
  displayFigure(FIG)[Symbol.for("Jupyter.display")]()["text/html"];

Deno.test("displayFigure: SER_PLOTLY_INLINE=0 (headless runs) never inlines plotly.js", () => {
  const src = plotlySource();
  const before = Deno.env.get(PLOTLY_INLINE_ENV);
  try {
    Deno.env.set(PLOTLY_INLINE_ENV, "0");
    resetPlotlyInlining();
    const first = html();
    assert.ok(!first.includes(src));
    assert.match(first, /^<div id="plot-[0-9a-f-]{36}" class="plotly-figure"/);
    Deno.env.set(PLOTLY_INLINE_ENV, "1");
    resetPlotlyInlining();
    assert.ok(html().includes(src), "any other value inlines as usual");
  } finally {
    if (before === undefined) Deno.env.delete(PLOTLY_INLINE_ENV);
    else Deno.env.set(PLOTLY_INLINE_ENV, before);
    resetPlotlyInlining();
  }
});
