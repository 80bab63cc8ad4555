import assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { LOCK_FILE, lockDir } from "../../lib/lock.ts";
import { REPO_ROOT } from "../../lib/paths.ts";
import { listNames, tempDir } from "../data/loopback.ts";

const LOCK_MODULE = path.join(REPO_ROOT, "lib", "lock.ts");

/** Starts a process that takes the lock on `dir`, says "locked" and waits for stdin to close. */
async function holdInChild(dir: string) {
  const code = `
    import { lockDir } from ${JSON.stringify(pathToFileURL(LOCK_MODULE).href)};
    lockDir(${JSON.stringify(dir)}, "child test");
    console.log("locked");
    for await (const _ of Deno.stdin.readable) { /* wait for EOF */ }
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  assert.equal(new TextDecoder().decode(value).trim(), "locked");
  reader.releaseLock();
  return child;
}

async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("lockDir: a second lock on one folder fails clearly; release frees it", () => {
  using tmp = tempDir();
  const first = lockDir(tmp.path, "data fetch ravdess");
  assert.equal(first.file, path.join(tmp.path, LOCK_FILE));
  const holder = JSON.parse(Deno.readTextFileSync(first.file));
  assert.equal(holder.pid, Deno.pid);
  assert.equal(holder.purpose, "data fetch ravdess");
  assert.equal(holder.hostname, Deno.hostname());
  assert.ok(!Number.isNaN(Date.parse(holder.startedAt)));
  assert.throws(
    () => lockDir(tmp.path, "data fetch tess"),
    (err: Error) => {
      assert.ok(
        err.message.startsWith(
          `${tmp.path} is locked by process ${Deno.pid} on `,
        ),
        err.message,
      );
      assert.ok(
        err.message.includes(`(data fetch ravdess, since ${holder.startedAt})`),
        err.message,
      );
      assert.ok(
        err.message.includes(`delete ${first.file} if that process is gone`),
        err.message,
      );
      return true;
    },
  );
  // The failed attempt left nothing behind and did not touch the lock.
  assert.deepEqual(listNames(tmp.path), [LOCK_FILE]);
  first.release();
  first.release();
  assert.deepEqual(listNames(tmp.path), []);
  const second = lockDir(tmp.path, "data fetch tess");
  // A released lock never deletes a lock another taker holds since.
  first.release();
  assert.deepEqual(listNames(tmp.path), [LOCK_FILE]);
  second.release();
  assert.deepEqual(listNames(tmp.path), []);
});

Deno.test("lockDir: creates a missing folder", () => {
  using tmp = tempDir();
  const dir = path.join(tmp.path, "a", "b");
  const lock = lockDir(dir, "test");
  assert.deepEqual(listNames(dir), [LOCK_FILE]);
  lock.release();
});

Deno.test({
  name:
    "lockDir: another live process's lock is respected, released at its exit",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    using tmp = tempDir();
    const child = await holdInChild(tmp.path);
    try {
      assert.throws(
        () => lockDir(tmp.path, "parent"),
        new RegExp(
          `is locked by process ${child.pid} on .* \\(child test, since `,
        ),
      );
    } finally {
      await child.stdin.close();
    }
    assert.equal((await child.status).code, 0);
    // The child never called release(): its exit did.
    assert.deepEqual(listNames(tmp.path), []);
    lockDir(tmp.path, "parent").release();
  },
});

Deno.test({
  name: "lockDir: the lock of a killed process is taken over",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    using tmp = tempDir();
    const child = await holdInChild(tmp.path);
    child.kill("SIGKILL");
    await child.status;
    await child.stdin.close().catch(() => {});
    assert.deepEqual(listNames(tmp.path), [LOCK_FILE]);
    const lock = lockDir(tmp.path, "after the crash");
    const holder = JSON.parse(Deno.readTextFileSync(lock.file));
    assert.equal(holder.pid, Deno.pid);
    assert.equal(holder.purpose, "after the crash");
    lock.release();
    assert.deepEqual(listNames(tmp.path), []);
  },
});

Deno.test({
  name:
    "lockDir: a stale lock of a dead pid is taken over; another host's is not",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    using tmp = tempDir();
    const file = path.join(tmp.path, LOCK_FILE);
    const pid = await deadPid();
    const stale = {
      pid,
      purpose: "old",
      startedAt: "2020-01-01T00:00:00.000Z",
    };
    Deno.writeTextFileSync(
      file,
      JSON.stringify({ ...stale, hostname: Deno.hostname() }),
    );
    const lock = lockDir(tmp.path, "new");
    assert.equal(JSON.parse(Deno.readTextFileSync(file)).pid, Deno.pid);
    lock.release();
    assert.deepEqual(listNames(tmp.path), []);

    // The same dead pid on another machine (a shared folder): cannot tell, so respected.
    Deno.writeTextFileSync(
      file,
      JSON.stringify({ ...stale, hostname: "elsewhere.invalid" }),
    );
    assert.throws(
      () => lockDir(tmp.path, "new"),
      new RegExp(
        `is locked by process ${pid} on elsewhere\\.invalid \\(old, since 2020-01-01T00:00:00\\.000Z\\)`,
      ),
    );
    // An unreadable lock file is respected too.
    Deno.writeTextFileSync(file, "");
    assert.throws(
      () => lockDir(tmp.path, "new"),
      /locked by another process \(its lock file is unreadable\)/,
    );
    assert.deepEqual(listNames(tmp.path), [LOCK_FILE]);
  },
});
