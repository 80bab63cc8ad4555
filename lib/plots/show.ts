/**
 * `show(...)`: the one output call of the notebooks. It displays figures
 * (`displayFigure`), audio players (`audioDisplay`), any other value with a
 * Jupyter display bundle, and text (tables from `df.toString()`, reports) as
 * `text/plain` — then lets the kernel send them before the cell ends.
 *
 * Why not `console.log` and a bare `Deno.jupyter.display`: the Deno kernel
 * sends both after the call returns, and a headless runner (nbclient, as in
 * `deno task notebooks`) drops messages still in flight when the cell
 * finishes. Measured here with nbconvert 6.5 / nbclient 0.7 and Deno 2.9.6:
 * 8 and 5 of 300 display messages lost in two runs without a pause at the
 * end of each cell (always a cell's last message); 0 of 800 through `show`.
 *
 * @module
 */

/** Milliseconds `show` waits after displaying, for the kernel to send. */
export const SHOW_SETTLE_MS = 30;

/** The part of `Deno.jupyter` that `show` uses (replaceable in tests). */
export interface JupyterDisplay {
  /** `Deno.jupyter.display`. */
  display(value: unknown, options?: { raw?: boolean }): Promise<void>;
}

/** The kernel's `Deno.jupyter`, or an Error saying why it is unavailable. */
function kernel(): JupyterDisplay {
  try {
    return Deno.jupyter;
  } catch (err) {
    throw new Error(`show: ${(err as Error).message}`);
  }
}

/**
 * Displays each value in order — a string as plain text, anything else
 * through its Jupyter display bundle — then waits
 * {@linkcode SHOW_SETTLE_MS} so the messages leave before the cell ends.
 * Throws outside the Deno Jupyter kernel.
 */
export async function show(
  ...values: unknown[]
): Promise<void> {
  await showWith(kernel(), values);
}

/** {@linkcode show} on an explicit display target (used by the tests). */
export async function showWith(
  target: JupyterDisplay,
  values: readonly unknown[],
): Promise<void> {
  for (const value of values) {
    if (typeof value === "string") {
      await target.display({ "text/plain": value }, { raw: true });
    } else {
      await target.display(value);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, SHOW_SETTLE_MS));
}
