export { encodeGguf, GgmlType, type GgufKeyValue, type GgufTensor, GgufType } from "./gguf-writer.js";
export { buildTinyGguf, type TinyGgufInfo, type TinyGgufOptions, writeTinyGguf } from "./tiny-gguf.js";
export { buildTinyVocab, GEMMA_CHAT_TEMPLATE, SPECIAL_IDS, TokenType } from "./tiny-gguf-vocab.js";
