import assert from "node:assert/strict";
import * as path from "node:path";
import {
  dataverseListUrl,
  FETCH_MARKER,
  fetchCorpus,
  type FetchRecord,
  TESS_SOURCE,
} from "../../lib/data/mod.ts";
import { REPO_ROOT, walkFiles } from "../../lib/paths.ts";
import {
  buildZip,
  listNames,
  md5,
  ravdessFiles,
  type Route,
  serveLoopback,
  tempDir,
  tinyWav,
} from "./loopback.ts";

const FILES = ravdessFiles();
const ZIP = buildZip(FILES);

Deno.test("fetchCorpus ravdess: download, verify, extract, record; then nothing to do", async () => {
  using tmp = tempDir();
  const server = serveLoopback({ "/x.zip": { body: ZIP } });
  try {
    const lines: string[] = [];
    const options = {
      corpus: "ravdess",
      dest: tmp.path,
      url: `${server.base}/x.zip`,
      checksum: { algorithm: "md5" as const, value: md5(ZIP) },
      progress: "silent" as const,
      log: (line: string) => lines.push(line),
    };
    const result = await fetchCorpus(options);
    const dir = path.join(tmp.path, "ravdess");
    assert.deepEqual(result, {
      corpus: "ravdess",
      dir,
      audioFiles: 3,
      alreadyPresent: false,
    });
    for (const [name, data] of Object.entries(FILES)) {
      assert.deepEqual(Deno.readFileSync(path.join(dir, name)), data);
    }
    // Only the corpus and the kept archive: no temporary folder, no .part.
    assert.deepEqual(listNames(tmp.path), ["downloads", "ravdess"]);
    assert.deepEqual(listNames(path.join(tmp.path, "downloads")), ["x.zip"]);
    assert.deepEqual(listNames(dir), [FETCH_MARKER, "Actor_01", "Actor_02"]);
    const record = JSON.parse(
      Deno.readTextFileSync(path.join(dir, FETCH_MARKER)),
    ) as FetchRecord;
    assert.equal(record.url, `${server.base}/x.zip`);
    assert.equal(record.verified, `md5 ${md5(ZIP)}`);
    assert.equal(record.audioFiles, 3);
    assert.match(record.licence, /CC BY-NC-SA 4\.0/);
    assert.ok(lines.includes(`  verifying md5 ${md5(ZIP)}`), lines.join("\n"));
    assert.ok(
      lines.includes("note: 3 audio files, the official ravdess has 1440"),
    );

    const requests = server.requests.length;
    const again = await fetchCorpus(options);
    assert.equal(again.alreadyPresent, true);
    assert.equal(again.audioFiles, 3);
    assert.equal(server.requests.length, requests);
    assert.match(
      lines.at(-1)!,
      /is already complete .*nothing to do \(--force to fetch again\)/,
    );

    // --force rebuilds from the kept, re-verified archive without a request.
    Deno.removeSync(path.join(dir, "Actor_02"), { recursive: true });
    const forced = await fetchCorpus({ ...options, force: true });
    assert.equal(forced.audioFiles, 3);
    assert.equal(server.requests.length, requests);
    assert.deepEqual(listNames(tmp.path), ["downloads", "ravdess"]);
  } finally {
    await server.close();
  }
});

Deno.test("fetchCorpus ravdess: an unsafe or corrupt archive leaves no data/ravdess", async () => {
  using tmp = tempDir();
  const evil = buildZip({ ...FILES, "Actor_02/../../../evil.wav": tinyWav(9) });
  const server = serveLoopback({
    "/evil.zip": { body: evil },
    "/x.zip": { body: ZIP },
  });
  try {
    const base = {
      corpus: "ravdess",
      dest: tmp.path,
      progress: "silent" as const,
      log: () => {},
    };
    await assert.rejects(
      fetchCorpus({ ...base, url: `${server.base}/evil.zip` }),
      /unsafe zip .*evil\.zip: entry "Actor_02\/\.\.\/\.\.\/\.\.\/evil\.wav" escapes the target folder \(zip slip\)/,
    );
    await assert.rejects(
      fetchCorpus({
        ...base,
        url: `${server.base}/x.zip`,
        checksum: { algorithm: "md5", value: "f".repeat(32) },
      }),
      /checksum mismatch for .*x\.zip: expected md5 f{32}, got [0-9a-f]{32}; the download was deleted/,
    );
    assert.deepEqual(listNames(tmp.path), ["downloads"]);
    assert.deepEqual(listNames(path.join(tmp.path, "downloads")), ["evil.zip"]);
    assert.throws(() =>
      Deno.statSync(path.join(path.dirname(tmp.path), "evil.wav"))
    );
  } finally {
    await server.close();
  }
});

