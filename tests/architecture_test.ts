/**
 * The architecture, checked: every module of `lib/` belongs to one layer,
 * and imports only go down (or stay inside their own folder). A new folder
 * must be placed in {@linkcode LAYERS} — and in CONTRIBUTING.md's map, which
 * this test also keeps true.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { REPO_ROOT, walkFiles } from "../lib/paths.ts";

/**
 * The layers of `lib/`, top to bottom. A module may import modules of its
 * own folder and of any layer below its own; folders on one line are
 * siblings and do not import each other. `shared` is the top-level files
 * (`lib/*.ts`).
 */
export const LAYERS: readonly (readonly string[])[] = [
  ["cli"],
  ["report", "serve"],
  ["predict"],
  ["train"],
  ["run"],
  ["plots"],
  ["evaluate"],
  ["model"],
  ["tfjs"],
  ["features", "augment"],
  ["dsp"],
  ["corpora", "data"],
  ["audio"],
  ["wasm"],
  ["shared"],
];

const LIB = path.join(REPO_ROOT, "lib");

/** The layer (folder) of a file under lib/. */
function layerOf(file: string): string {
  const rel = path.relative(LIB, file).split(path.sep);
  return rel.length === 1 ? "shared" : rel[0];
}

function rankOf(layer: string): number {
  const rank = LAYERS.findIndex((row) => row.includes(layer));
  return rank < 0 ? -1 : LAYERS.length - rank;
}

/** Relative imports of a module: static, dynamic and worker URLs. */
function importsOf(file: string): string[] {
  const src = Deno.readTextFileSync(file);
  const specs = [
    ...src.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"/g),
    ...src.matchAll(/\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g),
    ...src.matchAll(/new URL\(\s*"(\.{1,2}\/[^"]+)",\s*import\.meta\.url/g),
  ].map((m) => m[1]);
  return specs.map((s) => path.resolve(path.dirname(file), s));
}

const files = walkFiles(LIB, [".ts"]);

Deno.test("architecture: every lib/ folder has a layer", () => {
  const unplaced = [...new Set(files.map(layerOf))].filter((l) =>
    rankOf(l) < 0
  );
  assert.deepEqual(unplaced, [], "place these folders in LAYERS");
});

Deno.test("architecture: imports only go down the layers", () => {
  const upward: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const target of importsOf(file)) {
      if (!target.startsWith(LIB + path.sep)) {
        upward.push(`${path.relative(REPO_ROOT, file)} leaves lib/`);
        continue;
      }
      const to = layerOf(target);
      if (to === from) continue;
      if (rankOf(to) >= rankOf(from)) {
        upward.push(
          `${path.relative(REPO_ROOT, file)} (${from}) → ${
            path.relative(REPO_ROOT, target)
          } (${to})`,
        );
      }
    }
  }
  assert.deepEqual(upward, []);
});

Deno.test("architecture: CONTRIBUTING.md's map names every lib/ folder", () => {
  const map = Deno.readTextFileSync(path.join(REPO_ROOT, "CONTRIBUTING.md"));
  const folders = [...new Set(files.map(layerOf))].filter((l) =>
    l !== "shared"
  );
  const missing = folders.filter((f) => !map.includes(`\`lib/${f}/\``));
  assert.deepEqual(missing, [], "add these folders to CONTRIBUTING.md's map");
});
