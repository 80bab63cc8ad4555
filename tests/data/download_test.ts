import assert from "node:assert/strict";
import * as path from "node:path";
import { download } from "../../lib/data/mod.ts";
import {
  buildZip,
  md5,
  ravdessFiles,
  serveLoopback,
  tempDir,
} from "./loopback.ts";

const ZIP = buildZip(ravdessFiles());
const ZIP_MD5 = md5(ZIP);

Deno.test("download: complete transfer is verified and renamed into place", async () => {
  using tmp = tempDir();
  const server = serveLoopback({ "/x.zip": { body: ZIP } });
  try {
    const dest = path.join(tmp.path, "downloads", "x.zip");
    const result = await download({
      url: `${server.base}/x.zip`,
      dest,
      size: ZIP.length,
      checksum: { algorithm: "md5", value: ZIP_MD5 },
      progress: "silent",
    });
    assert.equal(result.bytes, ZIP.length);
    assert.equal(result.digest, ZIP_MD5);
    assert.equal(result.reused, false);
    assert.equal(server.requests[0].acceptEncoding, "identity");
    assert.deepEqual(Deno.readFileSync(dest), ZIP);
    assert.equal(Deno.statSync(path.dirname(dest)).isDirectory, true);
    assert.deepEqual(
      [...Deno.readDirSync(path.dirname(dest))].map((e) => e.name),
      ["x.zip"],
    );

    // A verified file in place is reused without a request.
    const before = server.requests.length;
    const again = await download({
      url: `${server.base}/x.zip`,
      dest,
      checksum: { algorithm: "md5", value: ZIP_MD5 },
      progress: "silent",
    });
    assert.equal(again.reused, true);
    assert.equal(server.requests.length, before);
  } finally {
    await server.close();
  }
});

Deno.test("download: truncated transfer fails clearly, then resumes with Range", async () => {
  using tmp = tempDir();
  const cut = 700;
  const server = serveLoopback({
    "/x.zip": { body: ZIP, truncateTimes: 1, truncateAt: cut },
  });
  try {
    const url = `${server.base}/x.zip`;
    const dest = path.join(tmp.path, "x.zip");
    const options = {
      url,
      dest,
      checksum: { algorithm: "md5" as const, value: ZIP_MD5 },
      progress: "silent" as const,
    };
    await assert.rejects(
      download(options),
      (err: Error) => {
        assert.match(err.message, new RegExp(`download of ${url} truncated`));
        assert.match(
          err.message,
          new RegExp(`received ${cut} of ${ZIP.length} bytes`),
        );
        return true;
      },
    );
    assert.equal(Deno.statSync(`${dest}.part`).size, cut);
    assert.throws(() => Deno.statSync(dest));

    const result = await download(options);
    assert.equal(result.resumedFrom, cut);
    assert.equal(result.digest, ZIP_MD5);
    assert.deepEqual(Deno.readFileSync(dest), ZIP);
    assert.throws(() => Deno.statSync(`${dest}.part`));
    assert.deepEqual(server.requests.map((r) => r.range), [
      null,
      `bytes=${cut}-`,
    ]);
  } finally {
    await server.close();
  }
});

Deno.test("download: a server that ignores Range restarts from zero", async () => {
  using tmp = tempDir();
  const server = serveLoopback({
    "/x.zip": { body: ZIP, ranges: false, truncateTimes: 1, truncateAt: 500 },
  });
  try {
    const dest = path.join(tmp.path, "x.zip");
    const options = {
      url: `${server.base}/x.zip`,
      dest,
      checksum: { algorithm: "md5" as const, value: ZIP_MD5 },
      progress: "silent" as const,
    };
    await assert.rejects(download(options), /truncated: received 500 of/);
    const result = await download(options);
    assert.equal(result.resumedFrom, 0);
    assert.equal(server.requests[1].range, "bytes=500-");
    assert.deepEqual(Deno.readFileSync(dest), ZIP);
  } finally {
    await server.close();
  }
});

