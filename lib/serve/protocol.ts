/**
 * What the server and the page say to each other: the JSON of the model
 * endpoints and the URLs of the page's assets. Pure (types and constants),
 * shared by `server.ts` and the browser code.
 *
 * @module
 */
import type { FeatureConfig } from "../features/config.ts";
import type { ModelCard } from "../run/card.ts";

/** The URL prefix the TF.js `.wasm` binaries are served under. */
export const WASM_URL = "/tfjs/";

/** Asset URLs of the page. */
export const ASSETS = {
  app: "/app.js",
  worklet: "/worklet.js",
  plotly: "/vendor/plotly.min.js",
} as const;

/** API URLs of the server. */
export const API = {
  models: "/api/models",
  model: "/api/model",
  weights: "/api/weights",
} as const;

/** One model of the picker. */
export interface ModelChoice {
  /** Its key for {@linkcode API}`.model` (`?id=`): the directory as displayed. */
  id: string;
  /** How it was found: `given` (--model), `trained`, or `pretrained`. */
  source: "given" | "trained" | "pretrained";
  /** True for the model the page opens first (what `predict` would use). */
  default: boolean;
}

/** `GET /api/models`: the picker's models, or why there are none. */
export interface ModelList {
  /** The models, the default first. */
  models: ModelChoice[];
  /** Set when no model was found: where the server looked and what to do. */
  error?: string;
}

/** One member of a served model: its card and `model.json`'s contents. */
export interface ServedMember {
  /** The member's directory, for messages. */
  name: string;
  /** The validated card. */
  card: ModelCard;
  /** `model.json`'s `modelTopology`. */
  modelTopology: object;
  /** The weight specs of `model.json`'s weights manifest. */
  weightSpecs: {
    name: string;
    shape: number[];
    dtype: "float32" | "int32" | "bool" | "string" | "complex64";
  }[];
  /** URL of the member's weights (all weight files, concatenated). */
  weightsUrl: string;
}

/** `GET /api/model?id=`: a model the page can open, or why it cannot. */
export type ServedModel =
  | {
    /** The model's id (as listed). */
    id: string;
    /** Class labels in output order. */
    labels: string[];
    /** The shared feature config. */
    featureConfig: FeatureConfig;
    /** One member, or an ensemble's. */
    members: ServedMember[];
  }
  | {
    /** The model's id (as asked). */
    id: string;
    /** Why the model cannot be opened (missing files, bad card, …). */
    error: string;
  };
