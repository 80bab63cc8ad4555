import assert from "node:assert/strict";
import * as path from "node:path";
import { realCorporaInDataDir } from "../../lib/train/data.ts";
import { parseStagingName, stagingPath } from "../../lib/paths.ts";
import { tempDir } from "../data/loopback.ts";

Deno.test("realCorporaInDataDir: staging folders of a killed fetch are never corpora; linked corpora are", () => {
  using tmp = tempDir();
  const elsewhere = path.join(tmp.path, "elsewhere");
  const data = path.join(tmp.path, "data");
  for (
    const name of [
      "ravdess",
      "ravdess.tmp-4999999-0123abcd", // left by a killed `data fetch`
      "tess.old-4999999-89abcdef",
      "cache",
      "downloads",
      "synthetic",
      ".hidden",
    ]
  ) Deno.mkdirSync(path.join(data, name), { recursive: true });
  Deno.mkdirSync(path.join(elsewhere, "crema"), { recursive: true });
  Deno.symlinkSync(path.join(elsewhere, "crema"), path.join(data, "crema-d"));
  Deno.symlinkSync(path.join(elsewhere, "gone"), path.join(data, "broken"));
  Deno.writeTextFileSync(path.join(data, "notes.txt"), "a file");
  assert.deepEqual(realCorporaInDataDir(data), [
    path.join(data, "crema-d"),
    path.join(data, "ravdess"),
  ]);
});

Deno.test("stagingPath / parseStagingName: round trip, nothing else matches", () => {
  const made = path.basename(stagingPath("/x/ravdess"));
  assert.deepEqual(parseStagingName(made), {
    target: "ravdess",
    pid: Deno.pid,
  });
  assert.deepEqual(
    parseStagingName(path.basename(stagingPath("/x/a.tmp-1-2", "old"))),
    { target: "a.tmp-1-2", pid: Deno.pid },
  );
  for (
    const name of [
      "ravdess",
      "ravdess.tmp",
      "ravdess.tmp-12-xyz",
      "tmp-1-0123abcd",
    ]
  ) {
    assert.equal(parseStagingName(name), null, name);
  }
});
