import type { NetworkPolicy, Tool } from "@codetether/core";
import { DuckDuckGoHtmlBackend } from "./duckduckgo-backend.js";
import type { SearchBackend } from "./search-backend.js";
import { createWebFetchTool, type WebFetchToolOptions } from "./webfetch.js";
import { createWebSearchTool } from "./websearch.js";

export {
  DEFAULT_DUCKDUCKGO_URL,
  type DuckDuckGoBackendOptions,
  DuckDuckGoHtmlBackend,
  parseDuckDuckGoHtml,
} from "./duckduckgo-backend.js";
export { htmlToMarkdown, htmlToText } from "./html-convert.js";
export {
  fetchLimited,
  type LimitedFetchOptions,
  type LimitedResponse,
  parseHttpUrl,
  WebFetchError,
} from "./http-fetch.js";
export type { SearchBackend, SearchOptions, SearchResult } from "./search-backend.js";
export { createWebFetchTool, type WebFetchToolOptions } from "./webfetch.js";
export { createWebSearchTool, type WebSearchToolOptions } from "./websearch.js";

export interface WebToolsOptions {
  webfetch?: WebFetchToolOptions;
  /** Search backend for `websearch`; defaults to DuckDuckGo's HTML endpoint. */
  searchBackend?: SearchBackend;
  /** Non-public addresses both tools may reach (`[network] allow`); default: public addresses only. */
  network?: NetworkPolicy;
}

/** `webfetch` and `websearch`, ready to register. */
export function createWebTools(options: WebToolsOptions = {}): Tool[] {
  const network = options.network ? { network: options.network } : {};
  return [
    createWebFetchTool({ ...network, ...options.webfetch }),
    createWebSearchTool({ backend: options.searchBackend ?? new DuckDuckGoHtmlBackend(network) }),
  ];
}
