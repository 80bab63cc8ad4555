/**
 * The page's scripts, bundled from `lib/` by Deno's own bundler
 * (`deno bundle --platform browser --minify`, esbuild inside): `app.js`
 * (the page, with the toolkit's decoding, resampling, features, TF.js and
 * model code) and `worklet.js`. Built once per source state: the bundle is
 * cached under a hash of every `lib/` source, `deno.lock` and the Deno
 * version, so a restart with unchanged code serves it at once. A bundle that
 * still refers to Deno or Node APIs is refused, naming the module, since the
 * browser code must reach only pure modules.
 *
 * @module
 */
import * as path from "node:path";
import { createHash } from "node:crypto";
import { DATA_DIR, ensureDir, exists, REPO_ROOT, walkFiles } from "../paths.ts";

/** The entry points, by output file name. */
export const BUNDLE_ENTRIES: Readonly<Record<string, string>> = {
  "app.js": "lib/serve/browser/app.ts",
  "worklet.js": "lib/serve/browser/worklet.ts",
};

/** Default folder of cached bundles (`data/cache/serve/<hash>/`). */
export const DEFAULT_BUNDLE_CACHE: string = path.join(
  DATA_DIR,
  "cache",
  "serve",
);

/** A built bundle. */
export interface Bundle {
  /** The folder holding `app.js` and `worklet.js`. */
  dir: string;
  /** The source hash it was built from. */
  hash: string;
  /** True when it was built now (false: found in the cache). */
  built: boolean;
}

/** Hash of what the bundle is made of: the `lib/` sources, the lock file and Deno. */
export function bundleSourceHash(): string {
  const h = createHash("sha256");
  h.update(Deno.version.deno);
  const files = [
    ...walkFiles(path.join(REPO_ROOT, "lib"), [".ts"]),
    path.join(REPO_ROOT, "deno.lock"),
    path.join(REPO_ROOT, "deno.json"),
  ].filter(exists).sort();
  for (const f of files) {
    h.update(path.relative(REPO_ROOT, f));
    h.update(Deno.readFileSync(f));
  }
  return h.digest("hex").slice(0, 16);
}

/**
 * Where a bundle reaches a Deno or Node API, as `module: reference` lines
 * (esbuild marks each module's code with a `// <path>` comment; empty when
 * the bundle is pure). Unminified bundles only (the comments are gone after
 * minifying).
 */
export function impureReferences(code: string): string[] {
  const found: string[] = [];
  let module = "(bundle)";
  for (const line of code.split("\n")) {
    const marker = line.match(/^\/\/ (\S+\.(?:ts|js|mjs|cjs))$/);
    if (marker) module = marker[1];
    const hit = line.match(
      /\bDeno\.[A-Za-z]+|\bfrom\s*"node:[a-z_/]+"|\brequire\("node:[a-z_/]+"\)|\bimport\("node:[a-z_/]+"\)/,
    );
    if (hit) found.push(`${module}: ${hit[0]}`);
  }
  return [...new Set(found)];
}

async function denoBundle(
  outDir: string,
  minify: boolean,
): Promise<void> {
  const args = [
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--outdir",
    outDir,
    // Codecs are loaded on demand (one chunk each, fetched when a file of
    // that kind is dropped); the one audio-decode lists but does not ship
    // stays an import that fails only for such a file.
    "--code-splitting",
    "--external=@audio/decode-ape",
    ...(minify ? ["--minify"] : []),
    ...Object.values(BUNDLE_ENTRIES).map((e) => path.join(REPO_ROOT, e)),
  ];
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `deno bundle failed:\n${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
}

/**
 * The bundle for the current sources: from `cacheDir/<hash>/` if it was
 * built before, else built there (checked for Deno/Node references on an
 * unminified build first). Throws an Error with the bundler's message, or
 * naming the impure modules.
 */
export async function buildBundle(
  cacheDir: string = DEFAULT_BUNDLE_CACHE,
): Promise<Bundle> {
  const hash = bundleSourceHash();
  const dir = path.join(cacheDir, hash);
  const names = Object.keys(BUNDLE_ENTRIES);
  if (names.every((n) => exists(path.join(dir, n)))) {
    return { dir, hash, built: false };
  }
  ensureDir(cacheDir);
  const staging = Deno.makeTempDirSync({ dir: cacheDir, prefix: ".build-" });
  try {
    const plain = path.join(staging, "plain");
    await denoBundle(plain, false);
    const impure = [...Deno.readDirSync(plain)].flatMap((e) =>
      impureReferences(Deno.readTextFileSync(path.join(plain, e.name)))
    );
    if (impure.length > 0) {
      throw new Error(
        `the browser bundle reaches Deno or Node APIs (import pure modules directly, not a mod.ts that reaches them):\n  ${
          impure.join("\n  ")
        }`,
      );
    }
    const minified = path.join(staging, "min");
    await denoBundle(minified, true);
    try {
      Deno.renameSync(minified, dir);
    } catch (err) {
      // Another server built it meanwhile.
      if (!names.every((n) => exists(path.join(dir, n)))) throw err;
    }
  } finally {
    Deno.removeSync(staging, { recursive: true });
  }
  return { dir, hash, built: true };
}
