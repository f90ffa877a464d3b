import { FUNCTION_GEMMA_TOKENS } from "./functiongemma-format.js";

/** One call in FunctionGemma's notation, decoded. */
export interface FunctionGemmaCall {
  name: string;
  arguments: Record<string, unknown>;
}

const T = FUNCTION_GEMMA_TOKENS;
const CALL_PREFIX = "call:";

class Malformed extends Error {}

/** A cursor over the text of one call; every read throws {@link Malformed} on unexpected input. */
class Reader {
  constructor(
    readonly text: string,
    public pos: number,
  ) {}

  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  expect(token: string): void {
    if (!this.startsWith(token)) throw new Malformed(`expected ${token} at ${this.pos}`);
    this.pos += token.length;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  value(depth: number): unknown {
    if (depth > 32) throw new Malformed("nested too deeply");
    this.skipSpace();
    if (this.startsWith(T.escape)) {
      this.pos += T.escape.length;
      const end = this.text.indexOf(T.escape, this.pos);
      if (end < 0) throw new Malformed("unterminated string");
      const value = this.text.slice(this.pos, end);
      this.pos = end + T.escape.length;
      return value;
    }
    if (this.startsWith("{")) return this.object(depth + 1);
    if (this.startsWith("[")) return this.array(depth + 1);
    return this.bare();
  }

  /** A bare word: a number, true/false/null; anything else (the model forgot `<escape>`) as text. */
  bare(): unknown {
    const start = this.pos;
    while (this.pos < this.text.length && !/[,}\]]/.test(this.text[this.pos] as string)) {
      if (this.startsWith("<")) break;
      this.pos++;
    }
    const word = this.text.slice(start, this.pos).trim();
    if (!word) throw new Malformed(`expected a value at ${start}`);
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(word)) return Number(word);
    return word;
  }

  array(depth: number): unknown[] {
    this.expect("[");
    const items: unknown[] = [];
    this.skipSpace();
    if (this.startsWith("]")) {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth));
      this.skipSpace();
      if (this.startsWith("]")) {
        this.pos++;
        return items;
      }
      this.expect(",");
    }
  }

  object(depth: number): Record<string, unknown> {
    this.expect("{");
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.startsWith("}")) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const colon = this.text.indexOf(":", this.pos);
      if (colon < 0) throw new Malformed("expected key:");
      let key = this.text.slice(this.pos, colon).trim();
      // A key the model wrapped in <escape> anyway.
      if (key.startsWith(T.escape) && key.endsWith(T.escape) && key.length > 2 * T.escape.length) {
        key = key.slice(T.escape.length, -T.escape.length);
      }
      if (!/^[^\s{}[\],<>:]+$/.test(key)) throw new Malformed(`bad key at ${this.pos}`);
      this.pos = colon + 1;
      // Own data property even for "__proto__": never the prototype setter.
      Object.defineProperty(out, key, {
        value: this.value(depth),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      if (this.startsWith("}")) {
        this.pos++;
        return out;
      }
      this.expect(",");
    }
  }
}

/**
 * Decodes every `<start_function_call>call:NAME{…}<end_function_call>` in `text` (the end token may be missing
 * at the very end, where generation stopped). A malformed call is skipped; the others are kept. Never throws.
 */
export function parseFunctionGemmaCalls(text: string): FunctionGemmaCall[] {
  const calls: FunctionGemmaCall[] = [];
  if (typeof text !== "string") return calls;
  let from = 0;
  for (;;) {
    const start = text.indexOf(T.startCall, from);
    if (start < 0) return calls;
    from = start + T.startCall.length;
    try {
      const reader = new Reader(text, from);
      reader.skipSpace();
      reader.expect(CALL_PREFIX);
      const brace = text.indexOf("{", reader.pos);
      if (brace < 0) continue;
      const name = text.slice(reader.pos, brace).trim();
      if (!/^[A-Za-z0-9_.:-]+$/.test(name)) continue;
      reader.pos = brace;
      const args = reader.object(0);
      reader.skipSpace();
      if (reader.pos < text.length && !reader.startsWith(T.endCall) && !reader.startsWith(T.startCall)) {
        continue;
      }
      calls.push({ name, arguments: args });
      from = reader.pos;
    } catch (err) {
      if (!(err instanceof Malformed)) return calls;
    }
  }
}
