/**
 * Listening to audio in Jupyter: a display bundle for the Deno kernel that
 * carries the clip as `audio/wav` (base64 16-bit WAV) and as an HTML
 * `<audio controls>` player (what JupyterLab, VS Code and nbconvert's HTML
 * export show).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { encodeWav } from "./encode.ts";

/** The MIME bundle a clip shows as in Jupyter. */
export interface AudioBundle {
  /** The clip as a base64 16-bit PCM WAV file. */
  "audio/wav": string;
  /** An `<audio controls>` player with the WAV as a `data:` URI. */
  "text/html": string;
  /** A one-line description for plain-text front ends. */
  "text/plain": string;
}

/** Options of {@linkcode audioDisplay}. */
export interface AudioDisplayOptions {
  /** Caption shown above the player (plain text, escaped). */
  title?: string;
}

/** A value the Deno Jupyter kernel shows as an audio player. */
export interface AudioDisplayable {
  /** Called by the kernel when the value is shown. */
  [key: symbol]: () => AudioBundle;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;")
    .replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Wraps mono `samples` at `sr` Hz for the Deno Jupyter kernel: the last
 * expression of a cell, or `await Deno.jupyter.display(audioDisplay(…))`,
 * shows a player. Throws if `sr` is not a positive integer or `samples` is
 * empty.
 */
export function audioDisplay(
  samples: Float32Array,
  sr: number,
  options: AudioDisplayOptions = {},
): AudioDisplayable {
  if (!Number.isInteger(sr) || sr <= 0) {
    throw new Error(
      `audioDisplay: sample rate must be a positive integer, got ${sr}`,
    );
  }
  if (samples.length === 0) throw new Error("audioDisplay: no samples");
  return {
    [Symbol.for("Jupyter.display")]: (): AudioBundle => {
      const wav = Buffer.from(encodeWav(samples, sr)).toString("base64");
      const seconds = (samples.length / sr).toFixed(2);
      const title = options.title ?? "audio";
      return {
        "audio/wav": wav,
        "text/html": `<figure style="margin:0.3em 0"><figcaption>${
          escapeHtml(title)
        } (${seconds} s)</figcaption><audio controls preload="auto" src="data:audio/wav;base64,${wav}"></audio></figure>`,
        "text/plain": `${title}: ${seconds} s of audio at ${sr} Hz`,
      };
    },
  };
}
