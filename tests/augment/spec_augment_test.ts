import assert from "node:assert/strict";
import { freqMask, timeMask } from "../../lib/augment/mod.ts";

const FRAMES = 50;
const DIMS = 12;

/** A matrix with no cell equal to 0 or to its mean (576): cell (t, d) = 1.5 + t + 100·d. */
function matrix(): Float32Array {
  const m = new Float32Array(FRAMES * DIMS);
  for (let t = 0; t < FRAMES; t++) {
    for (let d = 0; d < DIMS; d++) m[t * DIMS + d] = 1.5 + t + 100 * d;
  }
  return m;
}

function mean(m: Float32Array): number {
  return m.reduce((a, v) => a + v, 0) / m.length;
}

/** Which frames (or dims) are entirely equal to `fill`, and that no other cell is. */
function masked(
  out: Float32Array,
  fill: number,
  axis: "time" | "freq",
): number[] {
  const lines: number[] = [];
  const n = axis === "time" ? FRAMES : DIMS;
  for (let j = 0; j < n; j++) {
    let all = true;
    for (let i = 0; i < (axis === "time" ? DIMS : FRAMES); i++) {
      const idx = axis === "time" ? j * DIMS + i : i * DIMS + j;
      if (out[idx] !== fill) all = false;
    }
    if (all) lines.push(j);
  }
  return lines;
}

Deno.test("timeMask masks exactly `width` consecutive frames", () => {
  const x = matrix();
  for (const width of [0, 1, 7, FRAMES]) {
    for (let seed = 0; seed < 5; seed++) {
      const y = timeMask(x, {
        dims: DIMS,
        width,
        rng: seed,
        maskValue: "zero",
      });
      const lines = masked(y, 0, "time");
      assert.equal(lines.length, width, `width ${width} seed ${seed}`);
      for (let i = 1; i < lines.length; i++) {
        assert.equal(lines[i], lines[i - 1] + 1);
      }
      // Everything else is untouched.
      let changed = 0;
      for (let i = 0; i < x.length; i++) if (y[i] !== x[i]) changed++;
      assert.equal(changed, width * DIMS);
    }
  }
});

Deno.test("freqMask masks exactly `width` consecutive dims in every frame, filled with the mean", () => {
  const x = matrix();
  const fill = Math.fround(mean(x));
  for (const width of [1, 3, DIMS]) {
    const y = freqMask(x, { dims: DIMS, width, rng: `f${width}` });
    const lines = masked(y, fill, "freq");
    assert.equal(lines.length, width);
    for (let i = 1; i < lines.length; i++) {
      assert.equal(lines[i], lines[i - 1] + 1);
    }
    let changed = 0;
    for (let i = 0; i < x.length; i++) if (y[i] !== x[i]) changed++;
    assert.equal(changed, width * FRAMES);
  }
});

Deno.test("mask positions cover every start, and count masks are drawn independently", () => {
  const x = matrix();
  const starts = new Set<number>();
  for (let seed = 0; seed < 200; seed++) {
    starts.add(
      masked(
        timeMask(x, { dims: DIMS, width: 45, rng: seed, maskValue: "zero" }),
        0,
        "time",
      )[0],
    );
  }
  assert.deepEqual([...starts].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
  const two = timeMask(x, {
    dims: DIMS,
    width: 3,
    count: 2,
    rng: 3,
    maskValue: "zero",
  });
  const n = masked(two, 0, "time").length;
  assert.ok(n >= 3 && n <= 6, `${n} frames masked by two 3-frame masks`);
});

Deno.test("SpecAugment rejects bad shapes and widths", () => {
  const x = matrix();
  assert.throws(
    () => timeMask(x, { dims: 7, width: 1, rng: 1 }),
    /timeMask: input length 600 is not a positive multiple of dims 7/,
  );
  assert.throws(
    () => timeMask(x, { dims: DIMS, width: FRAMES + 1, rng: 1 }),
    /timeMask: width 51 exceeds the 50 frames/,
  );
  assert.throws(
    () => freqMask(x, { dims: DIMS, width: DIMS + 1, rng: 1 }),
    /freqMask: width 13 exceeds the 12 dims/,
  );
  assert.throws(
    () => freqMask(x, { dims: DIMS, width: 1.5, rng: 1 }),
    /freqMask: option width must be an integer >= 0/,
  );
});

Deno.test("freqMask with channels blanks the same bands in every channel block", async () => {
  const { freqMask } = await import("../../lib/augment/mod.ts");
  const dims = 6; // 3 channels × 2 bands
  const x = Float32Array.from({ length: 4 * dims }, (_, i) => i + 1);
  const y = freqMask(x, {
    dims,
    width: 1,
    channels: 3,
    maskValue: "zero",
    rng: 5,
  });
  for (let t = 0; t < 4; t++) {
    const row = Array.from(y.subarray(t * dims, (t + 1) * dims));
    const zeros = row.map((v, d) => (v === 0 ? d % 2 : -1)).filter((b) =>
      b >= 0
    );
    assert.equal(zeros.length, 3, `row ${t}: ${row}`);
    assert.equal(new Set(zeros).size, 1, "the same band in every channel");
  }
  assert.throws(
    () => freqMask(x, { dims, width: 1, channels: 4, rng: 1 }),
    /6 dims do not split into 4 channels/,
  );
});
