// esbuild's CommonJS interop helpers, made cheaper for the CLI's chunks (used by scripts/commonjs-chunks.mjs).
//
// Each chunk carries esbuild's helpers, and two of them copied every export one property at a time, on every start:
// - `__toCommonJS(ns)` built `module.exports` as a copy of the chunk's export namespace: a getter per export, ~1,000
//   in the largest chunks. The namespace itself, marked `__esModule`, reads the same.
// - `__toESM(require("fs"))` built a copy of a built-in module's ~100 properties for every default import of it,
//   in every chunk. The copy is kept per module object (the banner's `__ctToESM`) and made again only when the
//   module has gained properties since, as a CommonJS module still loading can.
// The new definitions replace the old ones in place, padded to the same length, so the source maps stay right.

// esbuild's definitions, minified. It renames what clashes (`mod2`, `__copyProps2`), and the shared chunk of the
// first build exports a second set (`__toESM`, `__toCommonJS2`) for the CommonJS packages bundled in other chunks.
const id = "([\\w$]+)";
const TO_COMMONJS = new RegExp(
  `(__toCommonJS\\d*)=${id}=>${id}\\(${id}\\(\\{\\},"__esModule",\\{value:!0\\}\\),\\2\\)`,
  "g",
);
const toCommonJsLight = (_, name, mod, _copy, defProp) =>
  `${name}=${mod}=>${defProp}(${mod},"__esModule",{value:!0})`;

const TO_ESM = new RegExp(
  `(__toESM\\d*)=\\(${id},${id},${id}\\)=>\\(\\4=\\2!=null\\?${id}\\(${id}\\(\\2\\)\\):\\{\\},${id}\\(\\3\\|\\|!\\2\\|\\|!\\2\\.__esModule\\?${id}\\(\\4,"default",\\{value:\\2,enumerable:!0\\}\\):\\4,\\2\\)\\)`,
  "g",
);
const toEsmLight = (_, name) => `${name}=__ctToESM`;

/** esbuild's `__toESM`, kept per module object (one cache shared by every chunk). */
export const INTEROP_BANNER = `var __ctToESM=(mod,isNodeMode)=>{
let isObject=mod!=null&&(typeof mod=="object"||typeof mod=="function"),names=isObject?Object.getOwnPropertyNames(mod):[];
let cache=(globalThis[Symbol.for("codetether.toESM")]??=[new WeakMap,new WeakMap])[isNodeMode?1:0];
let kept=isObject?cache.get(mod):undefined;
if(kept&&kept.size===names.length)return kept.target;
let target=mod!=null?Object.create(Object.getPrototypeOf(mod)):{};
if(isNodeMode||!mod||!mod.__esModule)Object.defineProperty(target,"default",{value:mod,enumerable:!0});
for(let key of names)if(!Object.prototype.hasOwnProperty.call(target,key)){let desc=Object.getOwnPropertyDescriptor(mod,key);Object.defineProperty(target,key,{get:()=>mod[key],enumerable:!desc||desc.enumerable})}
if(isObject)cache.set(mod,{target,size:names.length});
return target};`.replace(/\n/g, "");

/**
 * `code` (esbuild's CommonJS output for one chunk) with the two helpers replaced wherever it defines them in the
 * form above, and how many it replaced. A bundled package may carry its own older copy (another esbuild wrote it):
 * that one is left as it is. The caller fails the build when a whole build replaced none (a new esbuild).
 */
export function lightenInteropHelpers(code) {
  let replaced = 0;
  const out = code
    .replace(TO_COMMONJS, (found, ...groups) => {
      replaced++;
      return toCommonJsLight(found, ...groups).padEnd(found.length, " ");
    })
    .replace(TO_ESM, (found, ...groups) => {
      replaced++;
      return toEsmLight(found, ...groups).padEnd(found.length, " ");
    });
  return { code: out, replaced };
}
