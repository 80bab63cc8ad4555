import assert from "node:assert/strict";
import * as path from "node:path";
import type { Zippable } from "fflate";
import {
  checkZipComplete,
  extractZip,
  safeRelativePath,
} from "../../lib/data/mod.ts";
import { buildZip, listNames, ravdessFiles, tempDir } from "./loopback.ts";

/** Writes `files` as a zip into `dir` and extracts it into a fresh `out/`. */
async function extractBuilt(
  dir: string,
  files: Zippable,
  limits = {},
): Promise<{ archive: string; into: string; files: number; bytes: number }> {
  const archive = path.join(dir, "in.zip");
  Deno.writeFileSync(archive, buildZip(files));
  const into = path.join(dir, "out");
  Deno.mkdirSync(into);
  const result = await extractZip({
    archive,
    into,
    limits,
    progress: "silent",
  });
  return { archive, into, ...result };
}

Deno.test("safeRelativePath: normalises safe names, rejects escaping ones", () => {
  assert.equal(safeRelativePath("Actor_01/a.wav", "z"), "Actor_01/a.wav");
  assert.equal(safeRelativePath("./Actor_01//a.wav", "z"), "Actor_01/a.wav");
  assert.equal(safeRelativePath("Actor_01/", "z"), "Actor_01");
  const cases: [string, RegExp][] = [
    ["../evil.wav", /escapes the target folder \(zip slip\)/],
    ["Actor_01/../../evil.wav", /escapes the target folder/],
    ["/etc/passwd", /is an absolute path/],
    ["C:/Windows/evil.wav", /absolute path \(drive letter\)/],
    ["c:evil.wav", /absolute path \(drive letter\)/],
    ["..\\evil.wav", /contains a backslash/],
    ["a\0b.wav", /NUL character/],
    ["./", /empty name/],
  ];
  for (const [name, reason] of cases) {
    assert.throws(
      () => safeRelativePath(name, "unsafe zip x.zip"),
      (err: Error) => {
        assert.ok(
          err.message.startsWith(`unsafe zip x.zip: entry "${name}" `),
          err.message,
        );
        assert.match(err.message, reason);
        return true;
      },
    );
  }
});

Deno.test("extractZip: writes the files of a RAVDESS-layout zip byte for byte", async () => {
  using tmp = tempDir();
  const files = ravdessFiles();
  const result = await extractBuilt(tmp.path, files);
  assert.equal(result.files, 3);
  let bytes = 0;
  for (const [name, data] of Object.entries(files)) {
    assert.deepEqual(Deno.readFileSync(path.join(result.into, name)), data);
    bytes += data.length;
  }
  assert.equal(result.bytes, bytes);
  assert.deepEqual(listNames(result.into), ["Actor_01", "Actor_02"]);
});

Deno.test("extractZip: rejects unsafe entries before writing anything", async () => {
  const wav = ravdessFiles()["Actor_01/03-01-01-01-01-01-01.wav"];
  const cases: [string, Zippable, RegExp][] = [
    ["../evil.wav", { "../evil.wav": wav }, /zip slip/],
    ["/tmp/evil.wav", { "/tmp/evil.wav": wav }, /absolute path/],
    ["C:/evil.wav", { "C:/evil.wav": wav }, /drive letter/],
    ["Actor_01\\evil.wav", { "Actor_01\\evil.wav": wav }, /backslash/],
    [
      "Actor_01/link.wav",
      {
        "Actor_01/link.wav": [
          new TextEncoder().encode("/etc/passwd"),
          { os: 3, attrs: (0o120777 << 16) >>> 0 },
        ],
      },
      /is a symbolic link/,
    ],
    [
      "Actor_01/fifo.wav",
      { "Actor_01/fifo.wav": [wav, { os: 3, attrs: (0o010644 << 16) >>> 0 }] },
      /is a special file \(mode 0o10000\)/,
    ],
  ];
  for (const [name, bad, reason] of cases) {
    using tmp = tempDir();
    // The good files come first: nothing at all may be written.
    const files: Zippable = { ...ravdessFiles(), ...bad };
    const archive = path.join(tmp.path, "in.zip");
    await assert.rejects(
      extractBuilt(tmp.path, files),
      (err: Error) => {
        assert.ok(
          err.message.startsWith(`unsafe zip ${archive}: entry "${name}" `),
          err.message,
        );
        assert.match(err.message, reason);
        return true;
      },
    );
    assert.deepEqual(listNames(path.join(tmp.path, "out")), []);
    assert.deepEqual(listNames(tmp.path), ["in.zip", "out"]);
  }
});

