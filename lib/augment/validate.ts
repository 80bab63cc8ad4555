/**
 * Option checks shared by the augmentation transforms, so that every bad
 * option fails the same way: an `Error` naming the transform, the option and
 * the offending value.
 *
 * @module
 */

/** Throws unless `value` is a finite number. */
export function requireFinite(
  transform: string,
  name: string,
  value: unknown,
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(
      `${transform}: option ${name} must be a finite number, got ${
        String(value)
      }`,
    );
  }
  return value;
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(
  transform: string,
  name: string,
  value: unknown,
): number {
  const v = requireFinite(transform, name, value);
  if (v <= 0) {
    throw new Error(`${transform}: option ${name} must be > 0, got ${v}`);
  }
  return v;
}

/** Throws unless `value` is an integer ≥ `min`. */
export function requireInteger(
  transform: string,
  name: string,
  value: unknown,
  min: number,
): number {
  const v = requireFinite(transform, name, value);
  if (!Number.isInteger(v) || v < min) {
    throw new Error(
      `${transform}: option ${name} must be an integer >= ${min}, got ${v}`,
    );
  }
  return v;
}

/** Throws unless `samples` is a non-empty Float32Array. */
export function requireSamples(transform: string, samples: unknown): void {
  if (!(samples instanceof Float32Array)) {
    throw new Error(`${transform}: input must be a Float32Array`);
  }
  if (samples.length === 0) {
    throw new Error(`${transform}: input is empty (0 samples)`);
  }
}
