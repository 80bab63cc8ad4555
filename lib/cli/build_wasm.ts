/**
 * `deno task build:wasm [name…]` — the one build of the project's C
 * kernels (developer tool). Compiles each C source of
 * {@linkcode WASM_TARGETS} (all, or those named) for wasm32 + SIMD128 with
 * clang and wasm-ld, and writes the TypeScript module embedding the binary
 * with the source's SHA-256, the compiler version and the flags
 * ({@linkcode EmbeddedWasm}). The generated modules are committed, so
 * nothing else needs a C toolchain; `tests/wasm/embedded_test.ts` fails when
 * a source or its flags no longer match its module.
 *
 * Needs clang 16 and wasm-ld (Debian's `clang-16 lld-16`): `kernels.c` uses
 * relaxed SIMD (clang ≥ 16); the other two need clang ≥ 14.
 *
 * @module
 */
import * as path from "node:path";
import { createHash } from "node:crypto";
import { REPO_ROOT, writeFileAtomic } from "../paths.ts";
import { NATIVE_ABI, STACK_POINTER } from "../tfjs/native/abi.ts";
import { type EmbeddedWasm, wasmSectionIds } from "../wasm/embedded.ts";

/** One C source and the module generated from it. */
export interface WasmTarget {
  /** Name on the command line (`deno task build:wasm <name>`). */
  name: string;
  /** The C source, relative to the repository root. */
  source: string;
  /** The generated TypeScript module, relative to the repository root. */
  output: string;
  /** Name of the {@linkcode EmbeddedWasm} constant the module exports. */
  constantName: string;
  /** One-line JSDoc of that constant. */
  description: string;
  /** The compiler command. */
  compiler: string;
  /** Compiler and linker flags (without output and source). */
  flags: readonly string[];
  /** Rejects the binary (throws) when it breaks a rule of its loader. */
  check?: (wasm: Uint8Array) => void;
}

/** Flags of every target: wasm32 + SIMD128, no libc, no entry point. */
const COMMON_FLAGS = [
  "--target=wasm32",
  "-O3",
  "-msimd128",
  "-nostdlib",
  "-fno-builtin",
  "-Wl,--no-entry",
];

/** Linker flags exporting `names`. */
function exportFlags(names: readonly string[]): string[] {
  return names.map((name) => `-Wl,--export=${name}`);
}

/** WebAssembly section id of data segments. */
const DATA_SECTION = 11;

