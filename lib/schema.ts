/**
 * Checks for configuration read from JSON (a `--config` file, a model card):
 * every check throws an Error naming where the value came from, the field
 * and what was wrong, so a bad config fails at the door with one clear line
 * instead of deep inside training.
 *
 * ```ts
 * const o = expectObject(value, "run.json model");
 * rejectUnknownKeys(o, ["units", "bidirectional"], "run.json model");
 * const units = expectInt(o.units, "run.json model.units", { min: 1, max: 1024 });
 * ```
 *
 * @module
 */

/** Throws `where: reason`. */
export function fail(where: string, reason: string): never {
  throw new Error(`${where}: ${reason}`);
}

/** Describes a JSON value for an error message: `"20" (a string)`, `null`, `1.5`. */
export function shown(v: unknown): string {
  if (typeof v === "string") return `${JSON.stringify(v)} (a string)`;
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object" && v !== null) return "an object";
  return String(v);
}

/** The value as a plain object (not null, not an array), else throws. */
export function expectObject(
  value: unknown,
  where: string,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(
      where,
      `expected an object, got ${
        Array.isArray(value) ? "an array" : shown(value)
      }`,
    );
  }
  return value as Record<string, unknown>;
}

/** The key of `known` that `key` misspells (case or `_`), as a hint, if any. */
function suggestion(key: string, known: readonly string[]): string {
  const fold = (k: string) => k.toLowerCase().replaceAll("_", "");
  const match = known.find((k) => fold(k) === fold(key));
  return match ? ` (did you mean ${match}?)` : "";
}

/**
 * Throws naming every key of `o` that is not in `known`, with a hint for a
 * misspelt one, then `list` and the known keys (e.g. `a feature config has`).
 */
export function rejectUnknownKeys(
  o: Record<string, unknown>,
  known: readonly string[],
  where: string,
  list = "known keys:",
): void {
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    fail(
      where,
      `unknown key${unknown.length > 1 ? "s" : ""} ${
        unknown.map((k) => `"${k}"${suggestion(k, known)}`).join(", ")
      }; ${list} ${known.join(", ")}`,
    );
  }
}

/** Inclusive bounds of a number. */
export interface Bounds {
  /** Smallest allowed value. */
  min?: number;
  /** Largest allowed value. */
  max?: number;
  /** Values must be strictly greater than this. */
  above?: number;
  /** Values must be strictly less than this. */
  below?: number;
}

function checkBounds(v: number, where: string, b: Bounds): number {
  if (
    b.min !== undefined && b.max !== undefined && (v < b.min || v > b.max)
  ) fail(where, `must be within ${b.min}–${b.max}, got ${v}`);
  if (b.min !== undefined && v < b.min) {
    fail(where, `must be ≥ ${b.min}, got ${v}`);
  }
  if (b.max !== undefined && v > b.max) {
    fail(where, `must be ≤ ${b.max}, got ${v}`);
  }
  if (b.above !== undefined && !(v > b.above)) {
    fail(where, `must be > ${b.above}, got ${v}`);
  }
  if (b.below !== undefined && !(v < b.below)) {
    fail(where, `must be < ${b.below}, got ${v}`);
  }
  return v;
}

/** A finite number within `bounds`, else throws. */
export function expectNumber(
  value: unknown,
  where: string,
  bounds: Bounds = {},
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(where, `must be a finite number, got ${shown(value)}`);
  }
  return checkBounds(value, where, bounds);
}

/** An integer within `bounds`, else throws. */
export function expectInt(
  value: unknown,
  where: string,
  bounds: Bounds = {},
): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    fail(where, `must be an integer, got ${shown(value)}`);
  }
  return checkBounds(value, where, bounds);
}

/** A boolean, else throws. */
export function expectBoolean(value: unknown, where: string): boolean {
  if (typeof value !== "boolean") {
    fail(where, `must be true or false, got ${shown(value)}`);
  }
  return value;
}

/** One of `choices`, else throws listing them. */
export function expectOneOf<T extends string | number | null>(
  value: unknown,
  choices: readonly T[],
  where: string,
): T {
  if (!choices.includes(value as T)) {
    fail(
      where,
      `must be one of ${
        choices.map((c) => JSON.stringify(c)).join(", ")
      }, got ${shown(value)}`,
    );
  }
  return value as T;
}

/** An array of at most `maxLength` integers, each within `bounds`. */
export function expectIntArray(
  value: unknown,
  where: string,
  bounds: Bounds,
  maxLength: number,
): number[] {
  if (!Array.isArray(value)) {
    fail(where, `must be an array, got ${shown(value)}`);
  }
  if (value.length > maxLength) {
    fail(where, `may hold at most ${maxLength} entries, got ${value.length}`);
  }
  return value.map((v, i) => expectInt(v, `${where}[${i}]`, bounds));
}
