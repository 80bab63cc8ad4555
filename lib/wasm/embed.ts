/**
 * Developer tool behind the committed WASM kernels: compiles one C file for
 * wasm32 + SIMD128 with clang and wasm-ld (e.g. Debian's `clang lld`) and
 * writes a TypeScript module embedding the binary as base64, so that nothing
 * but the developer who edits the C source needs a C toolchain.
 *
 * @module
 */
import { writeFileAtomic } from "../paths.ts";

/** What {@linkcode buildEmbeddedWasm} compiles and where it writes. */
export interface EmbeddedWasmBuild {
  /** The C source file. */
  source: string;
  /** The generated TypeScript module. */
  output: string;
  /** Name of the exported base64 string constant. */
  constantName: string;
  /** One-line JSDoc of that constant. */
  description: string;
  /** The compiler (default `clang`). */
  compiler?: string;
  /** Extra clang / linker arguments (exports, `-Wl,--import-memory`, …). */
  args?: string[];
  /** Rejects the binary (throws) when it breaks a rule of its loader. */
  check?: (wasm: Uint8Array) => void;
}

/** Compiles `build.source` and writes the base64-embedding module. */
export async function buildEmbeddedWasm(
  build: EmbeddedWasmBuild,
): Promise<void> {
  const out = await Deno.makeTempFile({ suffix: ".wasm" });
  try {
    const { success, stderr } = await new Deno.Command(
      build.compiler ?? "clang",
      {
        args: [
          "--target=wasm32",
          "-O3",
          "-msimd128",
          "-nostdlib",
          "-fno-builtin",
          "-Wl,--no-entry",
          ...(build.args ?? []),
          "-o",
          out,
          build.source,
        ],
      },
    ).output();
    if (!success) throw new Error(new TextDecoder().decode(stderr));
    const wasm = await Deno.readFile(out);
    build.check?.(wasm);
    const b64 = btoa(String.fromCharCode(...wasm));
    const lines = b64.match(/.{1,76}/g)!.map((l) => `  "${l}"`).join(" +\n");
    const name = build.source.split("/").pop();
    writeFileAtomic(
      build.output,
      `// Generated from ${name} (${wasm.length} bytes): do not edit.\n` +
        `/** ${build.description} */\n` +
        `export const ${build.constantName}: string =\n${lines};\n`,
    );
  } finally {
    await Deno.remove(out);
  }
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