Deno.test("fetchCorpus ravdess: a broken transfer leaves no corpus, the rerun resumes it", async () => {
  using tmp = tempDir();
  const cut = 1000;
  const server = serveLoopback({
    "/x.zip": { body: ZIP, truncateTimes: 1, truncateAt: cut },
  });
  try {
    const lines: string[] = [];
    const options = {
      corpus: "ravdess",
      dest: tmp.path,
      url: `${server.base}/x.zip`,
      checksum: { algorithm: "md5" as const, value: md5(ZIP) },
      progress: "silent" as const,
      log: (line: string) => lines.push(line),
    };
    await assert.rejects(
      fetchCorpus(options),
      new RegExp(
        `download of ${server.base}/x\\.zip truncated: received ${cut} of ${ZIP.length} bytes .*run again to resume`,
      ),
    );
    assert.deepEqual(listNames(tmp.path), ["downloads"]);
    assert.deepEqual(listNames(path.join(tmp.path, "downloads")), [
      "x.zip.part",
    ]);
    const result = await fetchCorpus(options);
    assert.equal(result.audioFiles, 3);
    assert.ok(lines.includes(`  resumed after ${cut} bytes`), lines.join("\n"));
    assert.equal(server.requests[1].range, `bytes=${cut}-`);
  } finally {
    await server.close();
  }
});

Deno.test("fetchCorpus: refuses a folder it did not complete, bad URLs and unknown corpora", async () => {
  using tmp = tempDir();
  Deno.mkdirSync(path.join(tmp.path, "ravdess"));
  const base = { dest: tmp.path, progress: "silent" as const, log: () => {} };
  await assert.rejects(
    fetchCorpus({ ...base, corpus: "ravdess" }),
    /ravdess exists but was not completed by data fetch \(no \.fetch\.json\); move it away or pass --force/,
  );
  await assert.rejects(
    fetchCorpus({
      ...base,
      corpus: "ravdess",
      force: true,
      url: "ftp://x/y.zip",
    }),
    /invalid URL "ftp:\/\/x\/y\.zip"/,
  );
  await assert.rejects(
    fetchCorpus({ ...base, corpus: "savee" }),
    /unknown corpus "savee": expected one of ravdess, tess/,
  );
});

/** A loopback dataverse serving TESS-like files; `tamper` edits the listing. */
function dataverseRoutes(
  files: Record<string, Uint8Array>,
  tamper: (entry: Record<string, unknown>, i: number) => void = () => {},
): Record<string, Route> {
  const routes: Record<string, Route> = {};
  const data = Object.entries(files).map(([name, bytes], i) => {
    const [dir, label] = name.split("/");
    routes[`/api/access/datafile/${100 + i}`] = { body: bytes };
    const entry = {
      label,
      directoryLabel: dir,
      restricted: false,
      dataFile: {
        id: 100 + i,
        filename: label,
        filesize: bytes.length,
        checksum: { type: "MD5", value: md5(bytes) },
      },
    };
    tamper(entry, i);
    return entry;
  });
  const listPath = new URL(
    dataverseListUrl("http://h", TESS_SOURCE.persistentId),
  );
  routes[listPath.pathname + listPath.search] = {
    body: new TextEncoder().encode(JSON.stringify({ status: "OK", data })),
    type: "application/json",
  };
  return routes;
}

const TESS_FILES: Record<string, Uint8Array> = {
  "OAF_angry/OAF_back_angry.wav": tinyWav(4),
  "OAF_Pleasant_surprise/OAF_back_ps.wav": tinyWav(5),
  "YAF_sad/YAF_back_sad.wav": tinyWav(6),
};

