/**
 * Rendering figures: in the Deno Jupyter kernel as a display bundle carrying
 * `application/vnd.plotly.v1+json` and a self-contained `text/html` version
 * (nbconvert keeps only the latter), and as HTML for reports.
 *
 * plotly.js is never fetched from a CDN: it is read from the pinned local
 * package `plotly.js-dist-min` (3.1.1, the minified build of
 * `plotly.js-dist`) and inlined once per page — in a notebook, into the
 * first figure displayed since the kernel started (or since
 * {@linkcode resetPlotlyInlining}); in a report, by the caller through
 * {@linkcode plotlyScriptTag}. The inlined script is guarded with
 * `if (!window.Plotly)` and needs no require.js.
 *
 * @module
 */
import { createRequire } from "node:module";
import type { Figure } from "./figure.ts";

/** The MIME bundle a figure shows as in Jupyter. */
export interface MimeBundle {
  /** Plotly's own MIME type (rendered by JupyterLab's plotly extension). */
  "application/vnd.plotly.v1+json": {
    data: Figure["data"];
    layout: Figure["layout"];
  };
  /** Self-contained HTML: a div and a script drawing into it. */
  "text/html": string;
}

/** An object the Deno Jupyter kernel displays through its display symbol. */
export interface Displayable {
  /** Called by the kernel when the value is shown. */
  [key: symbol]: () => MimeBundle;
}

/** Options of {@linkcode figureToHtml}. */
export interface HtmlOptions {
  /**
   * The div's id (letters, digits, `-`, `_`). Default: a random `plot-<uuid>`,
   * so figures from different kernel sessions in one notebook never collide.
   */
  id?: string;
  /** CSS height of the div (default: the layout's height, else 450px). */
  height?: string;
}

let plotlyCache: string | undefined;
let plotlyInlined = false;

/** The source of the local minified plotly.js bundle (read once). */
export function plotlySource(): string {
  if (plotlyCache === undefined) {
    const require = createRequire(import.meta.url);
    let file: string;
    try {
      file = require.resolve("plotly.js-dist-min/plotly.min.js");
    } catch (err) {
      throw new Error(
        `plotly.js-dist-min/plotly.min.js not found (run deno install in the repository): ${
          (err as Error).message
        }`,
      );
    }
    plotlyCache = Deno.readTextFileSync(file);
  }
  return plotlyCache;
}

/**
 * A `<script>` element holding plotly.js inline, guarded so that it defines
 * `window.Plotly` only if it is not defined yet. Put it once in a page,
 * before the figures.
 */
export function plotlyScriptTag(): string {
  // The bundle contains no "</script" (checked in the tests), so it can be
  // inlined as is.
  return `<script type="text/javascript">if (!window.Plotly) {\n${plotlySource()}\n}</script>`;
}

/** JSON safe to embed in a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * HTML for one figure: a div and a script that draws `fig` into it with
 * `Plotly.newPlot`. It needs plotly.js on the page (see
 * {@linkcode plotlyScriptTag}).
 */
export function figureToHtml(fig: Figure, options: HtmlOptions = {}): string {
  const id = options.id ?? `plot-${crypto.randomUUID()}`;
  if (!/^[A-Za-z][\w-]*$/.test(id)) {
    throw new Error(`figureToHtml: invalid element id "${id}"`);
  }
  const layoutHeight = fig.layout.height;
  const height = options.height ??
    (typeof layoutHeight === "number" ? `${layoutHeight}px` : "450px");
  const config = { responsive: true, displaylogo: false };
  return `<div id="${id}" class="plotly-figure" style="width:100%;height:${height};"></div>\n` +
    `<script type="text/javascript">Plotly.newPlot(document.getElementById("${id}"), ${
      scriptJson(fig.data)
    }, ${scriptJson(fig.layout)}, ${scriptJson(config)});</script>`;
}

/**
 * Starts a new page for {@linkcode displayFigure}: the next figure displayed
 * carries plotly.js again (e.g. after clearing a notebook's outputs).
 */
export function resetPlotlyInlining(): void {
  plotlyInlined = false;
}

/**
 * Environment variable that turns inlining off when set to `0`: headless
 * runners (`deno task notebooks`) set it and put plotly.js on the exported
 * page themselves, because the Deno kernel sends display messages after the
 * call returns and nbclient loses a multi-megabyte one still in flight when
 * its cell ends.
 */
export const PLOTLY_INLINE_ENV = "SER_PLOTLY_INLINE";

/**
 * Wraps `fig` for the Deno Jupyter kernel: the last expression of a cell
 * (or `Deno.jupyter.display(displayFigure(fig))`) shows it. The bundle holds
 * the plotly JSON and an HTML version that renders on its own; the first
 * bundle shown since the kernel started inlines plotly.js, later ones reuse
 * it (none does when {@linkcode PLOTLY_INLINE_ENV} is `0`).
 */
export function displayFigure(fig: Figure): Displayable {
  return {
    [Symbol.for("Jupyter.display")]: (): MimeBundle => {
      const inline = !plotlyInlined &&
        Deno.env.get(PLOTLY_INLINE_ENV) !== "0";
      const script = inline ? `${plotlyScriptTag()}\n` : "";
      plotlyInlined = true;
      return {
        "application/vnd.plotly.v1+json": {
          data: fig.data,
          layout: fig.layout,
        },
        "text/html": script + figureToHtml(fig),
      };
    },
  };
}
