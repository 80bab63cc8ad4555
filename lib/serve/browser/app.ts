/// <reference lib="dom" />
/**
 * The page (bundled into `app.js`): the model picker, the live microphone
 * (getUserMedia → the `ser-capture` AudioWorklet → {@linkcode LiveTimeline}
 * with the model's window and a 0.5 s hop) and dropped or chosen files
 * (decoded and predicted exactly as `deno task predict` does), drawn with
 * the toolkit's own timeline figure. Every shown prediction is also an
 * element of `#predictions` (`data-start-s`, `data-end-s`, `data-emotion`,
 * `data-probabilities`, `data-silent`; live ones add `data-latency-ms`, chunk
 * arrival to chart drawn, `data-dom-ms`, chunk arrival to the prediction
 * shown in the top emotion and the list, and `data-compute-ms`, features and
 * model).
 * Failures are shown on the page, never only in the console.
 *
 * @module
 */
import { decodeAudioBytes } from "../../audio/decode.ts";
import { encodeWav } from "../../audio/encode.ts";
import { predictionTimelineFigure } from "../../plots/timeline.ts";
import type { Figure } from "../../plots/figure.ts";
import { LiveTimeline } from "../../predict/live.ts";
import type { TimelineWindow } from "../../predict/samples.ts";
import { ASSETS } from "../protocol.ts";
import { drawLiveChart } from "./live_chart.ts";
import { fetchModelList, openModel, type PageModel } from "./model.ts";

/** The part of the global `Plotly` (the served plotly.min.js) used here. */
declare const Plotly: {
  react(
    div: HTMLElement,
    data: unknown[],
    layout: Record<string, unknown>,
    config?: Record<string, unknown>,
  ): Promise<unknown>;
  relayout(div: HTMLElement, update: Record<string, unknown>): Promise<unknown>;
  purge(div: HTMLElement): void;
};

/** Seconds of live timeline kept in view. */
const LIVE_VIEW_S = 30;

/** Longest microphone recording kept for download, in seconds. */
const MAX_RECORDING_S = 600;

const $ = <T extends HTMLElement>(id: string) =>
  document.getElementById(id) as T;
const ui = {
  model: $<HTMLSelectElement>("model"),
  status: $("status"),
  start: $<HTMLButtonElement>("start"),
  stop: $<HTMLButtonElement>("stop"),
  meter: $("meter-bar"),
  drop: $("drop"),
  file: $<HTMLInputElement>("file"),
  player: $<HTMLAudioElement>("player"),
  error: $("error"),
  recording: $<HTMLAnchorElement>("recording"),
  top: $("top"),
  chart: $("chart"),
  liveChart: $<HTMLCanvasElement>("live-chart"),
  predictions: $("predictions"),
};

let model: PageModel | null = null;
let mic: MicSession | null = null;
let figure: Figure | null = null;

function showError(message: string | null): void {
  ui.error.textContent = message ?? "";
  ui.error.classList.toggle("shown", message !== null);
}

function setTop(emotion: string, note: string, silent = false): void {
  ui.top.replaceChildren(emotion);
  const small = document.createElement("small");
  small.textContent = note;
  ui.top.append(small);
  ui.top.classList.toggle("silent", silent);
}

function percent(p: number): string {
  return `${(100 * p).toFixed(0)}%`;
}

/** The `#predictions` element of one window. */
function predictionElement(
  w: TimelineWindow,
  extra: Record<string, string> = {},
): HTMLElement {
  const el = document.createElement("div");
  el.dataset.startS = String(w.start_s);
  el.dataset.endS = String(w.end_s);
  el.dataset.emotion = w.emotion;
  el.dataset.probabilities = JSON.stringify(w.probabilities);
  el.dataset.silent = String(w.silent === true);
  Object.assign(el.dataset, extra);
  el.textContent = `${w.start_s.toFixed(2)}–${w.end_s.toFixed(2)} s  ${
    w.silent ? "(silent) " : ""
  }${w.emotion} ${percent(w.probabilities[w.emotion])}`;
  return el;
}

