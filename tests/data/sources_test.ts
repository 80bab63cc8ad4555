import assert from "node:assert/strict";
import {
  getSource,
  parseChecksum,
  parseDataverseFiles,
  RAVDESS_SOURCE,
  TESS_SOURCE,
} from "../../lib/data/mod.ts";

Deno.test("sources: the official RAVDESS and TESS records", () => {
  assert.equal(getSource("ravdess"), RAVDESS_SOURCE);
  assert.equal(getSource("tess"), TESS_SOURCE);
  // Zenodo record 1188976, as published for Audio_Speech_Actors_01-24.zip.
  assert.deepEqual(RAVDESS_SOURCE.checksum, {
    algorithm: "md5",
    value: "bc696df654c87fed845eb13823edef8a",
  });
  assert.equal(RAVDESS_SOURCE.size, 208_468_073);
  assert.match(
    RAVDESS_SOURCE.url,
    /^https:\/\/zenodo\.org\/records\/1188976\/files\/Audio_Speech_Actors_01-24\.zip/,
  );
  assert.equal(TESS_SOURCE.persistentId, "doi:10.5683/SP2/E8H2MF");
});

Deno.test("parseChecksum: algorithm:hex with the right length", () => {
  assert.deepEqual(parseChecksum("md5:BC696DF654C87FED845EB13823EDEF8A"), {
    algorithm: "md5",
    value: "bc696df654c87fed845eb13823edef8a",
  });
  assert.equal(parseChecksum(`sha256:${"a".repeat(64)}`).algorithm, "sha256");
  assert.throws(
    () => parseChecksum("md5:abc"),
    /md5 digests have 32 hex digits, got 3/,
  );
  assert.throws(
    () => parseChecksum("crc32:abcd1234"),
    /invalid checksum "crc32:abcd1234"/,
  );
});

Deno.test("parseDataverseFiles: reads both checksum forms, rejects what cannot be verified", () => {
  const url = "http://127.0.0.1/list";
  const file = (dataFile: Record<string, unknown>, extra = {}) => ({
    label: "OAF_back_angry.wav",
    directoryLabel: "OAF_angry",
    restricted: false,
    ...extra,
    dataFile: { id: 7, filesize: 10, ...dataFile },
  });
  assert.deepEqual(
    parseDataverseFiles(url, {
      status: "OK",
      data: [
        file({ checksum: { type: "SHA-1", value: "A".repeat(40) } }),
        file({ md5: "b".repeat(32) }, { directoryLabel: undefined }),
      ],
    }),
    [
      {
        id: 7,
        relPath: "OAF_angry/OAF_back_angry.wav",
        size: 10,
        checksum: { algorithm: "sha1", value: "a".repeat(40) },
      },
      {
        id: 7,
        relPath: "OAF_back_angry.wav",
        size: 10,
        checksum: { algorithm: "md5", value: "b".repeat(32) },
      },
    ],
  );
  assert.throws(
    () => parseDataverseFiles(url, { status: "ERROR", message: "x" }),
    /bad file list from http:\/\/127\.0\.0\.1\/list: expected \{"status": "OK"/,
  );
  assert.throws(
    () =>
      parseDataverseFiles(url, {
        status: "OK",
        data: [file({ md5: "b".repeat(32) }, { restricted: true })],
      }),
    /entry "OAF_angry\/OAF_back_angry\.wav" is restricted/,
  );
  assert.throws(
    () =>
      parseDataverseFiles(url, {
        status: "OK",
        data: [file({ checksum: { type: "UNF", value: "x" } })],
      }),
    /has no checksum of a known type \(got UNF\)/,
  );
  assert.throws(
    () =>
      parseDataverseFiles(url, {
        status: "OK",
        data: [file({ md5: "b".repeat(32) }, { directoryLabel: "/abs" })],
      }),
    /unsafe file list from .*: entry "\/abs\/OAF_back_angry\.wav" is an absolute path/,
  );
});
