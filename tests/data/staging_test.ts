import assert from "node:assert/strict";
import * as path from "node:path";
import { buildDirAtomically, removeStaleStaging } from "../../lib/data/mod.ts";
import { listNames, tempDir } from "./loopback.ts";

Deno.test("buildDirAtomically: a failed build leaves nothing, a good one replaces the target", async () => {
  using tmp = tempDir();
  const target = path.join(tmp.path, "corpus");
  await assert.rejects(
    buildDirAtomically(target, async (dir) => {
      await Deno.writeTextFile(path.join(dir, "half.wav"), "x");
      throw new Error("disk on fire");
    }),
    /disk on fire/,
  );
  assert.deepEqual(listNames(tmp.path), []);

  const first = await buildDirAtomically(target, async (dir) => {
    await Deno.writeTextFile(path.join(dir, "a.wav"), "a");
    return 1;
  });
  assert.equal(first, 1);
  await buildDirAtomically(target, async (dir) => {
    await Deno.writeTextFile(path.join(dir, "b.wav"), "b");
  });
  assert.deepEqual(listNames(tmp.path), ["corpus"]);
  assert.deepEqual(listNames(target), ["b.wav"]);

  // A failed rebuild keeps the previous target untouched.
  await assert.rejects(
    buildDirAtomically(target, () => Promise.reject(new Error("no"))),
  );
  assert.deepEqual(listNames(target), ["b.wav"]);
  assert.deepEqual(listNames(tmp.path), ["corpus"]);
});

Deno.test({
  name: "removeStaleStaging: deletes leftovers of dead processes only",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    using tmp = tempDir();
    const target = path.join(tmp.path, "ravdess");
    // A pid above Linux's pid_max (2^22) is never alive.
    const dead = `ravdess.tmp-4999999-0123abcd`;
    const deadOld = `ravdess.old-4999999-89abcdef`;
    const live = `ravdess.tmp-${Deno.pid}-0123abcd`;
    for (
      const name of [
        dead,
        deadOld,
        live,
        "tess.tmp-4999999-0123abcd",
        "ravdess",
      ]
    ) {
      Deno.mkdirSync(path.join(tmp.path, name));
    }
    const removed = await removeStaleStaging(target);
    assert.deepEqual(removed.map((p) => path.basename(p)).sort(), [
      deadOld,
      dead,
    ]);
    assert.deepEqual(listNames(tmp.path), [
      "ravdess",
      live,
      "tess.tmp-4999999-0123abcd",
    ]);
  },
});
