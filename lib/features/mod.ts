/**
 * Features: the typed config, librosa-matching and Meyda MFCC / log-mel,
 * deltas, trimming, normalisation, fixed-length framing, batch extraction
 * and the on-disk cache.
 *
 * @module
 */
export * from "./config.ts";
export * from "./framing.ts";
