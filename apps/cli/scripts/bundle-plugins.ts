// esbuild pieces of the CLI build (tsup.config.ts), which inlines the workspace packages and their pure-JS
// dependencies into dist/ as code-split chunks.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "esbuild";

/**
 * Left as bare imports, resolved at run time from the installed CLI (an optional peer dependency of `codetether`):
 * node-llama-cpp, the embedded default provider, is native and ~85-725 MB with its platform builds. The pure-JS
 * vendor SDKs (Anthropic, Google, Bedrock) are bundled like `openai`: each is its own lazy chunk, loaded only when
 * its provider is used, so any supported key works right after `npm i -g codetether`.
 */
export const LAZY_OPTIONAL = ["node-llama-cpp"];

/** tsup lets `noExternal` win over `external`, so everything-but-these is said as one negative pattern. */
export const ALL_BUT_LAZY_OPTIONAL = new RegExp(
  `^(?!(${LAZY_OPTIONAL.map((n) => n.replace(/[/.]/g, "\\$&")).join("|")})(/|$))`,
);

/**
 * ink imports the React devtools statically but connects only when DEV=true; the build leaves them out (they
 * pull in a websocket client and are a development aid) and says so if someone asks for them.
 */
export const withoutReactDevtools: Plugin = {
  name: "without-react-devtools",
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: "react-devtools-core",
      namespace: "ct-omit",
    }));
    build.onLoad({ filter: /.*/, namespace: "ct-omit" }, () => ({
      contents:
        'const fail = () => { throw new Error("The codetether CLI does not include the React devtools (DEV=true): run the TUI from the workspace sources instead."); };\nexport default { initialize: fail, connectToDevTools: fail };',
      loader: "js",
    }));
  },
};

/**
 * @codetether/tools reads each tool's model-facing description from `<id>.txt` beside its build output
 * (`loadDescription(new URL("./<id>.txt", import.meta.url))`). Once bundled, `import.meta.url` is a chunk of
 * the CLI's dist/, where no such file is, so the text is inlined at build time. A description file that is
 * missing fails the build, and so does any other `new URL(..., import.meta.url)` left in the tools' output
 * (an asset this plugin does not know how to carry over).
 */
export const inlineToolDescriptions: Plugin = {
  name: "inline-tool-descriptions",
  setup(build) {
    const call = /loadDescription\(\s*new URL\(\s*"\.\/([\w.-]+\.txt)"\s*,\s*import\.meta\.url\s*\)\s*\)/g;
    build.onLoad({ filter: /[\\/]tools[\\/]dist[\\/][^\\/]+\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const contents = source.replace(call, (_, name: string) =>
        JSON.stringify(readFileSync(path.join(path.dirname(args.path), name), "utf8").trim()),
      );
      if (/new URL\([^)]*import\.meta\.url/.test(contents))
        throw new Error(`${args.path} reads a file next to itself that the CLI build does not inline`);
      return { contents, loader: "js" };
    });
  },
};

/**
 * Bundled CommonJS calls `require()` (node built-ins, mostly), which esbuild routes through a `__require` shim
 * that throws in an ES module unless a `require` is in scope. Only the chunks with that shim get one, so
 * bin.cjs (`--version`, `--help`) imports nothing it does not need. The shim goes on the first code line, not
 * a line of its own, so the chunk's source map stays right.
 */
export const requireWhereNeeded = {
  name: "require-where-needed",
  renderChunk(code: string, info: { path: string }) {
    if (!info.path.endsWith(".js") || !/\btypeof require(\s*!==\s*"undefined"|<"u")/.test(code)) return;
    const shim =
      'import { createRequire as __ctCreateRequire } from "node:module"; const require = __ctCreateRequire(import.meta.url); ';
    const hashbang = code.startsWith("#!") ? code.slice(0, code.indexOf("\n") + 1) : "";
    return { code: hashbang + shim + code.slice(hashbang.length) };
  },
};

/**
 * Whether the file esbuild picked is CommonJS: .cjs, or a .js outside a `"type": "module"` package that has no
 * import/export statement (esbuild may pick a package's `module` field, ESM in a CommonJS package).
 */
function isCommonJs(file: string): boolean {
  if (file.endsWith(".cjs")) return true;
  if (!file.endsWith(".js")) return false;
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    if ((JSON.parse(readFileSync(manifest, "utf8")) as { type?: string }).type === "module") return false;
    break;
  }
  return !/^(import|export)[\s{*]/m.test(readFileSync(file, "utf8"));
}

/**
 * `await import("ajv")` of a CommonJS package gives, in Node, a namespace with its exports by name (`.Ajv`)
 * and `default` = `module.exports`. Split by esbuild, such a package becomes a chunk that exports only
 * `default`, so `(await import("ajv")).Ajv` and `const { StreamMessageReader } = await import("vscode-jsonrpc/node")`
 * were undefined. Each such import goes through a small ES module instead that names the exports, read by
 * requiring the package once at build time.
 */
export const namedExportsOfLazyCommonJs: Plugin = {
  name: "named-exports-of-lazy-commonjs",
  setup(build) {
    const inner = "named-exports-of-lazy-commonjs";
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== "dynamic-import" || args.pluginData === inner) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: inner,
      });
      if (resolved.errors.length || resolved.external || !isCommonJs(resolved.path)) return undefined;
      return { path: resolved.path, namespace: "ct-cjs-namespace" };
    });
    build.onLoad({ filter: /.*/, namespace: "ct-cjs-namespace" }, (args) => {
      const exports = createRequire(args.path)(args.path) as object;
      const names = Object.keys(exports).filter(
        (n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default" && n !== "__esModule",
      );
      const from = JSON.stringify(args.path);
      return {
        contents: `const mod = require(${from});\nexport default mod;\n${names.length ? `export const { ${names.join(", ")} } = mod;\n` : ""}`,
        loader: "js",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};
