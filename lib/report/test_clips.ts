/**
 * The held-out test clips of a trained model, recovered from its card: the
 * corpus folders in `card.data.dirs` are scanned again with the card's label
 * options, and the test part is taken exactly as training took it — the
 * clips of `card.split.speakers.test` for a speaker split (or a
 * cross-validation fold), the same seeded random split for a random split.
 *
 * @module
 */
import {
  type LabelOptions,
  scanCorpus,
  type Utterance,
} from "../corpora/mod.ts";
import type { ModelCard } from "../model/card.ts";
import { exists } from "../paths.ts";
import { randomSplit } from "../train/split.ts";

/**
 * Scans the card's corpus folders and returns the model's test clips.
 * Throws an Error saying why when they cannot be recovered: no corpus
 * recorded, a corpus folder missing, no clip of the test speakers, or a
 * split kind without a test part.
 */
export async function testClipsOf(card: ModelCard): Promise<Utterance[]> {
  const dirs = card.data?.dirs ?? [];
  if (dirs.length === 0) {
    throw new Error(`the card of ${card.run} records no corpus folders`);
  }
  const missing = dirs.filter((d) => !exists(d));
  if (missing.length > 0) {
    throw new Error(
      `corpus folder ${
        missing.join(", ")
      } (recorded in the card of ${card.run}) is not on this machine`,
    );
  }
  const scan = await scanCorpus(dirs, card.data.labelOptions as LabelOptions);
  let test: Utterance[];
  if (card.split.kind === "speaker") {
    const speakers = new Set(card.split.speakers.test);
    test = scan.items.filter((i) => speakers.has(i.speaker));
  } else if (card.split.kind === "random") {
    test = randomSplit(scan.items, { seed: card.seed }).test;
  } else {
    throw new Error(
      `the card of ${card.run} has split kind "${card.split.kind}", which has no test part`,
    );
  }
  if (test.length === 0) {
    throw new Error(
      `no clip of the test part (speakers ${
        card.split.speakers.test.join(", ")
      }) in ${dirs.join(", ")}`,
    );
  }
  return test;
}