async function draw(
  windows: readonly TimelineWindow[],
  xRange?: [number, number],
): Promise<void> {
  if (windows.length === 0) return;
  figure = predictionTimelineFigure(windows);
  const layout = { ...figure.layout, height: 420 } as Record<string, unknown>;
  if (xRange) {
    layout.xaxis = { ...(layout.xaxis as object), range: xRange };
  }
  await Plotly.react(ui.chart, figure.data, layout, {
    responsive: true,
    displaylogo: false,
  });
}

function clearResults(): void {
  ui.predictions.replaceChildren();
  Plotly.purge(ui.chart);
  figure = null;
}

// ---- model -------------------------------------------------------------

async function loadModel(id: string): Promise<void> {
  stopMic();
  model?.predictor.dispose();
  model = null;
  setBusy(true);
  ui.status.textContent = `loading ${id}…`;
  try {
    model = await openModel(id);
    const p = model.predictor;
    ui.status.textContent = `${p.labels.length} classes · window ${
      p.windowS.toFixed(2)
    } s · ${model.backend}`;
    showError(null);
  } catch (err) {
    ui.status.textContent = "no model";
    showError(`Model ${id} cannot be opened: ${(err as Error).message}`);
  } finally {
    setBusy(false);
  }
}

function setBusy(busy: boolean): void {
  const ready = !busy && model !== null;
  ui.start.disabled = !ready || mic !== null;
  ui.stop.disabled = mic === null;
  ui.file.disabled = !ready;
}

async function init(): Promise<void> {
  let list;
  try {
    list = await fetchModelList();
  } catch (err) {
    showError(`The server cannot list models: ${(err as Error).message}`);
    ui.status.textContent = "no model";
    return;
  }
  for (const m of list.models) {
    const option = document.createElement("option");
    option.value = m.id;
    option.textContent = m.id + (m.default ? " (default)" : "");
    ui.model.append(option);
  }
  if (list.error || list.models.length === 0) {
    ui.status.textContent = "no model";
    showError(list.error ?? "No model found.");
    return;
  }
  await loadModel(list.models[0].id);
}

ui.model.addEventListener("change", () => loadModel(ui.model.value));

// ---- microphone --------------------------------------------------------

interface MicSession {
  stream: MediaStream;
  context: AudioContext;
  node: AudioWorkletNode;
  live: LiveTimeline;
  /** What the microphone gave, at the context's rate (for the download). */
  chunks: Float32Array[];
  frames: number;
}

function micError(err: unknown): string {
  const name = (err as { name?: string }).name ?? "";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "Microphone permission denied: allow this page to use the microphone (the icon in the address bar, or the site settings) and press Start again.";
  }
  if (
    name === "NotFoundError" || name === "OverconstrainedError" ||
    name === "NotReadableError"
  ) {
    return name === "NotReadableError"
      ? "The microphone is busy or unavailable (another program may hold it)."
      : "No microphone found: connect one and press Start again.";
  }
  return `The microphone could not start: ${(err as Error).message ?? err}`;
}

function levelDb(chunk: Float32Array): number {
  let sum = 0;
  for (const v of chunk) sum += v * v;
  return 10 * Math.log10(sum / chunk.length + 1e-12);
}

async function startMic(): Promise<void> {
  if (!model) return;
  showError(null);
  if (!navigator.mediaDevices?.getUserMedia) {
    showError(
      "This browser gives no microphone to this page (open it as http://localhost or http://127.0.0.1).",
    );
    return;
  }
  ui.start.disabled = true;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
        channelCount: 1,
      },
    });
  } catch (err) {
    showError(micError(err));
    setBusy(false);
    return;
  }
  const context = new AudioContext();
  await context.audioWorklet.addModule(ASSETS.worklet);
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, "ser-capture", {
    numberOfOutputs: 1,
  });
  const mute = context.createGain();
  mute.gain.value = 0;
  source.connect(node).connect(mute).connect(context.destination);
  const live = new LiveTimeline(model.predictor, context.sampleRate);
  mic = { stream, context, node, live, chunks: [], frames: 0 };
  clearResults();
  showLiveChart(true);
  ui.recording.hidden = true;
  setTop("listening…", `window ${model.predictor.windowS.toFixed(2)} s`);
  node.port.onmessage = (e: MessageEvent<Float32Array>) => onChunk(e.data);
  setBusy(false);
}

