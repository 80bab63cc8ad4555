/**
 * Rebuilds `polyphase_wasm.ts` from `polyphase.c` (developer tool; needs
 * clang with the wasm32 target and wasm-ld, e.g. Debian's `clang lld`):
 * `deno run -A lib/audio/wasm/build.ts`. The generated module is committed,
 * so nothing else needs a C toolchain.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildEmbeddedWasm } from "../../wasm/embed.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Compiles the kernel and writes the base64-embedding TypeScript module. */
export function buildPolyphaseWasm(): Promise<void> {
  return buildEmbeddedWasm({
    source: path.join(here, "polyphase.c"),
    output: path.join(here, "polyphase_wasm.ts"),
    constantName: "POLYPHASE_WASM_BASE64",
    description: "The compiled polyphase kernel (wasm32 + SIMD128), base64.",
    args: ["-Wl,--export=__heap_base"],
  });
}

if (import.meta.main) await buildPolyphaseWasm();
