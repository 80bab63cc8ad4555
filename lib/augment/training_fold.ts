/**
 * The training fold as a type: augmentation must only ever touch the data a
 * model learns from, never the validation or test data that measure it.
 *
 * A {@linkcode TrainingFold} is a frozen array carrying a compile-time brand
 * (a private `unique symbol` key, so no object literal or plain array
 * type-checks as one) and a run-time registration (a `WeakSet` of the arrays
 * {@linkcode markTrainingFold} made, so an `as TrainingFold<…>` cast is caught
 * when the fold is used). The augmentation pipeline's `apply` accepts nothing
 * else.
 *
 * Only the split in `lib/train` calls {@linkcode markTrainingFold}, on the
 * training part right after splitting (tests may call it on synthetic data).
 * Code that needs the fold in another shape (e.g. loaded audio instead of
 * manifest rows) uses {@linkcode mapTrainingFold}, which keeps the mark.
 *
 * @module
 */

declare const TRAINING_FOLD: unique symbol;

/** The training part of a split: frozen, branded and registered. */
export type TrainingFold<T> = readonly T[] & {
  readonly [TRAINING_FOLD]: true;
};

const marked = new WeakSet<object>();

/**
 * Marks a frozen copy of `items` as the training fold. Only the split
 * function in `lib/train` should call this (and tests); everything else
 * receives folds from there.
 */
export function markTrainingFold<T>(items: readonly T[]): TrainingFold<T> {
  const fold = Object.freeze(items.slice()) as unknown as TrainingFold<T>;
  marked.add(fold);
  return fold;
}

/** True if `value` was made by {@linkcode markTrainingFold} or {@linkcode mapTrainingFold}. */
export function isTrainingFold(value: unknown): value is TrainingFold<unknown> {
  return typeof value === "object" && value !== null && marked.has(value);
}

/**
 * Throws unless `fold` is a real training fold; `user` names the caller in
 * the message.
 */
export function assertTrainingFold(fold: unknown, user: string): void {
  if (!isTrainingFold(fold)) {
    throw new Error(
      `${user}: only accepts the training fold made by the split in lib/train ` +
        "(markTrainingFold); augmenting validation or test data would leak " +
        "augmented copies into the scores",
    );
  }
}

/** Maps each item of a training fold, keeping the training-fold mark. */
export function mapTrainingFold<T, U>(
  fold: TrainingFold<T>,
  fn: (item: T, index: number) => U,
): TrainingFold<U> {
  assertTrainingFold(fold, "mapTrainingFold");
  return markTrainingFold(fold.map(fn));
}
