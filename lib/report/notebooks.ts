/**
 * Executing the teaching notebooks (behind `deno task notebooks`): the
 * notebooks in `notebooks/` run in order with Jupyter's nbconvert and the
 * Deno kernel, and each executed copy and its HTML export is written to
 * `reports/notebooks/`. The mode and corpus reach the notebooks' config cell
 * through `SER_NOTEBOOK_MODE` and `SER_NOTEBOOK_CORPUS`; `modelsDir` points
 * the models they train (`SER_MODELS_DIR`) elsewhere than `models/`.
 *
 * A failing cell stops the run with an error naming the notebook, the cell
 * and nbconvert's message; nothing of that notebook is written.
 *
 * plotly.js (4.8 MB) is not inlined into the first figure of each notebook
 * during headless runs (`SER_PLOTLY_INLINE=0`): the Deno kernel sends display
 * messages after the call returns, and nbclient loses one that is still in
 * flight when its cell ends. It is put once into each exported HTML page
 * instead, so the pages work offline.
 *
 * @module
 */
import * as path from "node:path";
import { PLOTLY_INLINE_ENV, plotlyScriptTag } from "../plots/mod.ts";
import { formatDuration } from "../progress.ts";
import { ensureDir, exists, REPO_ROOT, REPORTS_DIR } from "../paths.ts";

/** The notebooks folder of the repository. */
export const NOTEBOOKS_DIR: string = path.join(REPO_ROOT, "notebooks");

/** Where executed copies and HTML exports go (`reports/notebooks/`). */
export const NOTEBOOK_REPORTS_DIR: string = path.join(REPORTS_DIR, "notebooks");

/** Seconds one cell may run before nbconvert gives up. */
export const CELL_TIMEOUT_S = 600;

/** `fast`: tiny model, few epochs (CI, class demos); `full`: the real thing. */
export type NotebookMode = "fast" | "full";

