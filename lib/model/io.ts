/**
 * Saving and loading TF.js Layers models as plain files (`model.json` +
 * `weights.bin`) without tfjs-node: saving goes through
 * `tf.io.withSaveHandler`, loading through `tf.io.fromMemory`. The files are
 * the standard TF.js format, so stock `tf.loadLayersModel` (browser, Node, the
 * Python converter) reads them too.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { exists, writeFileAtomic } from "../paths.ts";

/** File name of the topology + weights manifest. */
export const MODEL_JSON = "model.json";
/** File name of the weights. */
export const WEIGHTS_BIN = "weights.bin";

function concatWeightData(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (!Array.isArray(data)) return new Uint8Array(data);
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

/**
 * Saves `model` into `dir` as `model.json` + `weights.bin`. Each file is
 * written atomically (weights first), so a crash never leaves a torn file in
 * place of a good one.
 */
export async function saveLayersModel(
  model: tf.LayersModel,
  dir: string,
): Promise<void> {
  await model.save(tf.io.withSaveHandler((artifacts) => {
    const weights = concatWeightData(
      artifacts.weightData ?? new ArrayBuffer(0),
    );
    const manifest = {
      format: "layers-model",
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{
        paths: [WEIGHTS_BIN],
        weights: artifacts.weightSpecs,
      }],
    };
    writeFileAtomic(path.join(dir, WEIGHTS_BIN), weights);
    writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(manifest));
    return Promise.resolve({
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: "JSON",
        weightDataBytes: weights.byteLength,
      },
    });
  }));
}

/**
 * The weight file `p` of `model.json` in `dir`, refusing any path that
 * leaves the folder (absolute, `..`, or a link resolving outside it).
 */
function confinedWeightFile(dir: string, p: unknown, jsonPath: string): string {
  const outside = () =>
    new Error(
      `${jsonPath}: weight path ${
        JSON.stringify(p)
      } leaves the model folder; weights must be files inside it`,
    );
  if (typeof p !== "string" || p === "" || path.isAbsolute(p)) throw outside();
  const file = path.resolve(dir, p);
  const inside = (root: string, target: string) => {
    const rel = path.relative(root, target);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
  };
  if (!inside(path.resolve(dir), file)) throw outside();
  if (
    exists(file) && !inside(Deno.realPathSync(dir), Deno.realPathSync(file))
  ) {
    throw outside();
  }
  return file;
}

/**
 * Reads `model.json` and its weight files from `dir` into model artifacts.
 * Weight paths must stay inside `dir`. Throws an Error naming the directory
 * (or file) and what is missing, malformed or out of bounds.
 */
export function readModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const jsonPath = path.join(dir, MODEL_JSON);
  if (!exists(jsonPath)) {
    throw new Error(`${dir}: no ${MODEL_JSON} (incomplete model directory)`);
  }
  let manifest: {
    modelTopology?: object;
    weightsManifest?: {
      paths: string[];
      weights: tf.io.WeightsManifestEntry[];
    }[];
  };
  try {
    manifest = JSON.parse(Deno.readTextFileSync(jsonPath));
  } catch (err) {
    throw new Error(`${jsonPath}: not valid JSON (${(err as Error).message})`);
  }
  if (!manifest.modelTopology || !Array.isArray(manifest.weightsManifest)) {
    throw new Error(
      `${jsonPath}: not a TF.js layers model (no modelTopology / weightsManifest)`,
    );
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of manifest.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const file = confinedWeightFile(dir, p, jsonPath);
      if (!exists(file)) {
        throw new Error(
          `${dir}: weight file ${p} is missing (incomplete model directory)`,
        );
      }
      buffers.push(Deno.readFileSync(file));
    }
  }
  const weightData = concatWeightData(
    buffers.map((b) => b.slice().buffer as ArrayBuffer),
  );
  const expected = weightSpecs.reduce(
    (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4,
    0,
  );
  if (weightData.byteLength !== expected) {
    throw new Error(
      `${dir}: weights hold ${weightData.byteLength} bytes, the manifest needs ${expected} (truncated or mismatched files)`,
    );
  }
  return {
    modelTopology: manifest.modelTopology,
    weightSpecs,
    weightData: weightData.buffer as ArrayBuffer,
  };
}

/** Loads a layers model saved by {@linkcode saveLayersModel} (or any TF.js layers model folder). */
export async function loadLayersModelDir(dir: string): Promise<tf.LayersModel> {
  return await tf.loadLayersModel(tf.io.fromMemory(readModelArtifacts(dir)));
}
