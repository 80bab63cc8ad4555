import assert from "node:assert/strict";
import {
  checkModelInput,
  CONV1D_MODEL_CONFIG,
  mergeModelConfig,
  validateModelConfig,
} from "../../lib/model/config.ts";
import { resolveRecipe } from "../../lib/model/recipe.ts";

const conv2d = mergeModelConfig(CONV1D_MODEL_CONFIG, {
  conv: {
    kind: "2d",
    filters: [16, 32, 64, 128],
    kernelSize: 3,
    poolSize: 2,
    inputChannels: 3,
  },
});

Deno.test("validateModelConfig refuses what cannot be built, naming the field", () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["1d with input channels", { inputChannels: 3 }, /conv\.inputChannels/],
    ["2d with 4 channels", { kind: "2d", inputChannels: 4 }, /within 1–3/],
    ["1d with a pooling pair", { poolSize: [2, 1] }, /one number for 1d/],
    ["a pooling triple", { kind: "2d", poolSize: [2, 2, 2] }, /\[time, freq/],
    ["a pooling size 0", { kind: "2d", poolSize: [0, 2] }, /poolSize\[0\]/],
    ["an unknown block", { block: "dense" }, /conv\.block/],
  ];
  for (const [what, conv, error] of bad) {
    const config = {
      ...CONV1D_MODEL_CONFIG,
      conv: { ...CONV1D_MODEL_CONFIG.conv, ...conv },
    };
    assert.throws(() => validateModelConfig(config), error, what);
  }
  assert.throws(
    () => validateModelConfig({ ...CONV1D_MODEL_CONFIG, pooling: "max" }),
    /model\.pooling: must be one of "last", "mean", "attention", "stats"/,
  );
  const ok = mergeModelConfig(conv2d, {
    conv: { poolSize: [1, 2], block: "residual" },
    pooling: "stats",
  });
  assert.deepEqual(validateModelConfig(structuredClone(ok)), ok);
});

Deno.test("a card written before conv.block and conv.inputChannels validates as what it was built with", () => {
  const { block: _b, inputChannels: _c, ...old } = CONV1D_MODEL_CONFIG.conv;
  const config = validateModelConfig({ ...CONV1D_MODEL_CONFIG, conv: old });
  assert.equal(config.conv.block, "plain");
  assert.equal(config.conv.inputChannels, 1);
});

Deno.test("checkModelInput: the LSTM's input, or why the input does not fit", () => {
  // 300 frames × 64 bands × 3 channels, pooled 2×2 four times: 18 × 4 × 128.
  assert.deepEqual(checkModelInput(conv2d, { frames: 300, dims: 192 }), {
    steps: 18,
    width: 512,
  });
  // Frequency-only pooling keeps every frame.
  const freqOnly = mergeModelConfig(conv2d, { conv: { poolSize: [1, 2] } });
  assert.deepEqual(checkModelInput(freqOnly, { frames: 300, dims: 192 }), {
    steps: 300,
    width: 512,
  });
  // One channel: the 192 dims are one frequency axis.
  const stacked = mergeModelConfig(conv2d, { conv: { inputChannels: 1 } });
  assert.deepEqual(checkModelInput(stacked, { frames: 300, dims: 192 }), {
    steps: 18,
    width: 12 * 128,
  });
  assert.deepEqual(
    checkModelInput(CONV1D_MODEL_CONFIG, { frames: 300, dims: 120 }),
    { steps: 75, width: 128 },
  );
  assert.throws(
    () => checkModelInput(conv2d, { frames: 300, dims: 100 }),
    /model\.conv\.inputChannels: 3 channels do not divide the 100 feature dims/,
  );
  assert.throws(
    () => checkModelInput(conv2d, { frames: 12, dims: 192 }),
    /model\.conv\.poolSize: after block 4 of 4, .* no time step of the 12 frames/,
  );
  assert.throws(
    () => checkModelInput(conv2d, { frames: 300, dims: 3 * 12 }),
    /after block 4 of 4, .* no frequency band of the 12/,
  );
});

Deno.test("resolveRecipe refuses a model that cannot take the recipe's features", () => {
  const anchor = { conv: conv2d.conv };
  // log-mel 64 + Δ + ΔΔ: three channels of 64 bands.
  const recipe = resolveRecipe([{
    features: { kind: "logmel" },
    model: anchor,
  }]);
  assert.equal(recipe.model.conv.inputChannels, 3);
  assert.throws(
    () =>
      resolveRecipe(
        [{ features: { deltaOrder: 1 }, model: anchor }],
        "run.json",
      ),
    /run\.json model\.conv\.inputChannels: must be 1 or 1 \+ features\.deltaOrder \(2/,
  );
  assert.throws(
    () =>
      resolveRecipe(
        [{ features: { kind: "logmel", frames: 10 }, model: anchor }],
        "run.json",
      ),
    /run\.json model\.conv\.poolSize: after block 4 of 4/,
  );
});
