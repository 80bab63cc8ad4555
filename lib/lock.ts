/**
 * Exclusive locks on folders, so two processes never write into one
 * `data fetch --dest` (or one model directory) at the same time.
 *
 * A lock is the file `<dir>/.lock`, holding JSON
 * `{pid, hostname, purpose, startedAt}`. It is written to a private
 * temporary file first and hard-linked into place: creating a link fails when
 * the name exists, so taking a lock is atomic and a reader never sees a
 * half-written one. A lock whose process is dead on this host (checked
 * through `/proc` on Linux) is stale and taken over; on another host, or
 * where liveness cannot be checked, a lock is always respected. The lock is
 * released by `release()`, and on a normal exit (including `Deno.exit`) by an
 * `unload` handler; a process that is killed leaves its lock behind, and the
 * next taker finds its pid dead.
 *
 * @module
 */
import * as path from "node:path";
import { ensureDir, exists } from "./paths.ts";

/** Name of the lock file inside a locked folder. */
export const LOCK_FILE = ".lock";

/** An exclusive lock on a directory, held until released. */
export interface DirLock {
  /** Path of the lock file (`<dir>/.lock`). */
  readonly file: string;
  /** Deletes the lock file if this lock still owns it; safe to call twice. */
  release(): void;
}

/** What a lock file says about its holder. */
export interface LockHolder {
  /** Process id of the holder. */
  pid: number;
  /** Host name of the holder's machine. */
  hostname: string;
  /** What the holder is doing, e.g. `data fetch ravdess`. */
  purpose: string;
  /** ISO time the lock was taken. */
  startedAt: string;
}

/**
 * True unless process `pid` is known to be gone: on Linux a process is alive
 * while `/proc/<pid>` exists; elsewhere this cannot be told, so it answers
 * true (a lock or staging folder is then kept, never wrongly taken over).
 */
export function processAlive(pid: number): boolean {
  if (pid === Deno.pid) return true;
  if (Deno.build.os === "linux") return exists(`/proc/${pid}`);
  return true;
}

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(Deno.readTextFileSync(file));
    return typeof h?.pid === "number" && typeof h?.hostname === "string"
      ? h
      : null;
  } catch {
    return null;
  }
}

function sameHolder(a: LockHolder | null, b: LockHolder | null): boolean {
  return a !== null && b !== null && a.pid === b.pid &&
    a.hostname === b.hostname && a.startedAt === b.startedAt;
}

function heldError(dir: string, file: string, holder: LockHolder | null) {
  const who = holder
    ? `process ${holder.pid} on ${holder.hostname} (${holder.purpose}, since ${holder.startedAt})`
    : "another process (its lock file is unreadable)";
  return new Error(
    `${dir} is locked by ${who}; wait for it to finish, or delete ${file} if that process is gone`,
  );
}

/**
 * Moves the stale lock `file` (whose content was `stale`) out of the way.
 * The move is a rename to a private name, then a check that what moved is
 * still the stale lock; if another process took the lock in between, its
 * lock is put back. Returns true if the stale lock is gone.
 */
function removeStale(file: string, stale: LockHolder): boolean {
  const aside = `${file}.stale-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    Deno.renameSync(file, aside);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return true;
    throw err;
  }
  if (sameHolder(readHolder(aside), stale)) {
    Deno.removeSync(aside);
    return true;
  }
  try {
    Deno.linkSync(aside, file);
  } catch { /* a third process took it: theirs stands */ }
  Deno.removeSync(aside);
  return false;
}

/**
 * Takes `<dir>/.lock` (created exclusively; JSON {pid, hostname, purpose,
 * startedAt}); throws an Error naming the directory, the holder's
 * pid/purpose/start time when another live process holds it; takes over a
 * lock whose pid is dead on this host. `dir` is created if missing. The lock
 * is released by `release()` or when the process exits normally.
 */
export function lockDir(dir: string, purpose: string): DirLock {
  ensureDir(dir);
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = {
    pid: Deno.pid,
    hostname: hostname(),
    purpose,
    startedAt: new Date().toISOString(),
  };
  const tmp = `${file}.new-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  Deno.writeTextFileSync(tmp, JSON.stringify(me) + "\n");
  try {
    for (let attempt = 0;; attempt++) {
      try {
        Deno.linkSync(tmp, file);
        break;
      } catch (err) {
        if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      }
      const holder = readHolder(file);
      const stale = holder !== null && holder.hostname === me.hostname &&
        !processAlive(holder.pid);
      if (holder === null || !stale || attempt >= 3) {
        throw heldError(dir, file, holder);
      }
      if (!removeStale(file, holder)) {
        throw heldError(dir, file, readHolder(file) ?? holder);
      }
    }
  } finally {
    Deno.removeSync(tmp);
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    globalThis.removeEventListener("unload", release);
    if (sameHolder(readHolder(file), me)) {
      try {
        Deno.removeSync(file);
      } catch { /* already gone */ }
    }
  };
  globalThis.addEventListener("unload", release);
  return { file, release };
}
