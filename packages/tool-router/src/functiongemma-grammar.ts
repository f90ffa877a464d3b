import type { ToolDefinition } from "@codetether/core";
import { FUNCTION_GEMMA_TOKENS, sortedKeys } from "./functiongemma-format.js";

/** Limits that keep grammar-constrained output finite (unbounded strings rarely terminate). */
export interface SchemaBounds {
  /** Default `maxLength` of strings without one (default 1000). */
  maxStringLength: number;
  /** Default `maxItems` of arrays without one (default 16). */
  maxArrayItems: number;
  /** Most calls one routing may produce (default 4). */
  maxCalls: number;
  /** Fewest calls (default 0: the router may find nothing to call; 1 when a call is mandatory, as in RLM). */
  minCalls: number;
  /** `$ref` inlining depth for recursive schemas (default 3). */
  maxRefDepth: number;
}

export const DEFAULT_BOUNDS: SchemaBounds = {
  maxStringLength: 1_000,
  maxArrayItems: 16,
  maxCalls: 4,
  minCalls: 0,
  maxRefDepth: 3,
};

type Schema = Record<string, unknown>;
const T = FUNCTION_GEMMA_TOKENS;

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A GBNF string literal. */
export function gbnfLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Text between two `<escape>` tokens never contains `<escape>` itself: it is made of any character but `<`, or
 * `<` / `<<` / `<e` followed by a character that cannot continue `<escape>`, and may end in `<`, `<<` or `<e`
 * (`a<<escape>` still parses as "a<"). So `a < b`, `</div>`, `<em>` and `cat <<EOF` can be written.
 * Lengths are exact: `text-N` is such text of at most N characters, `text-N-K` of at least K as well.
 */
const PIECES: ReadonlyArray<{ body: string; length: number }> = [
  { body: "[^<]", length: 1 },
  { body: '"<" [^e<]', length: 2 },
  { body: '("<e" [^s<] | "<<" [^e<])', length: 3 },
];
const ENDINGS: ReadonlyArray<{ body: string; length: number }> = [
  { body: '"<"', length: 1 },
  { body: '("<<" | "<e")', length: 2 },
];

/** GBNF for the decimal digits of 0..max (no leading zeros), so `maximum` holds exactly. */
function digitsUpTo(max: string, allowZero = true): string {
  const alternatives: string[] = [];
  const k = max.length;
  if (k > 1) alternatives.push(`[1-9] [0-9]{0,${k - 2}}`, ...(allowZero ? ['"0"'] : []));
  else alternatives.push(`[${allowZero ? 0 : 1}-${max}]`);
  if (k > 1) {
    // k digits: each prefix of max, then a smaller digit, then anything; or max itself.
    for (let i = 0; i < k; i++) {
      const digit = Number(max[i]);
      const low = i === 0 ? 1 : 0;
      if (digit > low) {
        const rest = k - i - 1;
        alternatives.push(
          `${gbnfLiteral(max.slice(0, i))} [${low}-${digit - 1}]${rest > 0 ? ` [0-9]{${rest}}` : ""}`.replace(
            /^"" /,
            "",
          ),
        );
      }
    }
    alternatives.push(gbnfLiteral(max));
  }
  return alternatives.map((a) => `(${a})`).join(" | ");
}

/**
 * Integers: a non-negative `maximum` bounds the digits exactly and `minimum >= 0` drops the sign (`minimum >= 1`
 * also drops 0); other bounds are left to `validateJson`.
 */
function integerBody(schema: Schema): string {
  const min = typeof schema.minimum === "number" ? Math.ceil(schema.minimum) : undefined;
  const max = typeof schema.maximum === "number" ? Math.floor(schema.maximum) : undefined;
  const any = "[0-9]{1,16}";
  if (max !== undefined && max >= 1 && Number.isSafeInteger(max) && min !== undefined && min >= 0) {
    return digitsUpTo(String(max), min < 1);
  }
  if (min !== undefined && min >= 0) return min >= 1 ? "[1-9] [0-9]{0,15}" : `"0" | [1-9] [0-9]{0,15}`;
  if (max !== undefined && max >= 0 && Number.isSafeInteger(max))
    return `("-" ${any}) | ${digitsUpTo(String(max))}`;
  return `"-"? ${any}`;
}

