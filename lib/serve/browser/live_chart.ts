/**
 * The live chart: each class's probability over the last seconds, drawn on a
 * canvas (about a millisecond per update, where a Plotly redraw of the full
 * timeline takes tens), silent windows shaded. The page switches to the
 * Plotly timeline when the microphone stops.
 *
 * @module
 */
import { labelColor } from "../../plots/figure.ts";
import type { TimelineWindow } from "../../predict/samples.ts";

const MARGIN = { left: 34, right: 96, top: 8, bottom: 22 };

/**
 * Draws `windows` (in time order) on `canvas` over the last `viewS` seconds
 * up to the last window's end: one line per label of `labels` at the window
 * centres, grey bands over silent windows, a legend on the right.
 */
export function drawLiveChart(
  canvas: HTMLCanvasElement,
  windows: readonly TimelineWindow[],
  labels: readonly string[],
  viewS: number,
): void {
  const ctx = canvas.getContext("2d");
  if (!ctx || windows.length === 0) return;
  const ratio = globalThis.devicePixelRatio ?? 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const w = canvas.clientWidth - MARGIN.left - MARGIN.right;
  const h = canvas.clientHeight - MARGIN.top - MARGIN.bottom;
  const end = windows[windows.length - 1].end_s;
  const start = Math.max(0, end - viewS);
  const span = Math.max(end - start, 1e-3);
  const x = (t: number) => MARGIN.left + ((t - start) / span) * w;
  const y = (p: number) => MARGIN.top + (1 - p) * h;
  ctx.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#eee";
  for (const win of windows) {
    if (win.silent && win.end_s > start) {
      ctx.fillRect(
        x(Math.max(win.start_s, start)),
        MARGIN.top,
        x(win.end_s) - x(Math.max(win.start_s, start)),
        h,
      );
    }
  }
  ctx.strokeStyle = "#ccc";
  ctx.fillStyle = "#555";
  ctx.lineWidth = 1;
  for (const p of [0, 0.5, 1]) {
    ctx.beginPath();
    ctx.moveTo(MARGIN.left, y(p));
    ctx.lineTo(MARGIN.left + w, y(p));
    ctx.stroke();
    ctx.fillText(p.toFixed(1), 6, y(p) + 4);
  }
  for (let t = Math.ceil(start / 5) * 5; t <= end; t += 5) {
    ctx.fillText(`${t} s`, x(t) - 8, MARGIN.top + h + 16);
  }
  const shown = windows.filter((win) => win.end_s >= start);
  labels.forEach((label, i) => {
    const color = labelColor(label, i);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    shown.forEach((win, k) => {
      const px = x((win.start_s + win.end_s) / 2);
      const py = y(win.probabilities[label] ?? 0);
      if (k === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.stroke();
    ctx.fillStyle = color;
    const ly = MARGIN.top + 6 + i * 15;
    ctx.fillRect(MARGIN.left + w + 10, ly - 6, 10, 10);
    ctx.fillStyle = "#333";
    ctx.fillText(label, MARGIN.left + w + 24, ly + 3);
  });
}