/** The C sources and how each is built. */
export const WASM_TARGETS: readonly WasmTarget[] = [
  {
    name: "polyphase",
    source: "lib/audio/wasm/polyphase.c",
    output: "lib/audio/wasm/polyphase_wasm.ts",
    constantName: "POLYPHASE_WASM",
    description: "The compiled polyphase resampling kernel (wasm32 + SIMD128).",
    compiler: "clang-16",
    flags: [...COMMON_FLAGS, ...exportFlags(["__heap_base"])],
  },
  {
    name: "mel_kernel",
    source: "lib/features/wasm/mel_kernel.c",
    output: "lib/features/wasm/mel_kernel_wasm.ts",
    constantName: "MEL_KERNEL_WASM",
    description:
      "The compiled log-mel and DCT kernel (wasm32 + SIMD128, imported memory).",
    compiler: "clang-16",
    flags: [
      ...COMMON_FLAGS,
      ...exportFlags(["mel_db", "clip_below", "dct_frames", "__heap_base"]),
      "-Wl,--import-memory",
      "-Wl,--strip-all",
    ],
  },
  {
    name: "kernels",
    source: "lib/tfjs/native/kernels.c",
    output: "lib/tfjs/native/kernels_wasm.ts",
    constantName: "NATIVE_KERNELS_WASM",
    description:
      "The compiled training kernels (wasm32 + relaxed SIMD, imported memory).",
    compiler: "clang-16",
    flags: [
      ...COMMON_FLAGS,
      "-mrelaxed-simd",
      "-mmutable-globals",
      "-Wl,--import-memory",
      ...exportFlags([STACK_POINTER, ...Object.keys(NATIVE_ABI)]),
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
  },
];

/** SHA-256 (hex) of a source file (path relative to the repository root). */
export function sourceSha256(source: string): string {
  return createHash("sha256")
    .update(Deno.readFileSync(path.join(REPO_ROOT, source)))
    .digest("hex");
}

/** Runs `command args…` and returns its stdout; throws with its stderr. */
async function run(command: string, args: string[]): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(command, { args }).output();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(
        `${command} not found: install clang 16 and wasm-ld (Debian: apt-get install clang-16 lld-16)`,
      );
    }
    throw err;
  }
  if (!output.success) {
    throw new Error(
      `${command} failed:\n${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return new TextDecoder().decode(output.stdout);
}

/** The TypeScript module embedding `wasm`, built for `target` as `info` says. */
function moduleText(
  target: WasmTarget,
  wasm: Uint8Array,
  info: Omit<EmbeddedWasm, "base64">,
): string {
  let embedded = path.relative(
    path.dirname(target.output),
    "lib/wasm/embedded.ts",
  );
  if (!embedded.startsWith(".")) embedded = `./${embedded}`;
  const b64 = btoa(String.fromCharCode(...wasm));
  const lines = b64.match(/.{1,76}/g)!.map((l) => `"${l}"`).join(" +\n    ");
  const flags = info.flags.map((f) => `    ${JSON.stringify(f)},\n`).join("");
  // As deno fmt lays them out: a value that does not fit goes on its own line.
  const property = (key: string, value: string) => {
    const line = `  ${key}: ${value},`;
    return line.length <= 80 && !value.includes("\n")
      ? `${line}\n`
      : `  ${key}:\n    ${value},\n`;
  };
  return `// Generated by \`deno task build:wasm ${target.name}\` from ${target.source} (${wasm.length} bytes): do not edit.\n` +
    `import type { EmbeddedWasm } from "${embedded}";\n\n` +
    `/** ${target.description} */\n` +
    `export const ${target.constantName}: EmbeddedWasm = {\n` +
    property("source", JSON.stringify(info.source)) +
    property("sourceSha256", JSON.stringify(info.sourceSha256)) +
    property("compiler", JSON.stringify(info.compiler)) +
    `  flags: [\n${flags}  ],\n` +
    property("base64", lines) +
    `};\n`;
}

/**
 * Compiles `target` and writes its module.
 *
 * @returns the size of the binary in bytes.
 * @throws Error with the compiler's message, or the check's.
 */
async function buildWasmTarget(target: WasmTarget): Promise<number> {
  const sourceSha = sourceSha256(target.source);
  const compiler = (await run(target.compiler, ["--version"])).split("\n")[0]
    .trim();
  const out = await Deno.makeTempFile({ suffix: ".wasm" });
  try {
    await run(target.compiler, [
      ...target.flags,
      "-o",
      out,
      path.join(REPO_ROOT, target.source),
    ]);
    const wasm = await Deno.readFile(out);
    target.check?.(wasm);
    writeFileAtomic(
      path.join(REPO_ROOT, target.output),
      moduleText(target, wasm, {
        source: target.source,
        sourceSha256: sourceSha,
        compiler,
        flags: target.flags,
      }),
    );
    return wasm.length;
  } finally {
    await Deno.remove(out);
  }
}

/**
 * The targets named in `names` (all when empty).
 *
 * @throws Error naming an unknown target and the known ones.
 */
function selectTargets(names: readonly string[]): WasmTarget[] {
  const unknown = names.filter((n) => !WASM_TARGETS.some((t) => t.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown wasm target ${unknown.join(", ")} (choose from ${
        WASM_TARGETS.map((t) => t.name).join(", ")
      })`,
    );
  }
  return names.length === 0
    ? [...WASM_TARGETS]
    : WASM_TARGETS.filter((t) => names.includes(t.name));
}

if (import.meta.main) {
  try {
    for (const target of selectTargets(Deno.args)) {
      const bytes = await buildWasmTarget(target);
      console.log(`${target.output}: ${bytes} bytes from ${target.source}`);
    }
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    Deno.exit(1);
  }
}
