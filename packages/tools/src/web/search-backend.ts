/** One hit from a web search. */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchOptions {
  limit: number;
  signal?: AbortSignal;
}

/** A pluggable web search engine behind the `websearch` tool (scraper, vendor API, local index...). */
export interface SearchBackend {
  /** Shown to the model and in errors, e.g. "duckduckgo". */
  readonly name: string;
  /** Throws an Error whose message says what failed and what to do; never returns fake results. */
  search(query: string, options: SearchOptions): Promise<SearchResult[]>;
}
