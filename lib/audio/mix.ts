/**
 * Channel mixing.
 *
 * @module
 */

/**
 * Mixes channels to mono by averaging them sample by sample. A single channel
 * is returned as is (not copied). All channels must have the same length.
 */
export function mixToMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 0) {
    throw new RangeError("mixToMono: no channels");
  }
  if (channels.length === 1) return channels[0];
  const n = channels[0].length;
  for (const c of channels) {
    if (c.length !== n) {
      throw new RangeError(
        `mixToMono: channels differ in length (${n} vs ${c.length})`,
      );
    }
  }
  const out = new Float32Array(n);
  const scale = 1 / channels.length;
  if (channels.length === 2) {
    const a = channels[0], b = channels[1];
    for (let i = 0; i < n; i++) out[i] = (a[i] + b[i]) * scale;
    return out;
  }
  for (const c of channels) {
    for (let i = 0; i < n; i++) out[i] += c[i];
  }
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}
