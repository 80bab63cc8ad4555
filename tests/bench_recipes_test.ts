import assert from "node:assert/strict";
import * as path from "node:path";
import { readRecipeFile } from "../lib/model/recipe.ts";
import { REPO_ROOT } from "../lib/paths.ts";

Deno.test("bench/recipes: every alternative of the README's quality table is a valid recipe", () => {
  const dir = path.join(REPO_ROOT, "bench", "recipes");
  const files = [...Deno.readDirSync(dir)].filter((e) =>
    e.name.endsWith(".json")
  );
  assert.ok(files.length >= 3);
  for (const f of files) readRecipeFile(path.join(dir, f.name));
});
