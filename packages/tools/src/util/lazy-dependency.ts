import { createRequire } from "node:module";

const requireDependency = createRequire(import.meta.url);

/**
 * A heavy dependency loaded on first use instead of at import time (turndown, node-html-parser and ajv cost
 * ~250 ms of start-up together, and most runs never fetch a page or connect an MCP server).
 * `load()` is the normal path: async tool code awaits it, and bundlers see the `import()`. `get()` serves the
 * synchronous public helpers (`htmlToMarkdown`, `jsonSchemaParameters`, ...): it returns the loaded module,
 * or requires it synchronously when a caller uses a helper before any tool has loaded it.
 */
export interface LazyDependency<T> {
  load(): Promise<T>;
  get(): T;
}

export function lazyDependency<T>(
  specifier: string,
  importIt: () => Promise<T>,
  fromRequire: (exports: unknown) => T,
): LazyDependency<T> {
  let value: T | undefined;
  let pending: Promise<T> | undefined;
  return {
    load() {
      if (value !== undefined) return Promise.resolve(value);
      pending ??= importIt().then((loaded) => {
        value ??= loaded;
        return value;
      });
      return pending;
    },
    get() {
      value ??= fromRequire(requireDependency(specifier));
      return value;
    },
  };
}