Deno.test("extractZip: rejects oversized entries, totals and compression bombs", async () => {
  const wav = ravdessFiles()["Actor_01/03-01-01-01-01-01-01.wav"];
  {
    using tmp = tempDir();
    await assert.rejects(
      extractBuilt(tmp.path, { "Actor_01/big.wav": wav }, {
        maxEntryBytes: wav.length - 1,
      }),
      new RegExp(
        `entry "Actor_01/big.wav" declares ${wav.length} bytes uncompressed, over the limit of ${
          wav.length - 1
        }`,
      ),
    );
    assert.deepEqual(listNames(path.join(tmp.path, "out")), []);
  }
  {
    using tmp = tempDir();
    const files = ravdessFiles();
    const sizes = Object.values(files).map((f) => f.length);
    await assert.rejects(
      extractBuilt(tmp.path, files, { maxTotalBytes: sizes[0] + sizes[1] }),
      new RegExp(
        `entry "Actor_02/03-01-03-01-02-01-02.wav" brings the declared total to ${
          sizes[0] + sizes[1] + sizes[2]
        } bytes, over the limit`,
      ),
    );
  }
  {
    using tmp = tempDir();
    // 4 MiB of silence deflates about 1000:1.
    const bomb = new Uint8Array(4 << 20);
    await assert.rejects(
      extractBuilt(tmp.path, { "Actor_01/a.wav": wav, "bomb.wav": bomb }),
      /entry "bomb.wav" has a compression ratio of \d{3,4} \(4194304 from \d+ bytes\), over the limit of 100 \(zip bomb\)/,
    );
    assert.deepEqual(listNames(path.join(tmp.path, "out")), []);
  }
});

Deno.test("extractZip: an entry inflating beyond its declared size is stopped", async () => {
  const data = new Uint8Array(5000).map((_, i) => (i * i) & 0xff);
  for (const level of [0, 6] as const) {
    using tmp = tempDir();
    const zip = buildZip({ "a.wav": [data, { level }] });
    // Forge the declared uncompressed size (local header at 22, central
    // directory entry at +24) down to 100 bytes, under the ratio limit.
    const view = new DataView(zip.buffer);
    view.setUint32(22, 100, true);
    let central = zip.length - 4;
    while (central > 0 && view.getUint32(central, true) !== 0x02014b50) {
      central--;
    }
    assert.ok(central > 0);
    view.setUint32(central + 24, 100, true);
    const archive = path.join(tmp.path, "forged.zip");
    Deno.writeFileSync(archive, zip);
    const into = path.join(tmp.path, "out");
    Deno.mkdirSync(into);
    await assert.rejects(
      extractZip({ archive, into, progress: "silent" }),
      new RegExp(
        `cannot extract entry "a.wav" of ${archive}: Invalid uncompressed size`,
      ),
    );
    assert.ok(Deno.statSync(path.join(into, "a.wav")).size <= 100);
  }
});

Deno.test("extractZip: a file that is not a zip is reported with its path", async () => {
  using tmp = tempDir();
  const archive = path.join(tmp.path, "not.zip");
  Deno.writeFileSync(archive, new TextEncoder().encode("<html>503</html>"));
  const into = path.join(tmp.path, "out");
  Deno.mkdirSync(into);
  await assert.rejects(
    extractZip({ archive, into, progress: "silent" }),
    new RegExp(`cannot read zip ${archive}: `),
  );
});

Deno.test("extractZip: a corrupted entry fails its CRC-32 check", async () => {
  using tmp = tempDir();
  const data = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff);
  const zip = buildZip({ "a.wav": [data, { level: 0 }] });
  zip[30 + "a.wav".length + 1000] ^= 0xff; // a byte inside the stored data
  const archive = path.join(tmp.path, "corrupt.zip");
  Deno.writeFileSync(archive, zip);
  const into = path.join(tmp.path, "out");
  Deno.mkdirSync(into);
  await assert.rejects(
    extractZip({ archive, into, progress: "silent" }),
    new RegExp(`cannot extract entry "a.wav" of ${archive}: Invalid CRC32`),
  );
});

Deno.test("checkZipComplete: whole, cut short and damaged archives", async () => {
  using tmp = tempDir();
  const data = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff);
  const zip = buildZip({ ...ravdessFiles(), "a.wav": [data, { level: 0 }] });
  const archive = path.join(tmp.path, "x.zip");
  Deno.writeFileSync(archive, zip);
  assert.equal(await checkZipComplete(archive), null);
  Deno.writeFileSync(archive, zip.slice(0, zip.length - 1));
  assert.match(
    (await checkZipComplete(archive))!,
    /^not a complete zip archive \(End of central directory not found\)$/,
  );
  const damaged = zip.slice();
  const name = new TextEncoder().encode("a.wav");
  // The local header's name ends 30 + 5 bytes after its start; the stored data follows.
  let at = 0;
  while (!name.every((b, i) => damaged[at + 30 + i] === b)) at++;
  at += 30 + name.length + 1000;
  damaged[at] ^= 0xff;
  Deno.writeFileSync(archive, damaged);
  assert.match(
    (await checkZipComplete(archive))!,
    /^not a complete zip archive \(entry "a\.wav": Invalid CRC32\)$/,
  );
  assert.deepEqual(listNames(tmp.path), ["x.zip"]);
});
