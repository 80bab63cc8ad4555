/**
 * Stable hashes of a feature config, for cache keys and model cards (kept
 * apart from `config.ts` because they need `node:crypto`, which the
 * browser bundle must not reach).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { CONFIG_KEYS, type FeatureConfig } from "./config.ts";

/**
 * A stable 16-hex-digit hash of the config (SHA-256 of its canonical JSON
 * with keys in a fixed order), for cache keys and model cards.
 */
export function featureConfigHash(config: FeatureConfig): string {
  return hashKeys(config, CONFIG_KEYS);
}

/**
 * Hash of the fields that change the extracted (not yet cropped or padded)
 * features: every field but `frames`, which `fixLength` applies afterwards.
 * The feature cache is keyed by it, so changing the model's input length
 * reuses cached features instead of extracting them again.
 */
export function extractionConfigHash(config: FeatureConfig): string {
  return hashKeys(config, CONFIG_KEYS.filter((k) => k !== "frames"));
}

function hashKeys(
  config: FeatureConfig,
  keys: readonly (keyof FeatureConfig)[],
): string {
  const canonical = JSON.stringify(keys.map((k) => [k, config[k]]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}
