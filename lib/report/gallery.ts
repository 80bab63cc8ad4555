/**
 * The error gallery: misclassified test clips, each playable in the page
 * (16 kHz 16-bit mono WAV embedded as a `data:` URI) with its true and
 * predicted labels and every class probability.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as path from "node:path";
import { encodeWav, loadAudio } from "../audio/mod.ts";
import type { EvaluatedClip } from "../evaluate/cross_corpus.ts";
import { escapeHtml } from "./html.ts";

/** Sample rate of the embedded audio. */
export const GALLERY_SR = 16000;

/** Default number of clips shown. */
export const GALLERY_LIMIT = 24;

/** One gallery clip with its embedded audio. */
export interface GalleryClip extends EvaluatedClip {
  /** `data:audio/wav;base64,…` of the clip at {@linkcode GALLERY_SR}. */
  audio: string;
  /** Length in seconds. */
  durationS: number;
  /** Model directory that predicted it (fold runs have several). */
  model: string;
}

/** Options of {@linkcode buildGallery}. */
export interface GalleryOptions {
  /** Most clips shown (default {@linkcode GALLERY_LIMIT}). */
  limit?: number;
}

/** 16-bit mono WAV of `file` at {@linkcode GALLERY_SR}, as a data URI. */
export async function audioDataUri(
  file: string,
): Promise<{ uri: string; durationS: number }> {
  const audio = await loadAudio(file, { sr: GALLERY_SR });
  const wav = encodeWav(audio.samples, GALLERY_SR);
  return {
    uri: `data:audio/wav;base64,${Buffer.from(wav).toString("base64")}`,
    durationS: audio.samples.length / GALLERY_SR,
  };
}

/**
 * The misclassified clips among `clips` (each tagged with the model that
 * predicted it), most confidently wrong first, at most `limit`, with their
 * audio embedded. A clip whose audio cannot be read is an error naming it.
 */
export async function buildGallery(
  clips: readonly (EvaluatedClip & { model: string })[],
  options: GalleryOptions = {},
): Promise<GalleryClip[]> {
  const limit = options.limit ?? GALLERY_LIMIT;
  const wrong = clips
    .filter((c) => c.predicted !== c.trueLabel)
    .map((c) => ({ c, p: c.probabilities[c.predicted] ?? 0 }))
    .sort((a, b) => b.p - a.p || (a.c.path < b.c.path ? -1 : 1))
    .slice(0, limit);
  const out: GalleryClip[] = [];
  for (const { c } of wrong) {
    const { uri, durationS } = await audioDataUri(c.path);
    out.push({ ...c, audio: uri, durationS });
  }
  return out;
}

function probabilityRows(clip: GalleryClip): string {
  return Object.entries(clip.probabilities)
    .sort((a, b) => b[1] - a[1])
    .map(([label, p]) => {
      const cls = label === clip.trueLabel
        ? ' class="true"'
        : label === clip.predicted
        ? ' class="pred"'
        : "";
      return `<tr${cls}><th scope="row">${
        escapeHtml(label)
      }</th><td class="num"><span class="bar" style="width:${
        (p * 100).toFixed(0)
      }px"></span>${(p * 100).toFixed(1)}%</td></tr>`;
    }).join("");
}

/** The gallery as HTML: one card per clip with an `<audio controls>` player. */
export function galleryHtml(clips: readonly GalleryClip[]): string {
  if (clips.length === 0) {
    return `<p class="banner note">Every test clip was classified correctly: nothing to show.</p>`;
  }
  return `<div class="grid">\n${
    clips.map((c) =>
      `<div class="clip">
<h3>${escapeHtml(path.basename(c.path))}</h3>
<div>speaker ${escapeHtml(c.speaker)} · ${c.durationS.toFixed(2)} s · model ${
        escapeHtml(path.basename(c.model))
      }</div>
<div>true <span class="right">${
        escapeHtml(c.trueLabel)
      }</span> → predicted <span class="wrong">${
        escapeHtml(c.predicted)
      }</span></div>
<audio controls preload="auto" src="${c.audio}"></audio>
<table><thead><tr><th>class</th><th>probability</th></tr></thead><tbody>${
        probabilityRows(c)
      }</tbody></table>
</div>`
    ).join("\n")
  }\n</div>`;
}
