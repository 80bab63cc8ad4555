/**
 * Random-access byte sources, so the WAV header parser can run over a whole
 * buffer or read just the chunk headers of a file on disk.
 *
 * @module
 */

/** Bytes that can be read at any offset. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the source). */
  read(offset: number, length: number): Uint8Array;
}

/** A source over bytes already in memory (no copying). */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) =>
      bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/**
 * Runs `fn` with a source over an open file that reads only the requested
 * ranges; the file is closed afterwards.
 */
export function withFileSource<T>(
  path: string,
  fn: (source: ByteSource) => T,
): T {
  const file = Deno.openSync(path, { read: true });
  try {
    const size = file.statSync().size;
    return fn({
      size,
      read(offset, length) {
        const n = Math.max(0, Math.min(length, size - offset));
        const buf = new Uint8Array(n);
        file.seekSync(offset, Deno.SeekMode.Start);
        let got = 0;
        while (got < n) {
          const m = file.readSync(buf.subarray(got));
          if (m === null || m === 0) break;
          got += m;
        }
        return buf.subarray(0, got);
      },
    });
  } finally {
    file.close();
  }
}
