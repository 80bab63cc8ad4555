import assert from "node:assert/strict";
import {
  displayFigure,
  type Figure,
  type JupyterDisplay,
  show,
  SHOW_SETTLE_MS,
  showWith,
} from "../../lib/plots/mod.ts";

Deno.test("showWith: text as text/plain, other values as they are, in order, then a pause", async () => {
  const calls: [unknown, { raw?: boolean } | undefined][] = [];
  let settledAfter = -1;
  const target: JupyterDisplay = {
    display: (value, options) => {
      calls.push([value, options]);
      return Promise.resolve();
    },
  };
  const fig: Figure = { data: [{ type: "bar", y: [1] }], layout: {} };
  const shown = displayFigure(fig);
  const started = performance.now();
  await showWith(target, ["shape: (1, 1)\n│ a │", shown]);
  settledAfter = performance.now() - started;
  assert.deepEqual(calls, [
    [{ "text/plain": "shape: (1, 1)\n│ a │" }, { raw: true }],
    [shown, undefined],
  ]);
  assert.ok(settledAfter >= SHOW_SETTLE_MS - 2, `${settledAfter} ms`);
});

Deno.test("show: outside the Jupyter kernel it says so", async () => {
  await assert.rejects(show("x"), /^Error: show: .*deno jupyter/);
});
