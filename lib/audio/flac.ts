/**
 * FLAC STREAMINFO, read so a truncated FLAC file is reported instead of
 * silently decoding to fewer frames than it declares.
 *
 * @module
 */

/** The facts of a FLAC STREAMINFO block. */
export interface FlacStreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Frames (samples per channel) in the stream; 0 = not stated. */
  totalFrames: number;
}

/**
 * Reads STREAMINFO (the mandatory first metadata block after `fLaC`), or
 * returns null if the bytes do not start with one.
 */
export function readFlacStreamInfo(bytes: Uint8Array): FlacStreamInfo | null {
  if (
    bytes.length < 42 || bytes[0] !== 0x66 || bytes[1] !== 0x4c ||
    bytes[2] !== 0x61 || bytes[3] !== 0x43 || (bytes[4] & 0x7f) !== 0
  ) return null;
  const b = bytes.subarray(8, 42);
  return {
    sampleRate: (b[10] << 12) | (b[11] << 4) | (b[12] >> 4),
    channels: ((b[12] >> 1) & 7) + 1,
    bitsPerSample: (((b[12] & 1) << 4) | (b[13] >> 4)) + 1,
    totalFrames: (b[13] & 0x0f) * 2 ** 32 +
      ((b[14] << 24) >>> 0) + (b[15] << 16) + (b[16] << 8) + b[17],
  };
}
