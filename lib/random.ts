/**
 * Seeded pseudo-random numbers shared by the synthetic corpus, augmentation
 * and training, so that the same seed always gives the same result.
 *
 * @module
 */

/** A seeded random source. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi). */
  int(lo: number, hi: number): number;
  /** Standard normal sample (Box–Muller). */
  normal(): number;
  /** Gamma(shape, 1) sample (Marsaglia–Tsang), shape > 0. */
  gamma(shape: number): number;
  /** Beta(a, b) sample in (0, 1), from two gamma draws. */
  beta(a: number, b: number): number;
  /** Returns a shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** A new independent generator derived from this one. */
  fork(): Rng;
}

/** Hashes a string or number seed into a 32-bit state (FNV-1a). */
function seedToState(seed: number | string): number {
  const s = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Creates a seeded generator (mulberry32). Seeds may be numbers or strings,
 * e.g. `createRng(\`${seed}:noise\`)` for a named sub-stream.
 */
export function createRng(seed: number | string): Rng {
  let state = seedToState(seed);
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor((hi - lo) * next()),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    gamma: (shape: number): number => {
      if (!(shape > 0)) {
        throw new Error(`gamma: shape must be > 0, got ${shape}`);
      }
      if (shape < 1) {
        // Gamma(a) = Gamma(a + 1) · U^(1/a).
        let u = 0;
        while (u === 0) u = next();
        return rng.gamma(shape + 1) * Math.pow(u, 1 / shape);
      }
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        const x = rng.normal();
        const v = (1 + c * x) ** 3;
        if (v <= 0) continue;
        const u = next();
        if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
          return d * v;
        }
      }
    },
    beta: (a: number, b: number): number => {
      const x = rng.gamma(a);
      const y = rng.gamma(b);
      return x / (x + y);
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const a = items.slice();
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    },
    fork: () => createRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}

/**
 * Runs `fn` with `Math.random` replaced by a seeded generator, restoring it
 * afterwards (also when `fn` throws).
 *
 * TF.js draws every unseeded random number (weight initialisers, dropout
 * masks) from `Math.random`, so this is what makes model initialisation and
 * training reproducible: same seed and data → identical weights and metrics.
 * While `fn` runs (including across its awaits), other code calling
 * `Math.random` also draws from the seeded stream.
 */
export async function withSeededMathRandom<T>(
  seed: number | string,
  fn: () => Promise<T> | T,
): Promise<T> {
  const original = Math.random;
  const rng = createRng(seed);
  Math.random = rng.next;
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}
