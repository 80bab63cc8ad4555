/**
 * The committed wasm modules against the committed C sources, with no C
 * toolchain: each generated module must record the SHA-256 of its source
 * as it is now and the flags its build target lists, so a C edit without a
 * rebuild (`deno task build:wasm`) fails here; and every C file in lib/ must
 * be a build target.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "../../lib/paths.ts";
import {
  sourceSha256,
  WASM_TARGETS,
  type WasmTarget,
} from "../../lib/cli/build_wasm.ts";
import { type EmbeddedWasm, wasmBytes } from "../../lib/wasm/embedded.ts";

async function embedded(target: WasmTarget): Promise<EmbeddedWasm> {
  const module = await import(
    pathToFileURL(path.join(REPO_ROOT, target.output)).href
  );
  const wasm = module[target.constantName] as EmbeddedWasm | undefined;
  assert.ok(wasm, `${target.output} does not export ${target.constantName}`);
  return wasm;
}

for (const target of WASM_TARGETS) {
  Deno.test(`${target.output} was built from the committed ${target.source} with its target's flags`, async () => {
    const wasm = await embedded(target);
    const rebuild = `run \`deno task build:wasm ${target.name}\``;
    assert.equal(wasm.source, target.source);
    assert.equal(
      wasm.sourceSha256,
      sourceSha256(target.source),
      `${target.source} changed since ${target.output} was built: ${rebuild}`,
    );
    assert.deepEqual(
      wasm.flags,
      target.flags,
      `the flags of ${target.name} changed since it was built: ${rebuild}`,
    );
    assert.match(wasm.compiler, /clang version \d+/);
    assert.ok(WebAssembly.validate(wasmBytes(wasm)), "not a valid module");
  });
}

Deno.test("every C source in lib/ is a wasm build target", () => {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(path.join(REPO_ROOT, dir))) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory) walk(rel);
      else if (entry.name.endsWith(".c")) sources.push(rel);
    }
  };
  walk("lib");
  assert.deepEqual(
    sources.sort(),
    WASM_TARGETS.map((t) => t.source).sort(),
  );
});