/** Options of {@linkcode runNotebooks}. */
export interface RunNotebooksOptions {
  /** Mode passed to the config cells as `SER_NOTEBOOK_MODE` (default `full`). */
  mode?: NotebookMode;
  /** Keep only notebooks whose file name starts with one of these (e.g. `03`). */
  only?: readonly string[];
  /** Corpus folder passed as `SER_NOTEBOOK_CORPUS` (default: the config cell's rule). */
  corpus?: string;
  /** Folder of the notebooks (default {@linkcode NOTEBOOKS_DIR}). */
  notebooksDir?: string;
  /** Output folder (default {@linkcode NOTEBOOK_REPORTS_DIR}). */
  outDir?: string;
  /**
   * Where the notebooks save the models they train, passed as
   * `SER_MODELS_DIR` (default: the kernel's own, i.e. `models/`).
   */
  modelsDir?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** One executed notebook. */
export interface ExecutedNotebook {
  /** The source notebook. */
  notebook: string;
  /** The executed copy (`.ipynb`, with outputs). */
  executed: string;
  /** Its HTML export. */
  html: string;
  /** Wall time of the execution in seconds. */
  seconds: number;
}

/** The numbered notebooks (`NN_name.ipynb`) of `dir`, in order. */
export function listNotebooks(dir: string = NOTEBOOKS_DIR): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && /^\d\d_.*\.ipynb$/.test(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** The notebooks of `all` selected by `only` (file-name prefixes); all when empty. */
export function selectNotebooks(
  all: readonly string[],
  only: readonly string[] = [],
): string[] {
  if (only.length === 0) return [...all];
  const picked = all.filter((nb) =>
    only.some((prefix) => path.basename(nb).startsWith(prefix))
  );
  const unknown = only.filter((prefix) =>
    !all.some((nb) => path.basename(nb).startsWith(prefix))
  );
  if (unknown.length > 0) {
    throw new Error(
      `--only ${unknown.join(", ")}: no such notebook (have ${
        all.map((nb) => path.basename(nb)).join(", ")
      })`,
    );
  }
  return picked;
}

async function output(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      cwd: options.cwd,
      env: options.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return {
      ok: out.success,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } catch (err) {
    return { ok: false, stdout: "", stderr: (err as Error).message };
  }
}

/**
 * Why the notebooks cannot run here, or null when they can: `jupyter
 * nbconvert` must run and a kernel named `deno` be registered
 * (`deno jupyter --install`).
 */
export async function notebookRunnerMissing(): Promise<string | null> {
  const nbconvert = await output("jupyter", ["nbconvert", "--version"]);
  if (!nbconvert.ok) {
    return `jupyter nbconvert is not available (apt-get install jupyter-nbconvert python3-nbclient): ${
      nbconvert.stderr.trim().split("\n").pop()
    }`;
  }
  const specs = await output("jupyter", ["kernelspec", "list", "--json"]);
  if (!specs.ok) {
    return `jupyter kernelspec list failed: ${specs.stderr.trim()}`;
  }
  const names = Object.keys(JSON.parse(specs.stdout).kernelspecs ?? {});
  if (!names.includes("deno")) {
    return `no Deno kernel registered in Jupyter (run deno jupyter --install; have ${
      names.join(", ") || "none"
    })`;
  }
  return null;
}

interface CellSource {
  cell_type: string;
  source: string | string[];
}

/**
 * Turns nbconvert's failure output into one message: which cell (1-based
 * among all cells, found by its source) failed and the error it printed.
 */
export function describeFailure(
  notebook: string,
  cells: readonly CellSource[],
  stderr: string,
): string {
  const name = path.basename(notebook);
  const rule = "------------------";
  const marker = "An error occurred while executing the following cell:";
  const at = stderr.indexOf(marker);
  if (at < 0) {
    const tail = stderr.trim().split("\n").slice(-15).join("\n");
    return `${name}: nbconvert failed:\n${tail}`;
  }
  const rest = stderr.slice(at + marker.length);
  const start = rest.indexOf(rule);
  const end = rest.indexOf(`\n${rule}`, start + rule.length);
  const source = rest.slice(start + rule.length + 1, end).trim();
  const error = rest.slice(end + rule.length + 1).trim();
  const text = (c: CellSource) =>
    (Array.isArray(c.source) ? c.source.join("") : c.source).trim();
  const index = cells.findIndex((c) =>
    c.cell_type === "code" && text(c) === source
  );
  const where = index >= 0 ? `cell ${index + 1}` : "a cell";
  const firstLine = source.split("\n")[0];
  return `${name}: ${where} failed (${firstLine}${
    source.includes("\n") ? " …" : ""
  }):\n${error}`;
}

/** `html` (an nbconvert export) with plotly.js inlined at the end of `<head>`. */
export function withPlotly(html: string, file: string): string {
  const at = html.indexOf("</head>");
  if (at < 0) throw new Error(`${file}: no </head> in nbconvert's HTML`);
  return `${html.slice(0, at)}${plotlyScriptTag()}\n${html.slice(at)}`;
}

/**
 * Executes `notebook` headlessly into `outDir`: `<name>.ipynb` (executed
 * copy) and `<name>.html`. Both are made in a temporary folder and moved
 * into place only when both succeeded. Throws an Error naming the notebook
 * and the failing cell.
 */
export async function executeNotebook(
  notebook: string,
  outDir: string,
  env: Record<string, string>,
): Promise<ExecutedNotebook> {
  const name = path.basename(notebook, ".ipynb");
  ensureDir(outDir);
  const tmp = Deno.makeTempDirSync({ dir: outDir, prefix: `.${name}-` });
  const started = performance.now();
  try {
    const run = await output("jupyter", [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_S}`,
      "--ExecutePreprocessor.kernel_name=deno",
      "--output-dir",
      tmp,
      notebook,
    ], {
      cwd: path.dirname(notebook),
      env: { NO_COLOR: "1", [PLOTLY_INLINE_ENV]: "0", ...env },
    });
    if (!run.ok) {
      const cells = JSON.parse(Deno.readTextFileSync(notebook)).cells;
      throw new Error(describeFailure(notebook, cells, run.stderr));
    }
    const seconds = (performance.now() - started) / 1000;
    const executedTmp = path.join(tmp, `${name}.ipynb`);
    const html = await output("jupyter", [
      "nbconvert",
      "--to",
      "html",
      "--output-dir",
      tmp,
      executedTmp,
    ]);
    if (!html.ok) {
      throw new Error(
        `${name}.ipynb: HTML export failed:\n${
          html.stderr.trim().split("\n").slice(-10).join("\n")
        }`,
      );
    }
    const executed = path.join(outDir, `${name}.ipynb`);
    const htmlFile = path.join(outDir, `${name}.html`);
    const htmlTmp = path.join(tmp, `${name}.html`);
    Deno.writeTextFileSync(
      htmlTmp,
      withPlotly(Deno.readTextFileSync(htmlTmp), htmlTmp),
    );
    Deno.renameSync(executedTmp, executed);
    Deno.renameSync(htmlTmp, htmlFile);
    return { notebook, executed, html: htmlFile, seconds };
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
}

/**
 * Executes the selected notebooks in order (see
 * {@linkcode RunNotebooksOptions}), stopping at the first failure, which is
 * thrown as an Error naming the notebook and the cell.
 */
export async function runNotebooks(
  options: RunNotebooksOptions = {},
): Promise<ExecutedNotebook[]> {
  const log = options.log ?? ((s: string) => console.error(s));
  const notebooks = selectNotebooks(
    listNotebooks(options.notebooksDir),
    options.only,
  );
  const mode = options.mode ?? "full";
  const env: Record<string, string> = { SER_NOTEBOOK_MODE: mode };
  if (options.modelsDir) env.SER_MODELS_DIR = path.resolve(options.modelsDir);
  if (options.corpus) {
    const corpus = path.resolve(options.corpus);
    if (!exists(corpus)) throw new Error(`${corpus}: no such corpus folder`);
    env.SER_NOTEBOOK_CORPUS = corpus;
  }
  const missing = await notebookRunnerMissing();
  if (missing) throw new Error(missing);
  const outDir = options.outDir ?? NOTEBOOK_REPORTS_DIR;
  const done: ExecutedNotebook[] = [];
  for (const [i, nb] of notebooks.entries()) {
    log(
      `[${i + 1}/${notebooks.length}] ${path.basename(nb)} (${mode} mode) …`,
    );
    const result = await executeNotebook(nb, outDir, env);
    log(
      `[${i + 1}/${notebooks.length}] ${path.basename(nb)} done in ${
        formatDuration(result.seconds)
      } → ${path.relative(Deno.cwd(), result.html)}`,
    );
    done.push(result);
  }
  return done;
}
