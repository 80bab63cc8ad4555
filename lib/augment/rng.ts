/**
 * How augmentation transforms receive their randomness: either a ready
 * {@linkcode Rng} from `lib/random.ts` or a seed to build one from.
 *
 * @module
 */
import { createRng, type Rng } from "../random.ts";

export type { Rng };

/** A generator, or a number/string seed for {@linkcode createRng}. */
export type RngSource = Rng | number | string;

/**
 * Returns `source` itself if it is a generator (its state advances as the
 * transform draws from it), else a fresh generator seeded with it.
 */
export function toRng(source: RngSource): Rng {
  if (typeof source === "number" || typeof source === "string") {
    return createRng(source);
  }
  return source;
}
