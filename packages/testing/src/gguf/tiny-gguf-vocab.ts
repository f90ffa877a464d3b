/**
 * The SentencePiece ("llama") vocabulary of the tiny test model: Gemma special tokens, all 256 byte
 * tokens, "▁", printable ASCII and prefix chains of a few JSON/tool words (SPM only merges pieces whose
 * concatenation is in the vocabulary, so every prefix is added, longer ones scoring higher).
 */

export const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

/** Ids of the special tokens, matching Gemma's layout. */
export const SPECIAL_IDS = { pad: 0, eos: 1, bos: 2, unk: 3, startOfTurn: 4, endOfTurn: 5 } as const;

export interface TinyVocab {
  tokens: string[];
  scores: number[];
  types: number[];
}

const WORDS = [
  "name",
  "arguments",
  "path",
  "read",
  "grep",
  "pattern",
  "true",
  "false",
  "null",
  '{"',
  '":',
  '",',
  '"}',
  "\u2581\u2581",
  "\u2581\u2581\u2581\u2581",
  "src",
  "file",
  "user",
  "model",
];

/**
 * @param extraSpecialTokens control tokens such as FunctionGemma's `<escape>`, tokenised only as special.
 * @param asciiOnly byte tokens 0x80–0xFF become UNUSED: non-ASCII input still tokenises through byte
 *   fallback, but a random model can never emit partial UTF-8 (llama.cpp's grammar sampler rejects the
 *   empty pieces they detokenise to).
 */
export function buildTinyVocab(
  asciiOnly: boolean,
  extraWords: readonly string[] = [],
  extraSpecialTokens: readonly string[] = [],
): TinyVocab {
  const vocab: TinyVocab = { tokens: [], scores: [], types: [] };
  const seen = new Set<string>();
  const add = (text: string, score: number, type: number) => {
    if (seen.has(text)) return;
    seen.add(text);
    vocab.tokens.push(text);
    vocab.scores.push(score);
    vocab.types.push(type);
  };
  add("<pad>", 0, TokenType.CONTROL);
  add("<eos>", 0, TokenType.CONTROL);
  add("<bos>", 0, TokenType.CONTROL);
  add("<unk>", 0, TokenType.UNKNOWN);
  add("<start_of_turn>", 0, TokenType.CONTROL);
  add("<end_of_turn>", 0, TokenType.CONTROL);
  for (let b = 0; b < 256; b++) {
    const hex = b.toString(16).toUpperCase().padStart(2, "0");
    add(`<0x${hex}>`, 0, asciiOnly && b >= 0x80 ? TokenType.UNUSED : TokenType.BYTE);
  }
  add("\u2581", -1, TokenType.NORMAL);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c), -1, TokenType.NORMAL);
  for (const word of [...WORDS, ...extraWords]) {
    const chars = Array.from(word);
    for (let n = 2; n <= chars.length; n++) add(chars.slice(0, n).join(""), n, TokenType.NORMAL);
  }
  // Last, so the ids above stay the same with or without them.
  for (const token of extraSpecialTokens) add(token, 0, TokenType.CONTROL);
  return vocab;
}

/** A Gemma-style chat template, so node-llama-cpp resolves its Gemma chat wrapper from the file. */
export const GEMMA_CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}" +
  "{% if message['role'] == 'assistant' %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}" +
  "<start_of_turn>{{ role }}\n{{ message['content'] | trim }}<end_of_turn>\n" +
  "{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}";