/** Chunks are handled one at a time, in order. */
let pending: Promise<void> = Promise.resolve();

function onChunk(chunk: Float32Array): void {
  const arrived = performance.now();
  ui.meter.style.width = `${
    Math.max(0, Math.min(100, (levelDb(chunk) + 60) * 100 / 60))
  }%`;
  pending = pending.then(() => handleChunk(chunk, arrived)).catch((err) => {
    stopMic();
    showError(`Live prediction stopped: ${(err as Error).message}`);
  });
}

function handleChunk(chunk: Float32Array, arrived: number): void {
  const session = mic;
  if (!session) return;
  if (session.frames < MAX_RECORDING_S * session.context.sampleRate) {
    session.chunks.push(chunk);
    session.frames += chunk.length;
  }
  const t0 = performance.now();
  const update = session.live.push(chunk);
  if (update.windows.length === 0) return;
  const computed = performance.now() - t0;
  showLive(session.live, update.windows, update.silent);
  const shownMs = performance.now() - arrived;
  drawLiveChart(
    ui.liveChart,
    session.live.windows,
    model?.predictor.labels ?? [],
    LIVE_VIEW_S,
  );
  const latency = performance.now() - arrived;
  const els = ui.predictions.children;
  for (let i = els.length - update.windows.length; i < els.length; i++) {
    const el = els[i] as HTMLElement;
    el.dataset.computeMs = computed.toFixed(2);
    el.dataset.latencyMs = latency.toFixed(2);
    el.dataset.domMs = shownMs.toFixed(2);
    el.dataset.shownAtMs = performance.now().toFixed(1);
  }
}

/** Adds the new windows to `#predictions`, re-marks silence, sets the top emotion. */
function showLive(
  live: LiveTimeline,
  added: readonly TimelineWindow[],
  silent: readonly boolean[],
): void {
  for (const w of added) ui.predictions.append(predictionElement(w));
  // Marks of earlier windows change when louder speech arrives.
  [...ui.predictions.children].forEach((el, i) => {
    const s = String(silent[i] === true);
    const d = (el as HTMLElement).dataset;
    if (d.silent !== s) {
      d.silent = s;
      const w = live.windows[i];
      el.replaceWith(predictionElement(w, { ...d, silent: s }));
    }
  });
  const last = live.windows[live.windows.length - 1];
  if (last.silent) setTop("silence", "the last window is quiet", true);
  else {
    setTop(
      last.emotion,
      `${percent(last.probabilities[last.emotion])} · ${
        last.start_s.toFixed(1)
      }–${last.end_s.toFixed(1)} s`,
    );
  }
}

/** The canvas live chart while listening, else the Plotly timeline. */
function showLiveChart(on: boolean): void {
  ui.liveChart.hidden = !on;
  ui.chart.hidden = on;
}

function stopMic(): void {
  const session = mic;
  if (!session) return;
  mic = null;
  session.node.port.onmessage = null;
  session.stream.getTracks().forEach((t) => t.stop());
  session.context.close();
  ui.meter.style.width = "0";
  pending = pending.then(async () => {
    const update = session.live.finish();
    if (update.windows.length > 0) {
      showLive(session.live, update.windows, update.silent);
    }
    // The whole recording as the file view shows it.
    showLiveChart(false);
    await draw(session.live.windows);
    offerRecording(session);
  });
  setBusy(false);
}

