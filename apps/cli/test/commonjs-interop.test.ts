// The CLI build replaces esbuild's CommonJS interop helpers in each chunk (scripts/commonjs-interop.mjs): the
// lighter ones must read the same to every importer, and leave every line and column where it was.
import { createRequire } from "node:module";
import { buildSync } from "esbuild";
import { expect, it } from "vitest";
import { INTEROP_BANNER, lightenInteropHelpers } from "../scripts/commonjs-interop.mjs";

/** esbuild's CommonJS output for a module with default, namespace and named imports, as the CLI build writes it. */
function bundle(): string {
  const result = buildSync({
    stdin: {
      contents: `import fs from "node:fs";
import * as dep from "./dep.cjs";
import * as growing from "./growing.cjs";
export const answer = 42;
export function probe() { return [typeof fs.readFileSync, dep.x, Object.keys(growing).sort()]; }
export default "the default";`,
      resolveDir: "/virtual",
      loader: "js",
    },
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    minifyWhitespace: true,
    minifySyntax: true,
    external: ["./dep.cjs", "./growing.cjs"],
  });
  return result.outputFiles[0]?.text ?? "";
}

function evaluate(code: string, growing: Record<string, unknown>) {
  const module = { exports: {} as Record<string, unknown> };
  const nodeRequire = createRequire(import.meta.url);
  const require = (id: string) =>
    id === "./dep.cjs" ? { x: 5 } : id === "./growing.cjs" ? growing : nodeRequire(id);
  new Function("module", "exports", "require", INTEROP_BANNER + code)(module, module.exports, require);
  return module.exports as { answer: number; default: string; __esModule: boolean; probe(): unknown[] };
}

it("replaces both helpers in place: same length, same lines", () => {
  const original = bundle();
  const { code, replaced } = lightenInteropHelpers(original);
  expect(replaced).toBe(2);
  expect(code).not.toBe(original);
  expect(code.length).toBe(original.length);
  expect(code.split("\n").map((l) => l.length)).toEqual(original.split("\n").map((l) => l.length));
});

it("the module reads the same to an importer with the lighter helpers", () => {
  const original = bundle();
  const before = evaluate(original, { a: 1 });
  const after = evaluate(lightenInteropHelpers(original).code, { a: 1 });
  for (const exports of [before, after]) {
    expect(exports.__esModule).toBe(true);
    expect(exports.answer).toBe(42);
    expect(exports.default).toBe("the default");
    expect(exports.probe()).toEqual(["function", 5, ["a", "default"]]);
  }
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
});

it("a CommonJS module that gained exports after a first import shows them to the next importer", () => {
  const growing: Record<string, unknown> = { a: 1 };
  const light = lightenInteropHelpers(bundle()).code;
  const first = evaluate(light, growing);
  expect(first.probe()).toEqual(["function", 5, ["a", "default"]]);
  growing.b = 2;
  const second = evaluate(light, growing);
  expect(second.probe()).toEqual(["function", 5, ["a", "b", "default"]]);
});
