/**
 * Rebuilds `kernels_wasm.ts` from `kernels.c` (developer tool; needs clang
 * 16 or later with the wasm32 target and wasm-ld for relaxed SIMD, e.g.
 * Debian's `clang-16 lld-16`):
 * `deno run -A lib/tfjs/native/build.ts`. The generated module is
 * committed, so nothing else needs a C toolchain.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildEmbeddedWasm, wasmSectionIds } from "../../wasm/embed.ts";
import { NATIVE_ABI, STACK_POINTER } from "./abi.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

/** WebAssembly section id of data segments. */
const DATA_SECTION = 11;

/** Compiles the kernels and writes the base64-embedding TypeScript module. */
export function buildNativeKernels(): Promise<void> {
  return buildEmbeddedWasm({
    source: path.join(here, "kernels.c"),
    output: path.join(here, "kernels_wasm.ts"),
    constantName: "NATIVE_KERNELS_WASM_BASE64",
    description:
      "The compiled training kernels (wasm32 + SIMD128, imported memory), base64.",
    compiler: "clang-16",
    args: [
      "-mrelaxed-simd",
      "-mmutable-globals",
      "-Wl,--import-memory",
      `-Wl,--export=${STACK_POINTER}`,
      ...Object.keys(NATIVE_ABI).map((name) => `-Wl,--export=${name}`),
      "-Wl,--strip-all",
    ],
    // The module shares the TF.js heap: a data segment would be written into
    // it at instantiation.
    check(wasm) {
      if (wasmSectionIds(wasm).includes(DATA_SECTION)) {
        throw new Error(
          "kernels.c compiled to a data segment; the shared-heap kernels must not have static data",
        );
      }
    },
  });
}

if (import.meta.main) await buildNativeKernels();
