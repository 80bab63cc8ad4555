/**
 * A WebAssembly module compiled from one of the project's C sources and
 * committed as a generated TypeScript module (written by
 * `deno task build:wasm`, `lib/cli/build_wasm.ts`), so that nothing but the
 * developer who edits the C needs a C toolchain. The module records how it
 * was built, and a test compares the recorded hash with the committed
 * source's, so a binary that was not rebuilt after an edit fails CI.
 *
 * @module
 */

/** A compiled module and how it was built. */
export interface EmbeddedWasm {
  /** The C source, relative to the repository root. */
  readonly source: string;
  /** SHA-256 (hex) of the source's bytes when it was compiled. */
  readonly sourceSha256: string;
  /** First line of the compiler's `--version`. */
  readonly compiler: string;
  /** Compiler and linker flags (the command line without output and source). */
  readonly flags: readonly string[];
  /** The binary, base64. */
  readonly base64: string;
}

/** The binary of `wasm`. */
export function wasmBytes(wasm: EmbeddedWasm): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(wasm.base64), (c) => c.charCodeAt(0));
}

/** Ids of the sections of a WebAssembly binary, in order. */
export function wasmSectionIds(wasm: Uint8Array): number[] {
  const ids: number[] = [];
  let i = 8; // magic and version
  while (i < wasm.length) {
    ids.push(wasm[i++]);
    let size = 0;
    for (let shift = 0;; shift += 7) {
      const byte = wasm[i++];
      size |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    i += size;
  }
  return ids;
}
