/**
 * Test helper: builds RIFF/WAVE files chunk by chunk, so tests can craft
 * every layout (chunk order, odd sizes, extensible formats) and every kind of
 * broken file independently of the encoder under test.
 *
 * @module
 */
import { GUID_TAIL } from "../../lib/audio/wav.ts";

/** One chunk: four-character id and body (padded to even on output). */
export type Chunk = [id: string, body: Uint8Array];

/** Concatenates chunks into a RIFF file of form `form` (default WAVE). */
export function riff(chunks: Chunk[], form = "WAVE"): Uint8Array {
  const parts: Uint8Array[] = [ascii(form)];
  for (const [id, body] of chunks) {
    parts.push(ascii(id), u32(body.length), body);
    if (body.length & 1) parts.push(new Uint8Array(1));
  }
  const inner = concat(parts);
  return concat([ascii("RIFF"), u32(inner.length), inner]);
}

/** Fields of a `fmt ` chunk. */
export interface FmtFields {
  tag: number;
  channels: number;
  sr: number;
  bits: number;
  /** Default `channels · ceil(bits / 8)`. */
  blockAlign?: number;
  /** WAVE_FORMAT_EXTENSIBLE: the sub-format tag (GUID prefix) and valid bits. */
  extensible?: { subTag: number; validBits?: number; guidTail?: number[] };
}

/** A `fmt ` chunk body (16 bytes, or 40 for WAVE_FORMAT_EXTENSIBLE). */
export function fmt(f: FmtFields): Uint8Array {
  const ext = f.extensible;
  const b = new Uint8Array(ext ? 40 : 16);
  const v = new DataView(b.buffer);
  const blockAlign = f.blockAlign ?? f.channels * Math.ceil(f.bits / 8);
  v.setUint16(0, ext ? 0xfffe : f.tag, true);
  v.setUint16(2, f.channels, true);
  v.setUint32(4, f.sr, true);
  v.setUint32(8, f.sr * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, f.bits, true);
  if (ext) {
    v.setUint16(16, 22, true);
    v.setUint16(18, ext.validBits ?? f.bits, true);
    v.setUint32(20, 0, true);
    v.setUint16(24, ext.subTag, true);
    b.set(ext.guidTail ?? GUID_TAIL, 26);
  }
  return b;
}

/** 16-bit little-endian PCM bytes of integer sample codes. */
export function pcm16(codes: number[]): Uint8Array {
  const b = new Uint8Array(codes.length * 2);
  const v = new DataView(b.buffer);
  codes.forEach((c, i) => v.setInt16(i * 2, c, true));
  return b;
}

/** ASCII bytes of `s`. */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Little-endian uint32 bytes. */
export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
