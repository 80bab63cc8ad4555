/**
 * `deno task predict <file|dir>... [--model models/<run>] [--json]
 * [--window-s S] [--hop-s S] [--silence-db DB]` — the emotion of each audio
 * file (wav, mp3, flac, ogg, …; folders recursively), with every class
 * probability, using the model's card for the exact feature config. Default
 * model: the newest under `models/`. Recordings longer than the model window
 * get a sliding-window timeline (silent windows marked) and an overall verdict
 * (mean of the non-silent windows).
 *
 * Output: a table on stdout, or with `--json` one JSON array
 * `[{path, emotion, probabilities: {<label>: p}, timeline?: [{start_s, end_s,
 * emotion, probabilities, silent?}]}]` with failed files as `{path, error}`.
 * Progress goes to stderr. Exit code 1 if any file failed (after all results
 * are printed).
 *
 * @module
 */
import { displayPath } from "../paths.ts";
import {
  formatPredictions,
  isFailed,
  loadPredictor,
  predictPaths,
} from "../predict/mod.ts";
import { createProgress, type Progress } from "../progress.ts";
import { createCommand, parseNumber, runCli } from "./common.ts";

interface PredictFlags {
  model?: string;
  json?: boolean;
  windowS?: number;
  hopS?: number;
  silenceDb?: number;
  sameSpeaker?: boolean;
}

/** Builds the `predict` command. */
export function predictCommand() {
  return createCommand(
    "predict",
    "Predict the emotion of audio files with a trained model",
  )
    .argument("<inputs...>", "audio files or folders (searched recursively)")
    .option(
      "--model <dir>",
      "model directory (default: the newest under models/)",
    )
    .option("--json", "print one JSON array on stdout")
    .option(
      "--window-s <seconds>",
      "timeline window (default: the model window)",
      parseNumber,
    )
    .option(
      "--hop-s <seconds>",
      "timeline hop (default: half the window)",
      parseNumber,
    )
    .option(
      "--silence-db <dB>",
      "a window more than this far below the loudest is silent (default 30)",
      parseNumber,
    )
    .option(
      "--same-speaker",
      "the inputs are one speaker's recordings: a speaker-normalised model normalises them together",
    )
    .addHelpText(
      "after",
      `
A recording whose speech (after the card's silence trimming) fits the model
window gets one prediction from the whole clip, as in training. Longer ones
get a timeline of sliding windows; windows more than --silence-db below the
loudest are marked silent, and the verdict is the mean of the other windows'
probabilities. --json prints [{path, emotion, probabilities, timeline?}],
failed files as {path, error}; the exit code is 1 if any file failed.`,
    )
    .action(async (inputs: string[], flags: PredictFlags) => {
      const predictor = await loadPredictor(flags.model);
      console.error(predictor.description);
      if (predictor.speakerNormalized) {
        console.error(
          flags.sameSpeaker
            ? "features normalised by the statistics of all the inputs together (one speaker)"
            : `this model normalises features per speaker: each recording is normalised by ${
              predictor.speakerPrior
                ? "its training speakers' typical statistics"
                : "its own statistics"
            }; give --same-speaker when the inputs are one speaker's recordings (more accurate)`,
        );
      }
      let progress: Progress | null = null;
      const entries = await predictPaths(predictor, inputs, {
        windowS: flags.windowS,
        hopS: flags.hopS,
        silenceDb: flags.silenceDb,
        sameSpeaker: flags.sameSpeaker,
        onStart: (files) => {
          if (files > 1) {
            progress = createProgress({ label: "predict", total: files });
          }
        },
        onFile: (entry) => progress?.tick(1, displayPath(entry.path)),
      });
      (progress as Progress | null)?.done();
      predictor.dispose();
      if (flags.json) {
        console.log(JSON.stringify(entries, null, 2));
      } else {
        console.log(formatPredictions(entries, predictor.labels));
      }
      const failed = entries.filter(isFailed).length;
      if (failed > 0) {
        throw new Error(`${failed} of ${entries.length} input(s) failed`);
      }
    });
}

if (import.meta.main) await runCli(predictCommand(), Deno.args);
