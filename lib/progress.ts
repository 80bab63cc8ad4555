/**
 * Progress reporting for long work: a redrawn bar on a terminal, plain
 * periodic lines when output is not a TTY (CI, logs, notebooks).
 *
 * @module
 */

/** Options for {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Label printed before the bar, e.g. `features`. */
  label: string;
  /** Total number of steps. */
  total: number;
  /** Force bar (`tty`) or plain lines (`plain`); default: detect from stderr. */
  mode?: "tty" | "plain" | "silent";
  /** Plain mode prints a line at most every this many ms (default 2000). */
  plainIntervalMs?: number;
  /** Where to write (default stderr). */
  write?: (text: string) => void;
}

/** A running progress display. */
export interface Progress {
  /** Advances by `n` steps (default 1) and sets an optional status text. */
  tick(n?: number, status?: string): void;
  /** Sets the status text without advancing. */
  status(text: string): void;
  /** Finishes the display with a final line. */
  done(status?: string): void;
}

const encoder = new TextEncoder();

function defaultWrite(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}

/** Formats seconds as `m:ss` (or `h:mm:ss`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Creates a progress display; see {@linkcode ProgressOptions}. */
export function createProgress(options: ProgressOptions): Progress {
  const write = options.write ?? defaultWrite;
  const mode = options.mode ??
    (Deno.stderr.isTerminal() && !Deno.env.get("CI") ? "tty" : "plain");
  const interval = options.plainIntervalMs ?? 2000;
  const start = performance.now();
  let current = 0;
  let text = "";
  let lastPlain = -Infinity;

  const line = (final: boolean): string => {
    const total = Math.max(options.total, 1);
    const frac = Math.min(current / total, 1);
    const elapsed = (performance.now() - start) / 1000;
    const eta = current > 0
      ? elapsed / current * (options.total - current)
      : NaN;
    const timing = final
      ? `${formatDuration(elapsed)}`
      : `${formatDuration(elapsed)} eta ${formatDuration(eta)}`;
    const pct = `${(frac * 100).toFixed(0).padStart(3)}%`;
    if (mode === "tty") {
      const width = 24;
      const filled = Math.round(frac * width);
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      return `${options.label} ${bar} ${pct} ${current}/${options.total} ${timing}${
        text ? " " + text : ""
      }`;
    }
    return `${options.label}: ${current}/${options.total} ${pct.trim()} ${timing}${
      text ? " " + text : ""
    }`;
  };

  const render = (final = false) => {
    if (mode === "silent") return;
    if (mode === "tty") {
      write(`\r\x1b[2K${line(final)}${final ? "\n" : ""}`);
      return;
    }
    const now = performance.now();
    if (final || now - lastPlain >= interval) {
      lastPlain = now;
      write(line(final) + "\n");
    }
  };

  return {
    tick(n = 1, status?: string) {
      current += n;
      if (status !== undefined) text = status;
      render();
    },
    status(s: string) {
      text = s;
      render();
    },
    done(status?: string) {
      if (status !== undefined) text = status;
      render(true);
    },
  };
}
