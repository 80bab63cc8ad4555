/**
 * SpecAugment masking (Park et al., 2019) on a time-major feature matrix
 * (`frames × dims`, row-major): {@linkcode timeMask} blanks runs of whole
 * frames, {@linkcode freqMask} runs of feature dimensions (mel bands or
 * coefficients) across all frames.
 *
 * Mask value: `mean` (default) fills with the mean of the whole input matrix,
 * so a mask on un-normalised log-mel or MFCCs carries no outlier level; on
 * mean/variance-normalised features that mean is ≈ 0 and `zero` (SpecAugment's
 * original choice) is the same thing.
 *
 * @module
 */
import { type RngSource, toRng } from "./rng.ts";
import { requireInteger } from "./validate.ts";

/** What masked cells are set to. */
export type MaskValue = "mean" | "zero";

/** Options for {@linkcode timeMask} and {@linkcode freqMask}. */
export interface MaskOptions {
  /** Feature dimensions per frame (columns of the matrix). */
  dims: number;
  /** Width of each mask: frames for a time mask, dims for a frequency mask. */
  width: number;
  /** Number of masks (default 1); their positions are drawn independently and may overlap. */
  count?: number;
  /** Fill value (default `mean`, see the module notes). */
  maskValue?: MaskValue;
  /**
   * Frequency masks: the dims are this many equal blocks of the same bands
   * (e.g. 3 for log-mel | Δ | ΔΔ), and a mask blanks the same bands in every
   * block (default 1).
   */
  channels?: number;
  /** Generator or seed for the mask positions. */
  rng: RngSource;
}

type Axis = "time" | "freq";

function applyMasks(
  name: string,
  features: Float32Array,
  options: MaskOptions,
  axis: Axis,
): Float32Array {
  if (!(features instanceof Float32Array)) {
    throw new Error(`${name}: input must be a Float32Array`);
  }
  const dims = requireInteger(name, "dims", options.dims, 1);
  if (features.length === 0 || features.length % dims !== 0) {
    throw new Error(
      `${name}: input length ${features.length} is not a positive multiple of dims ${dims}`,
    );
  }
  const frames = features.length / dims;
  const width = requireInteger(name, "width", options.width, 0);
  const count = requireInteger(name, "count", options.count ?? 1, 0);
  const channels = requireInteger(name, "channels", options.channels ?? 1, 1);
  if (dims % channels !== 0) {
    throw new Error(
      `${name}: ${dims} dims do not split into ${channels} channels`,
    );
  }
  const bands = dims / channels;
  const extent = axis === "time" ? frames : bands;
  if (width > extent) {
    throw new Error(
      `${name}: width ${width} exceeds the ${extent} ${
        axis === "time" ? "frames" : "dims"
      } of the input`,
    );
  }
  const maskValue = options.maskValue ?? "mean";
  if (maskValue !== "mean" && maskValue !== "zero") {
    throw new Error(
      `${name}: option maskValue must be "mean" or "zero", got ${
        String(maskValue)
      }`,
    );
  }
  let fill = 0;
  if (maskValue === "mean") {
    let sum = 0;
    for (let i = 0; i < features.length; i++) sum += features[i];
    fill = sum / features.length;
  }
  const r = toRng(options.rng);
  const out = Float32Array.from(features);
  for (let m = 0; m < count; m++) {
    const start = r.int(0, extent - width + 1);
    if (axis === "time") {
      out.fill(fill, start * dims, (start + width) * dims);
    } else {
      for (let t = 0; t < frames; t++) {
        for (let c = 0; c < channels; c++) {
          const o = t * dims + c * bands + start;
          out.fill(fill, o, o + width);
        }
      }
    }
  }
  return out;
}

/**
 * Returns a copy with `count` runs of exactly `width` consecutive frames set
 * to the mask value; each run starts uniformly in `[0, frames − width]`.
 */
export function timeMask(
  features: Float32Array,
  options: MaskOptions,
): Float32Array {
  return applyMasks("timeMask", features, options, "time");
}

/**
 * Returns a copy with `count` runs of exactly `width` consecutive feature
 * dimensions set to the mask value in every frame; each run starts uniformly
 * in `[0, bands − width]`, and blanks the same bands in each of `channels`
 * blocks of the dims.
 */
export function freqMask(
  features: Float32Array,
  options: MaskOptions,
): Float32Array {
  return applyMasks("freqMask", features, options, "freq");
}
