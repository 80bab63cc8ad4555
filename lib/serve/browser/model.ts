/**
 * The page's model: TF.js started on the wasm backend from the served
 * binaries, with the project's kernels, and a served model turned into a
 * {@linkcode SamplePredictor} through the same checks and loader as
 * `predict` (`memberFromArtifacts`).
 *
 * @module
 */
import { startBackend } from "../../tfjs/start.ts";
import { memberFromArtifacts } from "../../run/member.ts";
import { SamplePredictor } from "../../predict/samples.ts";
import {
  API,
  type ModelList,
  type ServedModel,
  WASM_URL,
} from "../protocol.ts";

/** Fetches JSON from the server (the server answers errors as JSON too). */
async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: the server answered ${res.status}`);
  return await res.json() as T;
}

/** The models the server offers. */
export async function fetchModelList(): Promise<ModelList> {
  return await getJson<ModelList>(API.models);
}

/** A model opened in the page. */
export interface PageModel {
  /** Its id. */
  id: string;
  /** The predictor over its members. */
  predictor: SamplePredictor;
  /** The TF.js backend line (`wasm`, SIMD). */
  backend: string;
}

/**
 * Opens model `id`: starts the wasm backend, fetches the cards, topologies
 * and weights, and checks and loads every member. Throws an Error naming
 * the model and the reason (the server's, for missing or damaged files).
 */
export async function openModel(id: string): Promise<PageModel> {
  const info = await startBackend(WASM_URL);
  const served = await getJson<ServedModel>(
    `${API.model}?id=${encodeURIComponent(id)}`,
  );
  if ("error" in served) throw new Error(served.error);
  const members = [];
  for (const m of served.members) {
    const res = await fetch(m.weightsUrl);
    if (!res.ok) {
      throw new Error(`${m.name}: the weights did not load (${res.status})`);
    }
    members.push(
      await memberFromArtifacts(m.name, m.card, {
        modelTopology: m.modelTopology,
        weightSpecs: m.weightSpecs,
        weightData: await res.arrayBuffer(),
      }),
    );
  }
  return {
    id,
    predictor: new SamplePredictor({
      labels: served.labels,
      featureConfig: served.featureConfig,
      members,
    }),
    backend: `tfjs ${info.tfjsVersion} ${info.backend} simd=${info.simd}`,
  };
}
