import assert from "node:assert/strict";
import { logMelSpectrogram, mfcc } from "../../lib/features/mod.ts";
import { createRng } from "../../lib/random.ts";

const rng = createRng("librosa-defaults");
const y = Float32Array.from({ length: 22050 }, () => 0.1 * rng.normal());

Deno.test("mfcc and logMelSpectrogram take librosa's defaults for what is left out", () => {
  const explicit = {
    sr: 22050,
    nFft: 2048,
    winLength: 2048,
    hopLength: 512,
    nMels: 128,
    fmin: 0,
    fmax: 11025,
  };
  const m = mfcc(y, { sr: 22050 });
  assert.equal(m.dims, 20);
  assert.equal(m.frames, 1 + Math.floor(y.length / 512));
  assert.deepEqual(m.data, mfcc(y, { ...explicit, nMfcc: 20 }).data);
  const db = logMelSpectrogram(y, { sr: 22050 });
  assert.equal(db.dims, 128);
  assert.deepEqual(db.data, logMelSpectrogram(y, explicit).data);
  // hopLength defaults to winLength / 4.
  assert.equal(
    mfcc(y, { sr: 22050, nFft: 1024, winLength: 800 }).frames,
    1 + Math.floor(y.length / 200),
  );
});

Deno.test("mfcc: bad nMfcc and hopLength are errors naming the function", () => {
  assert.throws(
    () => mfcc(y, { sr: 22050, nMels: 40, nMfcc: 41 }),
    /mfcc: need an integer 0 < nMfcc ≤ nMels, got 41, 40/,
  );
  assert.throws(
    () => mfcc(y, { sr: 22050, nMfcc: 0 }),
    /mfcc: need an integer 0 < nMfcc ≤ nMels/,
  );
  assert.throws(
    () => logMelSpectrogram(y, { sr: 22050, hopLength: 0 }),
    /logMelSpectrogram: hopLength must be a positive integer, got 0/,
  );
});
