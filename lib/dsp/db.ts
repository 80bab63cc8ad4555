/**
 * Power to decibels exactly as librosa 0.10.2's `librosa.power_to_db`.
 *
 * @module
 */

/** Options for {@linkcode powerToDb} (librosa's names and defaults). */
export interface PowerToDbOptions {
  /** Reference power, default 1. */
  ref?: number;
  /** Floor applied before the log, default 1e-10. */
  amin?: number;
  /** Clip at `max - topDb` dB (over the whole input); null = no clipping. Default 80. */
  topDb?: number | null;
}

/**
 * `librosa.power_to_db`: `10·log10(max(amin, S)) − 10·log10(max(amin, ref))`,
 * then clipped below at the maximum minus `topDb`. Works in place on a copy.
 */
export function powerToDb(
  power: Float64Array,
  options: PowerToDbOptions = {},
): Float64Array {
  const amin = options.amin ?? 1e-10;
  const ref = options.ref ?? 1;
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  const out = new Float64Array(power.length);
  const refDb = 10 * Math.log10(Math.max(amin, ref));
  let max = -Infinity;
  for (let i = 0; i < power.length; i++) {
    const v = 10 * Math.log10(Math.max(amin, power[i])) - refDb;
    out[i] = v;
    if (v > max) max = v;
  }
  if (topDb !== null) {
    const floor = max - topDb;
    for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
  }
  return out;
}