Deno.test("fetchCorpus tess: per-file dataverse download with published MD5s", async () => {
  using tmp = tempDir();
  const server = serveLoopback(dataverseRoutes(TESS_FILES));
  try {
    const result = await fetchCorpus({
      corpus: "tess",
      dest: tmp.path,
      url: server.base,
      progress: "silent",
      log: () => {},
    });
    const dir = path.join(tmp.path, "tess");
    assert.equal(result.audioFiles, 3);
    for (const [name, data] of Object.entries(TESS_FILES)) {
      assert.deepEqual(Deno.readFileSync(path.join(dir, name)), data);
    }
    assert.deepEqual(listNames(tmp.path), ["downloads", "tess"]);
    assert.deepEqual(listNames(path.join(tmp.path, "downloads")), []);
    const record = JSON.parse(
      Deno.readTextFileSync(path.join(dir, FETCH_MARKER)),
    ) as FetchRecord;
    assert.equal(record.verified, "size and md5 of each of 3 files");
    assert.match(record.licence, /CC BY-NC-ND 4\.0/);
  } finally {
    await server.close();
  }
});

Deno.test("fetchCorpus tess: a wrong MD5 or an escaping path fails and leaves no data/tess", async () => {
  using tmp = tempDir();
  const wrongMd5 = serveLoopback(
    dataverseRoutes(TESS_FILES, (entry, i) => {
      if (i === 1) {
        (entry.dataFile as { checksum: { value: string } }).checksum.value = "0"
          .repeat(32);
      }
    }),
  );
  const escaping = serveLoopback(
    dataverseRoutes(TESS_FILES, (entry, i) => {
      if (i === 2) entry.directoryLabel = "../..";
    }),
  );
  try {
    const base = {
      corpus: "tess",
      dest: tmp.path,
      progress: "silent" as const,
      log: () => {},
    };
    await assert.rejects(
      fetchCorpus({ ...base, url: wrongMd5.base, concurrency: 1 }),
      new RegExp(
        `checksum mismatch for ${wrongMd5.base}/api/access/datafile/101: expected md5 0{32}, got ${
          md5(TESS_FILES["OAF_Pleasant_surprise/OAF_back_ps.wav"])
        }`,
      ),
    );
    assert.deepEqual(listNames(tmp.path), ["downloads"]);
    // The verified file stays staged so a rerun does not fetch it again;
    // the bad one is deleted.
    const staged = path.join(tmp.path, "downloads", "tess");
    assert.deepEqual(
      walkFiles(staged, [".wav", ".part"]).map((f) => path.relative(staged, f)),
      [path.join("OAF_angry", "OAF_back_angry.wav")],
    );
    await assert.rejects(
      fetchCorpus({ ...base, url: escaping.base }),
      /unsafe file list from .*: entry "\.\.\/\.\.\/YAF_back_sad\.wav" escapes the target folder/,
    );
    assert.deepEqual(listNames(tmp.path), ["downloads"]);
  } finally {
    await wrongMd5.close();
    await escaping.close();
  }
});

async function runCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/data.ts", "fetch", ...args],
    cwd: REPO_ROOT,
    env: { CI: "1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("deno task data fetch: the CLI end to end as a subprocess", async () => {
  using tmp = tempDir();
  const server = serveLoopback({
    "/x.zip": { body: ZIP },
    "/stall.zip": { body: ZIP, stallAfter: 100 },
  });
  try {
    const ok = await runCli([
      "ravdess",
      "--url",
      `${server.base}/x.zip`,
      "--dest",
      tmp.path,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stdout,
      new RegExp(
        `ravdess: 3 audio files in ${path.join(tmp.path, "ravdess")}\\n$`,
      ),
    );
    assert.match(ok.stdout, /no published checksum for this URL/);
    // Plain progress lines (not a TTY): the download's final line and the extraction's.
    assert.match(
      ok.stderr,
      new RegExp(`x\\.zip: ${ZIP.length}/${ZIP.length} 100% `),
    );
    assert.match(ok.stderr, /extract x\.zip: 3\/3 100% /);
    assert.deepEqual(listNames(tmp.path), ["downloads", "ravdess"]);

    const missing = await runCli([
      "ravdess",
      "--url",
      `${server.base}/missing.zip`,
      "--dest",
      path.join(tmp.path, "other"),
    ]);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      new RegExp(
        `^error: download of ${server.base}/missing\\.zip failed: HTTP 404`,
        "m",
      ),
    );

    const stalled = await runCli([
      "ravdess",
      "--url",
      `${server.base}/stall.zip`,
      "--dest",
      path.join(tmp.path, "stalled"),
      "--timeout",
      "0.3",
    ]);
    assert.equal(stalled.code, 1);
    assert.match(
      stalled.stderr,
      new RegExp(
        `^error: download of ${server.base}/stall\\.zip stalled: no data for 0\\.3 s after 100 of ${ZIP.length} bytes; run again to resume$`,
        "m",
      ),
    );
  } finally {
    await server.close();
  }
});