/** A float WAV of what the microphone gave, behind the download link. */
function offerRecording(session: MicSession): void {
  if (session.frames === 0) return;
  const samples = new Float32Array(session.frames);
  let offset = 0;
  for (const c of session.chunks) {
    samples.set(c, offset);
    offset += c.length;
  }
  const wav = encodeWav(samples, session.context.sampleRate, {
    format: "float",
  });
  if (ui.recording.href) URL.revokeObjectURL(ui.recording.href);
  ui.recording.href = URL.createObjectURL(
    new Blob([wav as Uint8Array<ArrayBuffer>], { type: "audio/wav" }),
  );
  ui.recording.textContent = `Download what the microphone heard (${
    (session.frames / session.context.sampleRate).toFixed(1)
  } s, WAV)`;
  ui.recording.hidden = false;
}

ui.start.addEventListener("click", () => void startMic());
ui.stop.addEventListener("click", () => stopMic());

// ---- files -------------------------------------------------------------

let cursorTimer: ReturnType<typeof setInterval> | undefined;

async function predictFile(file: File): Promise<void> {
  if (!model) return;
  stopMic();
  showLiveChart(false);
  showError(null);
  clearResults();
  const predictor = model.predictor;
  setTop("…", `reading ${file.name}`);
  let prediction;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const audio = await decodeAudioBytes(bytes, file.name, {
      sr: predictor.featureConfig.sr,
    });
    prediction = predictor.predictSamples(audio.samples, audio.sr, {
      source: file.name,
    });
  } catch (err) {
    setTop("—", "no prediction");
    showError(`Cannot predict ${file.name}: ${(err as Error).message}`);
    return;
  }
  const windows: TimelineWindow[] = prediction.timeline ?? [{
    start_s: 0,
    end_s: Math.round(prediction.durationS * 1000) / 1000,
    emotion: prediction.emotion,
    probabilities: prediction.probabilities,
  }];
  for (const w of windows) ui.predictions.append(predictionElement(w));
  ui.predictions.dataset.verdict = prediction.emotion;
  ui.predictions.dataset.verdictProbabilities = JSON.stringify(
    prediction.probabilities,
  );
  setTop(
    prediction.emotion,
    `${file.name} · ${
      percent(prediction.probabilities[prediction.emotion])
    } · ${prediction.durationS.toFixed(1)} s${
      prediction.timeline ? ` · ${windows.length} windows` : ""
    }`,
  );
  await draw(windows);
  if (ui.player.src) URL.revokeObjectURL(ui.player.src);
  ui.player.src = URL.createObjectURL(file);
  ui.player.hidden = false;
}

/** Moves the chart's cursor line to the player's time. */
function moveCursor(): void {
  if (!figure) return;
  const t = ui.player.currentTime;
  ui.chart.dataset.cursorS = t.toFixed(3);
  const shapes = [
    ...((figure.layout.shapes as unknown[]) ?? []),
    {
      type: "line",
      xref: "x",
      yref: "paper",
      x0: t,
      x1: t,
      y0: 0,
      y1: 1,
      line: { color: "#d32f2f", width: 2 },
    },
  ];
  void Plotly.relayout(ui.chart, { shapes });
}

ui.player.addEventListener("play", () => {
  clearInterval(cursorTimer);
  cursorTimer = setInterval(moveCursor, 100);
});
for (const ev of ["pause", "ended", "seeked"]) {
  ui.player.addEventListener(ev, () => {
    if (ev !== "seeked") clearInterval(cursorTimer);
    moveCursor();
  });
}

ui.file.addEventListener("change", () => {
  const f = ui.file.files?.[0];
  if (f) void predictFile(f);
});
ui.drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  ui.drop.classList.add("over");
});
ui.drop.addEventListener("dragleave", () => ui.drop.classList.remove("over"));
ui.drop.addEventListener("drop", (e) => {
  e.preventDefault();
  ui.drop.classList.remove("over");
  const f = e.dataTransfer?.files[0];
  if (!f) return;
  if (!model) {
    showError("No model is loaded: pick one first.");
    return;
  }
  void predictFile(f);
});

void init();
