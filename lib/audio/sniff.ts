/**
 * Container detection from magic bytes (never from the file extension).
 *
 * @module
 */

/** What the first bytes of a file say it is. */
export interface Sniffed {
  /** `wav`, `riff` (not WAVE), `mp3`, `flac`, `ogg`, `aac`, `aiff`, `mp4`, `webm`, `caf`, `qoa`, `amr` or `unknown`. */
  container: string;
  /** Codec where the container implies one (`mp3`, `flac`, `vorbis`, `opus`, …), else `""`. */
  codec: string;
}

function ascii(b: Uint8Array, at: number, n: number): string {
  let s = "";
  for (let i = at; i < Math.min(b.length, at + n); i++) {
    s += String.fromCharCode(b[i]);
  }
  return s;
}

function includesAscii(b: Uint8Array, text: string, limit: number): boolean {
  return ascii(b, 0, limit).includes(text);
}

/** Detects the container (and codec where implied) from the first bytes. */
export function sniffContainer(bytes: Uint8Array): Sniffed {
  const magic4 = ascii(bytes, 0, 4);
  if (magic4 === "RIFF" || magic4 === "RIFX" || magic4 === "RF64") {
    return {
      container: magic4 === "RIFF" && ascii(bytes, 8, 4) === "WAVE"
        ? "wav"
        : "riff",
      codec: "",
    };
  }
  if (magic4 === "fLaC") return { container: "flac", codec: "flac" };
  if (magic4 === "OggS") {
    const head = 128;
    if (includesAscii(bytes, "OpusHead", head)) {
      return { container: "ogg", codec: "opus" };
    }
    if (includesAscii(bytes, "\x01vorbis", head)) {
      return { container: "ogg", codec: "vorbis" };
    }
    if (includesAscii(bytes, "\x7fFLAC", head)) {
      return { container: "ogg", codec: "flac" };
    }
    return { container: "ogg", codec: "" };
  }
  if (magic4 === "FORM") return { container: "aiff", codec: "" };
  if (magic4 === "caff") return { container: "caf", codec: "" };
  if (magic4 === "qoaf") return { container: "qoa", codec: "qoa" };
  if (ascii(bytes, 0, 5) === "#!AMR") return { container: "amr", codec: "amr" };
  if (magic4 === "\x1aE\xdf\xa3") return { container: "webm", codec: "" };
  if (ascii(bytes, 4, 4) === "ftyp") return { container: "mp4", codec: "" };
  if (ascii(bytes, 0, 3) === "ID3") return { container: "mp3", codec: "mp3" };
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) {
    // MPEG audio frame sync: layer bits 00 mean AAC in ADTS framing.
    return (bytes[1] & 0x06) === 0
      ? { container: "aac", codec: "aac" }
      : { container: "mp3", codec: "mp3" };
  }
  return { container: "unknown", codec: "" };
}
