/**
 * A short tone written as a WAV file, for the corpora tests.
 *
 * @module
 */
import * as path from "node:path";
import { encodeWav } from "../../lib/audio/mod.ts";

/** Writes a 16 kHz tone of `seconds` (default 0.25) to `file`, making its folder. */
export function writeTone(file: string, seconds = 0.25): void {
  const x = new Float32Array(Math.round(16000 * seconds));
  for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin(i * 0.1);
  Deno.mkdirSync(path.dirname(file), { recursive: true });
  Deno.writeFileSync(file, encodeWav(x, 16000));
}