/**
 * Numbers: no sign when `minimum`/`exclusiveMinimum` is at least 0, then the whole part bounded like an integer
 * by `maximum`/`exclusiveMaximum`; what is left (a fraction past the maximum) is checked by `validateJson`.
 */
function numberBody(schema: Schema): string {
  const low = [schema.minimum, schema.exclusiveMinimum].filter((v): v is number => typeof v === "number");
  const high = [schema.maximum, schema.exclusiveMaximum].filter((v): v is number => typeof v === "number");
  const unsigned = low.some((v) => v >= 0);
  const max = high.length ? Math.floor(Math.min(...high)) : undefined;
  const fraction = '("." [0-9]{1,8})?';
  if (unsigned && max !== undefined && max >= 1 && Number.isSafeInteger(max)) {
    return `(${digitsUpTo(String(max))}) ${fraction}`;
  }
  return `${unsigned ? "" : '"-"? '}[0-9]{1,16} ${fraction}`;
}

function resolveRef(ref: string, root: Schema): Schema | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const defs = root[match[1] as string];
  return isObject(defs) && isObject(defs[match[2] as string])
    ? (defs[match[2] as string] as Schema)
    : undefined;
}

/** Builds the GBNF of FunctionGemma's call notation for a set of tools. */
class GrammarBuilder {
  private readonly rules = new Map<string, string>();
  private counter = 0;

  constructor(private readonly bounds: SchemaBounds) {}

  /** Adds a rule (deduplicated by body) and returns its name. */
  private rule(hint: string, body: string): string {
    for (const [name, existing] of this.rules) if (existing === body) return name;
    const name = `${hint}-${this.counter++}`;
    this.rules.set(name, body);
    return name;
  }

  private readonly textRules = new Map<string, string>();

  /** The rule for string content of `min` to `max` characters (see {@link PIECES}); shared between strings. */
  private text(max: number, min: number): string {
    const name = min > 0 ? `text-${max}-${min}` : `text-${max}`;
    if (this.textRules.has(name)) return name;
    // Reserve the name first: the rules below refer to shorter lengths only, so this always terminates.
    this.textRules.set(name, "");
    const alternatives: string[] = [];
    for (const piece of PIECES) {
      if (piece.length <= max) {
        alternatives.push(`${piece.body} ${this.text(max - piece.length, Math.max(0, min - piece.length))}`);
      }
    }
    for (const ending of ENDINGS) {
      if (ending.length <= max && ending.length >= min) alternatives.push(ending.body);
    }
    const body = alternatives.join(" | ");
    // With min > 0 there is always an alternative (min <= max, and one character is a piece).
    this.textRules.set(name, min > 0 ? body : alternatives.length ? `(${body})?` : '""');
    return name;
  }

  private stringValue(schema: Schema): string {
    const max = Math.min(
      typeof schema.maxLength === "number" ? schema.maxLength : this.bounds.maxStringLength,
      this.bounds.maxStringLength,
    );
    const min = Math.min(typeof schema.minLength === "number" ? schema.minLength : 0, max);
    const body = `${gbnfLiteral(T.escape)} ${this.text(Math.max(0, max), Math.max(0, min))} ${gbnfLiteral(T.escape)}`;
    return this.rule("string", body);
  }

  private literal(value: unknown): string {
    if (typeof value === "string")
      return `${gbnfLiteral(T.escape)} ${gbnfLiteral(value)} ${gbnfLiteral(T.escape)}`;
    if (value === null) return '"null"';
    if (typeof value === "number" || typeof value === "boolean") return gbnfLiteral(String(value));
    return '"null"';
  }

