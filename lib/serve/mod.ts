/**
 * The web page that listens (`deno task serve`): a local server for one page
 * running the toolkit's own pipeline in the browser — live microphone and
 * dropped files — built from `lib/` by Deno's bundler.
 *
 * @module
 */
export {
  buildBundle,
  type Bundle,
  BUNDLE_ENTRIES,
  bundleSourceHash,
  DEFAULT_BUNDLE_CACHE,
  impureReferences,
} from "./bundle.ts";
export { type CatalogOptions, ModelCatalog } from "./models.ts";
export { pageHtml } from "./page.ts";
export {
  API,
  ASSETS,
  type ModelChoice,
  type ModelList,
  type ServedMember,
  type ServedModel,
  WASM_URL,
} from "./protocol.ts";
export {
  createHandler,
  DEFAULT_PORT,
  type RunningServer,
  type ServeOptions,
  startServer,
} from "./server.ts";
