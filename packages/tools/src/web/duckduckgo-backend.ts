import type { NetworkPolicy } from "@codetether/core";
import type { HTMLElement } from "node-html-parser";
import { htmlParserLib } from "./html-libs.js";
import { fetchLimited, WebFetchError } from "./http-fetch.js";
import type { SearchBackend, SearchOptions, SearchResult } from "./search-backend.js";

export interface DuckDuckGoBackendOptions {
  /** The HTML (no-JavaScript) endpoint; configurable for mirrors, proxies and tests. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Region code such as "us-en" (`kl` parameter). */
  region?: string;
  fetch?: typeof fetch;
  /** Non-public addresses the user allows (`[network] allow`), e.g. a search mirror on the LAN. */
  network?: NetworkPolicy;
}

export const DEFAULT_DUCKDUCKGO_URL = "https://html.duckduckgo.com/html/";

/**
 * Scrapes DuckDuckGo's HTML result page (`html.duckduckgo.com/html/?q=`): each organic hit is a
 * `.result` block with an `a.result__a` title link and a `.result__snippet`; ads carry `.result--ad`.
 */
export class DuckDuckGoHtmlBackend implements SearchBackend {
  readonly name = "duckduckgo";
  private readonly baseUrl: string;

  constructor(private readonly options: DuckDuckGoBackendOptions = {}) {
    this.baseUrl = options.baseUrl ?? DEFAULT_DUCKDUCKGO_URL;
  }

  async search(query: string, options: SearchOptions): Promise<SearchResult[]> {
    const url = new URL(this.baseUrl);
    url.searchParams.set("q", query);
    if (this.options.region) url.searchParams.set("kl", this.options.region);
    let body: string;
    let status: number;
    try {
      const response = await fetchLimited(url, {
        maxBytes: 2 * 1024 * 1024,
        timeoutMs: this.options.timeoutMs ?? 20_000,
        headers: { accept: "text/html" },
        ...(options.signal ? { signal: options.signal } : {}),
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        ...(this.options.network ? { network: this.options.network } : {}),
      });
      body = response.body;
      status = response.status;
    } catch (err) {
      if (err instanceof WebFetchError && err.code === "offline") {
        throw new Error(
          `Web search is unavailable: ${err.message} The search backend (${url.origin}) cannot be reached; ` +
            "this machine may have no internet access. Answer from local knowledge or the repository instead.",
        );
      }
      throw err;
    }
    if (status === 202 || status === 403 || status === 429) {
      throw new Error(
        `DuckDuckGo refused the search (HTTP ${status}, usually rate limiting or a bot check). ` +
          "Wait a minute before searching again, or configure another search backend.",
      );
    }
    if (status >= 400) throw new Error(`DuckDuckGo search failed with HTTP ${status} at ${url.origin}.`);
    await htmlParserLib.load();
    return parseDuckDuckGoHtml(body, url).slice(0, options.limit);
  }
}

/** Parses a DuckDuckGo HTML result page; throws when the page is not a result page at all. */
export function parseDuckDuckGoHtml(html: string, pageUrl: URL): SearchResult[] {
  const root = htmlParserLib.get()(html);
  const results: SearchResult[] = [];
  for (const block of root.querySelectorAll(".result")) {
    if (block.classList.contains("result--ad")) continue;
    const link = block.querySelector("a.result__a");
    if (!link) continue;
    const url = resolveResultUrl(link.getAttribute("href") ?? "", pageUrl);
    if (!url) continue;
    results.push({
      title: clean(link),
      url,
      snippet: clean(block.querySelector(".result__snippet")),
    });
  }
  if (results.length === 0 && !root.querySelector(".no-results") && !root.querySelector("#links")) {
    if (/anomaly|captcha|challenge/i.test(html)) {
      throw new Error(
        "DuckDuckGo answered with a bot check instead of results. Wait before searching again, " +
          "or configure another search backend.",
      );
    }
    throw new Error(
      `The page at ${pageUrl.origin} is not a DuckDuckGo HTML result page (no .result blocks). ` +
        "Check the websearch base URL.",
    );
  }
  return results;
}

function clean(el: HTMLElement | null): string {
  return el ? el.text.replace(/\s+/g, " ").trim() : "";
}

/** Result links go through a redirector, `//duckduckgo.com/l/?uddg=<encoded target>`; unwrap it. */
function resolveResultUrl(href: string, pageUrl: URL): string | undefined {
  if (!href) return undefined;
  let url: URL;
  try {
    url = new URL(href, pageUrl);
  } catch {
    return undefined;
  }
  const target = url.pathname === "/l/" ? url.searchParams.get("uddg") : null;
  if (target) {
    try {
      url = new URL(target);
    } catch {
      return undefined;
    }
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
}
