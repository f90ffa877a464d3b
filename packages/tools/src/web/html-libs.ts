import type TurndownService from "turndown";
import { lazyDependency } from "../util/lazy-dependency.js";

type HtmlParse = typeof import("node-html-parser").parse;

/** turndown (with its DOM, domino) and node-html-parser, loaded when a page is first converted. */
export const turndownLib = lazyDependency<typeof TurndownService>(
  "turndown",
  async () => (await import("turndown")).default,
  (exports) => exports as typeof TurndownService,
);

export const htmlParserLib = lazyDependency<HtmlParse>(
  "node-html-parser",
  async () => (await import("node-html-parser")).parse,
  (exports) => (exports as { parse: HtmlParse }).parse,
);

/** Loads both HTML libraries; async tool code awaits this before calling the synchronous converters. */
export async function loadHtmlLibs(): Promise<void> {
  await Promise.all([turndownLib.load(), htmlParserLib.load()]);
}
