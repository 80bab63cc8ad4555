import assert from "node:assert/strict";
import { rmsDb } from "../../lib/dsp/mod.ts";
import {
  peakLevelDb,
  SILENT_CLIP_DBFS,
  silentWindows,
  slidingWindows,
} from "../../lib/predict/mod.ts";

Deno.test("slidingWindows: hop-spaced windows, the last one aligned to the end", () => {
  assert.deepEqual(slidingWindows(10, 4, 2), [
    { start: 0, end: 4 },
    { start: 2, end: 6 },
    { start: 4, end: 8 },
    { start: 6, end: 10 },
  ]);
  // 11 samples: starts 0, 2, 4, 6, then one window ending at 11.
  assert.deepEqual(
    slidingWindows(11, 4, 2).map((w) => w.start),
    [0, 2, 4, 6, 7],
  );
  // Hop longer than the window leaves gaps between windows but still ends at n.
  assert.deepEqual(slidingWindows(10, 2, 5), [
    { start: 0, end: 2 },
    { start: 5, end: 7 },
    { start: 8, end: 10 },
  ]);
  assert.deepEqual(slidingWindows(3, 4, 2), [{ start: 0, end: 3 }]);
  assert.deepEqual(slidingWindows(4, 4, 2), [{ start: 0, end: 4 }]);
  assert.throws(
    () => slidingWindows(10, 0, 2),
    /window must be a positive integer/,
  );
  assert.throws(
    () => slidingWindows(10, 4, 1.5),
    /hop must be a positive integer/,
  );
});

Deno.test("rmsDb and peakLevelDb: known levels of a full-scale sine and silence", () => {
  const sr = 16000;
  const x = new Float32Array(sr);
  for (let i = 0; i < sr; i++) x[i] = Math.sin(2 * Math.PI * 400 * i / sr);
  // A full-scale sine has RMS 1/√2: −3.0103 dBFS.
  assert.ok(Math.abs(rmsDb(x) - -3.0103) < 1e-3);
  // 0.01 amplitude: −43.0103 dBFS, and the loudest 50 ms of a sine is the same.
  const quiet = x.map((v) => v * 0.01);
  assert.ok(Math.abs(peakLevelDb(quiet, sr) - -43.0103) < 1e-2);
  assert.equal(rmsDb(new Float32Array(100)), -Infinity);
  // A 50 ms burst in 1 s of silence: the peak level finds it.
  const burst = new Float32Array(sr);
  burst.set(x.subarray(0, 800).map((v) => v * 0.1), 8000);
  assert.ok(peakLevelDb(burst, sr) > -24 && peakLevelDb(burst, sr) < -22);
  assert.ok(SILENT_CLIP_DBFS < -60);
});

Deno.test("silentWindows: more than silenceDb below the loudest window", () => {
  const x = new Float32Array(400);
  x.fill(0.5, 0, 100); // −6 dBFS
  x.fill(0.005, 100, 200); // −46 dBFS: 40 dB down
  x.fill(0.05, 200, 300); // −26 dBFS: 20 dB down
  // 300–400 digital silence.
  const windows = [0, 100, 200, 300].map((s) => ({ start: s, end: s + 100 }));
  assert.deepEqual(silentWindows(x, windows), [false, true, false, true]);
  assert.deepEqual(silentWindows(x, windows, 45), [false, false, false, true]);
  assert.deepEqual(silentWindows(x, windows, 10), [false, true, true, true]);
});