Deno.test("fetchCorpus: a second fetch into the same --dest fails clearly while the first runs", async () => {
  using tmp = tempDir();
  // ~40 pieces 20 ms apart: the first fetch is still downloading when the second starts.
  const server = serveLoopback({
    "/x.zip": { body: ZIP, chunkDelayMs: 20, chunkBytes: ZIP.length >> 5 },
  });
  try {
    const options = {
      corpus: "ravdess",
      dest: tmp.path,
      url: `${server.base}/x.zip`,
      checksum: { algorithm: "md5" as const, value: md5(ZIP) },
      progress: "silent" as const,
      log: () => {},
    };
    const first = fetchCorpus(options);
    await new Promise((r) => setTimeout(r, 100));
    await assert.rejects(
      fetchCorpus(options),
      new RegExp(
        `${tmp.path} is locked by process ${Deno.pid} on .* \\(data fetch ravdess, since .*\\); wait for it to finish`,
      ),
    );
    assert.equal((await first).audioFiles, 3);
    // The archive is the one that passed the checksum; the lock is gone.
    assert.equal(
      md5(Deno.readFileSync(path.join(tmp.path, "downloads", "x.zip"))),
      md5(ZIP),
    );
    assert.deepEqual(listNames(tmp.path), ["downloads", "ravdess"]);
    const again = await fetchCorpus({ ...options, force: true });
    assert.equal(again.audioFiles, 3);
  } finally {
    await server.close();
  }
});

Deno.test("fetchCorpus ravdess: a truncated zip of unknown length is never kept; --force downloads again", async () => {
  using tmp = tempDir();
  // No Content-Length and no checksum: only the archive itself can tell it is cut short.
  const routes: Record<string, Route> = {
    "/x.zip": { body: ZIP.slice(0, 1000), noLength: true },
  };
  const server = serveLoopback(routes);
  try {
    const options = {
      corpus: "ravdess",
      dest: tmp.path,
      url: `${server.base}/x.zip`,
      progress: "silent" as const,
      log: () => {},
    };
    const archive = path.join(tmp.path, "downloads", "x.zip");
    await assert.rejects(
      fetchCorpus(options),
      new RegExp(
        `download of ${server.base}/x\\.zip is not a complete zip archive \\(.*\\); the download was deleted`,
      ),
    );
    assert.deepEqual(listNames(path.join(tmp.path, "downloads")), []);
    assert.deepEqual(listNames(tmp.path), ["downloads"]);

    // The rerun downloads again (nothing cut short was kept to be reused).
    routes["/x.zip"] = { body: ZIP, noLength: true };
    assert.equal((await fetchCorpus(options)).audioFiles, 3);
    assert.deepEqual(Deno.readFileSync(archive), ZIP);

    // --force without a checksum means it: the archive is fetched again.
    const extra = buildZip({
      ...FILES,
      "Actor_03/03-01-02-01-01-01-03.wav": tinyWav(7),
    });
    routes["/x.zip"] = { body: extra, noLength: true };
    const requests = server.requests.length;
    assert.equal(
      (await fetchCorpus({ ...options, force: true })).audioFiles,
      4,
    );
    assert.equal(server.requests.length, requests + 1);
    assert.deepEqual(Deno.readFileSync(archive), extra);
  } finally {
    await server.close();
  }
});

Deno.test("fetchCorpus ravdess: a kept archive that no longer opens is downloaded again", async () => {
  using tmp = tempDir();
  const server = serveLoopback({ "/x.zip": { body: ZIP } });
  try {
    const options = {
      corpus: "ravdess",
      dest: tmp.path,
      url: `${server.base}/x.zip`,
      progress: "silent" as const,
      log: () => {},
    };
    await fetchCorpus(options);
    const archive = path.join(tmp.path, "downloads", "x.zip");
    Deno.writeFileSync(archive, ZIP.slice(0, ZIP.length - 10));
    Deno.removeSync(path.join(tmp.path, "ravdess"), { recursive: true });
    assert.equal((await fetchCorpus(options)).audioFiles, 3);
    assert.deepEqual(Deno.readFileSync(archive), ZIP);
  } finally {
    await server.close();
  }
});