Deno.test("download: 416 on a whole part completes it; a part larger than the resource restarts", async () => {
  using tmp = tempDir();
  const server = serveLoopback({ "/x.zip": { body: ZIP } });
  try {
    const dest = path.join(tmp.path, "x.zip");
    const options = {
      url: `${server.base}/x.zip`,
      dest,
      checksum: { algorithm: "md5" as const, value: ZIP_MD5 },
      progress: "silent" as const,
    };
    Deno.writeFileSync(`${dest}.part`, ZIP);
    const whole = await download(options);
    assert.equal(whole.resumedFrom, ZIP.length);
    assert.equal(whole.digest, ZIP_MD5);
    assert.deepEqual(Deno.readFileSync(dest), ZIP);

    Deno.removeSync(dest);
    const oversized = new Uint8Array(ZIP.length + 10);
    oversized.set(ZIP);
    Deno.writeFileSync(`${dest}.part`, oversized);
    const restarted = await download(options);
    assert.equal(restarted.resumedFrom, 0);
    assert.deepEqual(Deno.readFileSync(dest), ZIP);
    assert.deepEqual(server.requests.map((r) => r.range), [
      `bytes=${ZIP.length}-`,
      `bytes=${ZIP.length + 10}-`,
      null,
    ]);
  } finally {
    await server.close();
  }
});

Deno.test("download: checksum mismatch names both digests and leaves no file", async () => {
  using tmp = tempDir();
  const server = serveLoopback({ "/x.zip": { body: ZIP } });
  try {
    const url = `${server.base}/x.zip`;
    const dest = path.join(tmp.path, "x.zip");
    const wrong = "0".repeat(32);
    await assert.rejects(
      download({
        url,
        dest,
        checksum: { algorithm: "md5", value: wrong },
        progress: "silent",
      }),
      new RegExp(
        `checksum mismatch for ${url}: expected md5 ${wrong}, got ${ZIP_MD5}`,
      ),
    );
    assert.deepEqual([...Deno.readDirSync(tmp.path)], []);
  } finally {
    await server.close();
  }
});

Deno.test("download: HTTP errors and size disagreements name the URL and reason", async () => {
  using tmp = tempDir();
  const server = serveLoopback({
    "/x.zip": { body: ZIP },
    "/gone.zip": { body: ZIP, status: 410 },
  });
  try {
    const dest = path.join(tmp.path, "x.zip");
    await assert.rejects(
      download({ url: `${server.base}/missing.zip`, dest, progress: "silent" }),
      new RegExp(`download of ${server.base}/missing.zip failed: HTTP 404`),
    );
    await assert.rejects(
      download({ url: `${server.base}/gone.zip`, dest, progress: "silent" }),
      /failed: HTTP 410/,
    );
    await assert.rejects(
      download({
        url: `${server.base}/x.zip`,
        dest,
        size: ZIP.length + 1,
        progress: "silent",
      }),
      new RegExp(
        `the server announces ${ZIP.length} bytes, the source publishes ${
          ZIP.length + 1
        }`,
      ),
    );
    assert.deepEqual([...Deno.readDirSync(tmp.path)], []);
  } finally {
    await server.close();
  }
});

/** Fails if `promise` has not settled after `ms` (instead of hanging the suite). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still waiting after ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("download: a stalled server is given up on after the read timeout; the rerun resumes", async () => {
  using tmp = tempDir();
  const stall = 1000;
  const stalled = serveLoopback({
    "/x.zip": { body: ZIP, stallAfter: stall },
    "/hang.zip": { body: ZIP, hang: true },
  });
  const good = serveLoopback({ "/x.zip": { body: ZIP } });
  try {
    const dest = path.join(tmp.path, "x.zip");
    const options = {
      dest,
      checksum: { algorithm: "md5" as const, value: ZIP_MD5 },
      progress: "silent" as const,
      readTimeoutS: 0.2,
    };
    await assert.rejects(
      within(5000, download({ ...options, url: `${stalled.base}/x.zip` })),
      new RegExp(
        `download of ${stalled.base}/x\\.zip stalled: no data for 0\\.2 s after ${stall} of ${ZIP.length} bytes; run again to resume`,
      ),
    );
    assert.equal(Deno.statSync(`${dest}.part`).size, stall);
    await assert.rejects(
      within(5000, download({ ...options, url: `${stalled.base}/hang.zip` })),
      new RegExp(
        `download of ${stalled.base}/hang\\.zip stalled: no answer for 0\\.2 s; run again to retry`,
      ),
    );
    const result = await download({ ...options, url: `${good.base}/x.zip` });
    assert.equal(result.resumedFrom, stall);
    assert.deepEqual(Deno.readFileSync(dest), ZIP);
  } finally {
    await stalled.close();
    await good.close();
  }
});
