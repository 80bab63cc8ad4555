import assert from "node:assert/strict";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { buildModel } from "../../lib/model/cnn_lstm.ts";
import {
  CONV1D_MODEL_CONFIG,
  mergeModelConfig,
} from "../../lib/model/config.ts";
import {
  loadLayersModelDir,
  saveLayersModel,
  WEIGHTS_BIN,
} from "../../lib/model/io.ts";
import { withSeededMathRandom } from "../../lib/random.ts";

const INPUT = { frames: 24, dims: 12 };
const small = mergeModelConfig(CONV1D_MODEL_CONFIG, {
  conv: { filters: [8, 8] },
  rnn: { units: 8 },
  pooling: "attention",
  dense: [8],
});
/** The 2-D options: Δ channels, residual blocks, [time, frequency] pooling, stats pooling. */
const small2d = mergeModelConfig(small, {
  conv: {
    kind: "2d",
    filters: [4, 8],
    kernelSize: 3,
    poolSize: [2, 1],
    block: "residual",
    inputChannels: 3,
    dropout: 0.2,
  },
  rnn: { bidirectional: true },
  pooling: "stats",
  dense: [],
});

/** Serves `dir` on 127.0.0.1 (loopback only) until the returned server is shut down. */
function serveDir(dir: string) {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const name = path.basename(new URL(req.url).pathname);
      try {
        return new Response(await Deno.readFile(path.join(dir, name)));
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
}

for (const [name, config] of [["1d", small], ["2d", small2d]] as const) {
  Deno.test(`a saved model loads in a fresh stock TF.js process with no project code: ${name}`, async () => {
    await initBackend();
    const dir = await Deno.makeTempDir();
    const model = await withSeededMathRandom(
      1,
      () => buildModel(config, INPUT, 4),
    );
    await saveLayersModel(model, dir);
    const x = Array.from(
      { length: 2 * INPUT.frames * INPUT.dims },
      (_, i) => Math.sin(i * 0.37),
    );
    const ours = Array.from(
      (model.predict(
        tf.tensor3d(x, [2, INPUT.frames, INPUT.dims]),
      ) as tf.Tensor)
        .dataSync(),
    );
    const server = serveDir(dir);
    try {
      const script = `
      import * as tf from "npm:@tensorflow/tfjs@4.22.0";
      await tf.setBackend("cpu");
      const model = await tf.loadLayersModel(Deno.args[0]);
      const x = tf.tensor3d(JSON.parse(Deno.args[1]), [2, ${INPUT.frames}, ${INPUT.dims}]);
      console.log(JSON.stringify(Array.from(model.predict(x).dataSync())));
    `;
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "eval",
          script,
          `http://127.0.0.1:${server.addr.port}/model.json`,
          JSON.stringify(x),
        ],
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      const theirs = JSON.parse(
        new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!,
      );
      assert.equal(theirs.length, ours.length);
      theirs.forEach((v: number, i: number) =>
        assert.ok(
          Math.abs(v - ours[i]) < 1e-5,
          `output ${i}: ${v} vs ${ours[i]}`,
        )
      );
    } finally {
      await server.shutdown();
      model.dispose();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("loadLayersModelDir round-trips and names what is missing", async () => {
  await initBackend();
  const dir = await Deno.makeTempDir();
  try {
    const model = await withSeededMathRandom(
      2,
      () => buildModel(small, INPUT, 3),
    );
    await saveLayersModel(model, dir);
    const loaded = await loadLayersModelDir(dir);
    const a = model.getWeights().map((w) => Array.from(w.dataSync()));
    const b = loaded.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(b, a);
    const weights = path.join(dir, WEIGHTS_BIN);
    const bytes = await Deno.readFile(weights);
    await Deno.writeFile(weights, bytes.slice(0, bytes.length - 8));
    await assert.rejects(
      () => loadLayersModelDir(dir),
      /truncated or mismatched/,
    );
    await Deno.remove(weights);
    await assert.rejects(
      () => loadLayersModelDir(dir),
      /weights\.bin is missing/,
    );
    await assert.rejects(
      () => loadLayersModelDir(path.join(dir, "nope")),
      /no model\.json/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
