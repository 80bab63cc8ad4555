/**
 * The page's HTML: one document with the model picker, the microphone
 * controls and level meter, the file chooser and drop zone, the current top
 * emotion, the chart, the player and the `#predictions` list (every shown
 * prediction as an element with `data-start-s`, `data-end-s`,
 * `data-emotion`, `data-probabilities` — the hook tests read). No remote
 * resource: the scripts are the server's own assets.
 *
 * @module
 */
import { ASSETS } from "./protocol.ts";

/** The page, served at `/`. */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Speech emotion — live</title>
<link rel="icon" href="data:,">
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
  header { padding: 12px 20px; background: #263238; color: #fff; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0 12px 0 0; font-weight: 600; }
  header select { font-size: 14px; max-width: 420px; }
  #status { font-size: 13px; opacity: .85; }
  main { padding: 12px 20px; display: grid; grid-template-columns: 300px 1fr; gap: 20px; }
  section.controls > div { margin-bottom: 16px; }
  button { font-size: 15px; padding: 6px 14px; cursor: pointer; }
  #meter { height: 10px; background: #e0e0e0; border-radius: 5px; overflow: hidden; margin-top: 8px; }
  #meter-bar { height: 100%; width: 0; background: linear-gradient(90deg, #43a047, #fdd835 70%, #e53935); transition: width 60ms linear; }
  #drop { border: 2px dashed #90a4ae; border-radius: 8px; padding: 18px; text-align: center; color: #546e7a; }
  #drop.over { background: #eceff1; border-color: #263238; }
  #top { font-size: 46px; font-weight: 700; letter-spacing: .02em; min-height: 60px; }
  #top small { display: block; font-size: 14px; font-weight: 400; color: #666; letter-spacing: 0; }
  #top.silent { color: #9e9e9e; }
  #error { display: none; background: #ffebee; color: #b71c1c; border: 1px solid #ef9a9a; padding: 10px 14px; border-radius: 6px; margin-bottom: 12px; }
  #error.shown { display: block; }
  #chart { height: 420px; }
  #live-chart { width: 100%; height: 420px; }
  audio { width: 100%; margin-top: 8px; }
  details { margin-top: 10px; font-size: 13px; }
  #predictions { max-height: 220px; overflow: auto; font-family: ui-monospace, monospace; }
  #predictions > div[data-silent="true"] { color: #9e9e9e; }
</style>
</head>
<body>
<header>
  <h1>Speech emotion</h1>
  <label>model <select id="model" aria-label="model"></select></label>
  <span id="status">loading…</span>
</header>
<main>
  <section class="controls">
    <div>
      <button id="start" disabled>Start microphone</button>
      <button id="stop" disabled>Stop</button>
      <div id="meter" title="microphone level"><div id="meter-bar"></div></div>
      <p><a id="recording" download="microphone.wav" hidden></a></p>
    </div>
    <div id="drop">Drop a recording here (wav, mp3, flac, ogg)<br>or <input id="file" type="file" accept="audio/*,.wav,.mp3,.flac,.ogg" disabled></div>
    <div>
      <audio id="player" controls hidden></audio>
    </div>
    <p style="font-size:13px;color:#555">Everything runs in this page: decoding, resampling, the model card's
    features and the model (TF.js, wasm). No audio leaves the machine.</p>
  </section>
  <section>
    <div id="error" role="alert"></div>
    <div id="top" aria-live="polite">—<small>start the microphone or drop a file</small></div>
    <div id="chart"></div>
    <canvas id="live-chart" hidden></canvas>
    <details><summary>windows</summary><div id="predictions"></div></details>
  </section>
</main>
<script src="${ASSETS.plotly}"></script>
<script type="module" src="${ASSETS.app}"></script>
</body>
</html>
`;
}