  /** The GBNF expression (usually a rule name) for values of `schema`. */
  value(raw: unknown, root: Schema, depth: number): string {
    if (!isObject(raw)) return this.anyScalar();
    if (typeof raw.$ref === "string") {
      const target = resolveRef(raw.$ref, root);
      if (!target || depth >= this.bounds.maxRefDepth) return '"null"';
      return this.value(target, root, depth + 1);
    }
    if ("const" in raw) return this.rule("const", this.literal(raw.const));
    if (Array.isArray(raw.enum) && raw.enum.length > 0) {
      return this.rule("enum", raw.enum.map((v) => `(${this.literal(v)})`).join(" | "));
    }
    const variants = (raw.anyOf ?? raw.oneOf) as unknown;
    if (Array.isArray(variants) && variants.length > 0) {
      return this.rule("union", variants.map((v) => this.value(v, root, depth)).join(" | "));
    }
    if (Array.isArray(raw.type)) {
      return this.rule(
        "union",
        raw.type.map((t) => this.value({ ...raw, type: t }, root, depth)).join(" | "),
      );
    }
    switch (raw.type) {
      case "string":
        return this.stringValue(raw);
      case "integer":
        return this.rule("integer", integerBody(raw));
      case "number":
        return this.rule("number", numberBody(raw));
      case "boolean":
        return this.rule("boolean", `"true" | "false"`);
      case "null":
        return '"null"';
      case "array": {
        const max = Math.min(
          typeof raw.maxItems === "number" ? raw.maxItems : this.bounds.maxArrayItems,
          this.bounds.maxArrayItems,
        );
        const min = Math.min(typeof raw.minItems === "number" ? raw.minItems : 0, max);
        if (max <= 0) return '"[]"';
        const item = this.value(raw.items ?? {}, root, depth);
        const list = `${item} ("," ${item}){${Math.max(0, min - 1)},${max - 1}}`;
        return this.rule("array", min > 0 ? `"[" ${list} "]"` : `"[" (${list})? "]"`);
      }
      case "object":
        return this.object(raw, root, depth);
      default:
        return isObject(raw.properties) ? this.object(raw, root, depth) : this.anyScalar();
    }
  }

  /** A value of an unknown schema: a bounded string, a number, a boolean or null. */
  private anyScalar(): string {
    const text = this.stringValue({});
    const number = this.value({ type: "number" }, {}, 0);
    return this.rule("any", `${text} | ${number} | "true" | "false" | "null"`);
  }

  /**
   * `{key:value,…}` with the keys in sorted order, every required key present, optional ones omissible, and no
   * other keys. Two rules per key track whether a comma is needed: `first` (nothing written yet) and `rest`.
   */
  object(schema: Schema, root: Schema, depth: number): string {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? (schema.required as unknown[]) : []);
    const keys = sortedKeys(properties);
    const id = this.counter++;
    let first = '""';
    let rest = '""';
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const pair = `${gbnfLiteral(`${key}:`)} ${this.value(properties[key], root, depth)}`;
      const nextRest = rest;
      rest = required.has(key)
        ? this.rule(`o${id}-r${i}`, `"," ${pair} ${nextRest}`)
        : this.rule(`o${id}-r${i}`, `("," ${pair})? ${nextRest}`);
      first = required.has(key)
        ? this.rule(`o${id}-f${i}`, `${pair} ${nextRest}`)
        : this.rule(`o${id}-f${i}`, `${pair} ${nextRest} | ${first}`);
    }
    return this.rule("object", `"{" ${first} "}"`);
  }

  build(tools: readonly ToolDefinition[]): string {
    const calls = tools.map((tool) => {
      const root = isObject(tool.parameters) ? tool.parameters : {};
      const args = this.object(root, root, 0);
      return this.rule("call", `${gbnfLiteral(tool.name)} ${args}`);
    });
    const min = Math.min(this.bounds.minCalls, this.bounds.maxCalls);
    const call = `${gbnfLiteral(T.startCall)} "call:" (${calls.join(" | ") || '"none"'}) ${gbnfLiteral(T.endCall)}`;
    const lines = [
      `root ::= call{${min},${this.bounds.maxCalls}}`,
      `call ::= ${call}`,
      ...[...this.rules].map(([name, body]) => `${name} ::= ${body}`),
      ...[...this.textRules].map(([name, body]) => `${name} ::= ${body}`),
    ];
    return `${lines.join("\n")}\n`;
  }
}

/**
 * The GBNF grammar of FunctionGemma calls to `tools`: only their names, their own parameters in sorted key
 * order, every required key, values of the declared types and enums, strings of bounded length, between
 * `minCalls` and `maxCalls` calls. Output it accepts always parses with `parseFunctionGemmaCalls`; what the
 * grammar cannot say (patterns, numeric ranges) is checked by `validateJson` afterwards.
 */
export function functionGemmaGrammar(
  tools: readonly ToolDefinition[],
  bounds: Partial<SchemaBounds> = {},
): string {
  return new GrammarBuilder({ ...DEFAULT_BOUNDS, ...bounds }).build(tools);
}
