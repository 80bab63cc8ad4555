/**
 * The ABI table of lib/tfjs/native/abi.ts against what it describes: the
 * exported (non-static) C functions of kernels.c, parameter by parameter
 * (name and kind), and the committed binary's functions (their arity). No
 * C toolchain needed.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { initBackend } from "../../lib/tfjs/mod.ts";
import { NATIVE_ABI, type ParamKind } from "../../lib/tfjs/native/abi.ts";
import { nativeKernels } from "../../lib/tfjs/native/native.ts";

await initBackend("wasm");

const SOURCE = new URL("../../lib/tfjs/native/kernels.c", import.meta.url);

/** The kind of one C parameter declaration (`const float *x`, `int n`, …). */
function kindOf(declaration: string): ParamKind {
  if (declaration.includes("*")) return "ptr";
  if (/^int\b/.test(declaration)) return "int";
  if (/^float\b/.test(declaration)) return "float";
  throw new Error(`kernels.c: unexpected parameter type in "${declaration}"`);
}

/** `"<name>: <kind>"` of every parameter of every non-static function. */
function cFunctions(source: string): Record<string, string[]> {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "");
  const macro = /#define WINDOW_PARAMS((?:.*\\\n)*.*)/.exec(code);
  assert.ok(macro, "kernels.c defines WINDOW_PARAMS");
  const window = macro[1].replace(/\\\n/g, " ");
  const functions: Record<string, string[]> = {};
  for (const m of code.matchAll(/^\w+\s+(\w+)\(([^)]*)\)\s*\{/gm)) {
    functions[m[1]] = m[2].replace("WINDOW_PARAMS", window).split(",").map(
      (p) => {
        const declaration = p.trim().replace(/\s+/g, " ");
        const name = /(\w+)$/.exec(declaration)![1];
        return `${name}: ${kindOf(declaration)}`;
      },
    );
  }
  return functions;
}

Deno.test("kernels.c defines exactly the functions of the ABI table, with its parameters", () => {
  const functions = cFunctions(Deno.readTextFileSync(SOURCE));
  assert.deepEqual(
    Object.keys(functions).sort(),
    Object.keys(NATIVE_ABI).sort(),
  );
  for (const [name, params] of Object.entries(NATIVE_ABI)) {
    assert.deepEqual(functions[name], [...params], name);
  }
});

Deno.test("the committed binary's functions take the ABI table's parameter counts", () => {
  const kernels = nativeKernels(tf.backend() as BackendWasm);
  for (const [name, params] of Object.entries(NATIVE_ABI)) {
    const fn = kernels[name as keyof typeof NATIVE_ABI] as unknown as (
      ...args: number[]
    ) => void;
    assert.equal(fn.length, params.length, name);
  }
});
