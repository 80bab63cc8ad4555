/**
 * The page's AudioWorklet: mixes each render quantum of the microphone to
 * mono and posts it to the page in chunks of {@linkcode CHUNK} frames (about
 * 43 ms at 48 kHz), transferring the buffers. Bundled on its own
 * (`worklet.js`): a worklet module runs in its own global scope.
 *
 * @module
 */

/** Frames per posted chunk. */
export const CHUNK = 2048;

/** The AudioWorklet global scope, as far as it is used here. */
declare const registerProcessor: (
  name: string,
  processor: new () => { process(inputs: Float32Array[][]): boolean },
) => void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

class CaptureProcessor extends AudioWorkletProcessor {
  #chunk = new Float32Array(CHUNK);
  #filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0] ?? [];
    if (channels.length === 0) return true;
    const n = channels[0].length;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (const c of channels) v += c[i];
      this.#chunk[this.#filled++] = v / channels.length;
      if (this.#filled === CHUNK) {
        this.port.postMessage(this.#chunk, [this.#chunk.buffer]);
        this.#chunk = new Float32Array(CHUNK);
        this.#filled = 0;
      }
    }
    return true;
  }
}

registerProcessor("ser-capture", CaptureProcessor);
