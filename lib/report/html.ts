/**
 * HTML building blocks of the report: escaping, tables, definition lists and
 * the page shell with its inline stylesheet (no external resource of any
 * kind: no CDN, no web fonts, system font stack only).
 *
 * @module
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A table cell: text (escaped) or `{ html }` (inserted as is). */
export type Cell = string | number | { html: string };

function cellHtml(c: Cell): string {
  if (typeof c === "number") return escapeHtml(String(c));
  if (typeof c === "string") return escapeHtml(c);
  return c.html;
}

/** Options of {@linkcode htmlTable}. */
export interface TableHtmlOptions {
  /** CSS class of the table. */
  className?: string;
  /** Caption above the table. */
  caption?: string;
  /** Right-align every column after the first (tables of numbers). */
  numeric?: boolean;
}

/**
 * A table with a header row; the first column is a row header, numbers (or
 * every column with `numeric`) are right-aligned (class `num`).
 */
export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableHtmlOptions = {},
): string {
  const cls = options.className
    ? ` class="${escapeHtml(options.className)}"`
    : "";
  const caption = options.caption
    ? `<caption>${escapeHtml(options.caption)}</caption>`
    : "";
  const head = `<thead><tr>${
    header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")
  }</tr></thead>`;
  const body = rows.map((r) =>
    `<tr>${
      r.map((c, i) =>
        i === 0
          ? `<th scope="row">${cellHtml(c)}</th>`
          : `<td${
            options.numeric || typeof c === "number" ? ' class="num"' : ""
          }>${cellHtml(c)}</td>`
      ).join("")
    }</tr>`
  ).join("\n");
  return `<table${cls}>${caption}${head}<tbody>\n${body}\n</tbody></table>`;
}

/** A two-column key/value table of plain values (objects shown as JSON). */
export function keyValueTable(
  entries: Record<string, unknown>,
  caption?: string,
): string {
  const show = (v: unknown) =>
    typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
  return htmlTable(
    ["setting", "value"],
    Object.entries(entries).map((
      [k, v],
    ) => [k, { html: `<code>${escapeHtml(show(v))}</code>` }]),
    { className: "kv", caption },
  );
}

/** A `<section>` with a heading. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${escapeHtml(id)}">\n<h2>${
    escapeHtml(title)
  }</h2>\n${body}\n</section>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  margin: 0 auto; max-width: 1200px; padding: 1rem 2rem 4rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2rem; margin-top: 2.2rem; }
nav a { margin-right: 1rem; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0 1.2rem; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv code { white-space: pre-wrap; word-break: break-word; }
.banner { padding: 0.6rem 1rem; border-radius: 6px; margin: 0.8rem 0; }
.banner.leaky { background: #fde2e1; border: 2px solid #d62728; color: #7a0c0c; font-weight: 600; }
.banner.note { background: #eef4fb; border: 1px solid #9cc0e6; }
.banner.synthetic { background: #fff4d6; border: 1px solid #e6b800; }
.tables { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-start; }
.tables table { max-width: 560px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1rem; }
.clip { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 0.8rem; }
.clip h3 { font-size: 0.95rem; margin: 0 0 0.3rem; word-break: break-all; }
.clip audio { width: 100%; margin: 0.3rem 0; }
.clip table { margin: 0.3rem 0 0; font-size: 0.82rem; width: 100%; }
.clip tr.true th { color: #1a7f37; }
.clip tr.pred th { color: #d62728; }
.bar { display: inline-block; height: 0.7rem; background: #9cc0e6; vertical-align: middle; margin-right: 0.4rem; }
.wrong { color: #d62728; font-weight: 600; }
.right { color: #1a7f37; font-weight: 600; }
`;

/** The complete page: title, subtitle, navigation, sections, and scripts in `head`. */
export function page(options: {
  title: string;
  subtitle: string;
  nav: readonly [string, string][];
  head: string;
  body: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
${options.head}
</head>
<body>
<h1>${escapeHtml(options.title)}</h1>
<p class="sub">${escapeHtml(options.subtitle)}</p>
<nav>${
    options.nav.map(([id, t]) =>
      `<a href="#${escapeHtml(id)}">${escapeHtml(t)}</a>`
    ).join("")
  }</nav>
${options.body}
</body>
</html>
`;
}
