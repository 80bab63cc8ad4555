/**
 * Headless Chromium for browser tests and benchmarks: Debian's `chromium`
 * driven by playwright-core, and a watch on a page that collects console
 * errors, page errors and requests leaving the allowed origins.
 *
 * @module
 */
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { exists } from "../lib/paths.ts";

/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * True when {@linkcode CHROMIUM} exists; otherwise prints why `what` is
 * skipped and returns false — unless `SER_REQUIRE_SHARED=1` (CI), where a
 * missing Chromium throws.
 */
export function hasChromium(what: string): boolean {
  if (exists(CHROMIUM)) return true;
  if (Deno.env.get("SER_REQUIRE_SHARED") === "1") {
    throw new Error(
      `SER_REQUIRE_SHARED=1 but ${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`,
    );
  }
  console.log(
    `skipping ${what}: ${CHROMIUM} is absent (apt-get install -y chromium)`,
  );
  return false;
}

/** Launches headless Chromium with a profile in `userDataDir` and `args` added. */
export async function launchChromium(
  userDataDir: string,
  args: readonly string[] = [],
): Promise<BrowserContext> {
  return await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
      ...args,
    ],
    viewport: { width: 1280, height: 900 },
  });
}

/** What {@linkcode watchPage} collects. */
export interface PageWatch {
  /** Console errors and uncaught page errors. */
  problems: string[];
  /** Requests refused because they left the allowed origins. */
  external: string[];
}

/**
 * Watches `page`: console errors and page errors are collected, and every
 * request whose URL does not match `allowed` is aborted and collected.
 */
export async function watchPage(
  page: Page,
  allowed: RegExp,
): Promise<PageWatch> {
  const watch: PageWatch = { problems: [], external: [] };
  page.on("console", (m) => {
    if (m.type() === "error") watch.problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => watch.problems.push(`page error: ${e.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (allowed.test(url)) return route.continue();
    watch.external.push(url);
    return route.abort();
  });
  return watch;
}
