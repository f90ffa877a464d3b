import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { encodeGguf, GgmlType, type GgufKeyValue, type GgufTensor, GgufType, toHalf } from "./gguf-writer.js";
import { buildTinyVocab, GEMMA_CHAT_TEMPLATE, SPECIAL_IDS } from "./tiny-gguf-vocab.js";

/**
 * Options of the tiny random-weight model. Defaults give a ~414 KB `gemma3` model (64 wide, 2 layers)
 * that node-llama-cpp loads with its prebuilt CPU binary; use `threads: 1` when running it.
 */
export interface TinyGgufOptions {
  arch?: "gemma3" | "llama";
  /** PRNG seed; the same options give byte-identical files. Default 42. */
  seed?: number;
  embd?: number;
  layers?: number;
  heads?: number;
  kvHeads?: number;
  /** Default 32 for gemma3, `embd / heads` for llama (which requires exactly that). */
  headDim?: number;
  ff?: number;
  ctx?: number;
  /** gemma3 sliding window; 0 = off. */
  swa?: number;
  type?: "f32" | "f16";
  /** Default true: the model can only emit ASCII (see `buildTinyVocab`). */
  asciiOnly?: boolean;
  /** Extra words added to the vocabulary as merge chains (e.g. tool names). */
  extraWords?: string[];
  /** Extra control tokens (e.g. FunctionGemma's `<escape>`, `<start_function_call>`), appended last. */
  extraSpecialTokens?: string[];
}

export interface TinyGgufInfo {
  file: string;
  bytes: number;
  params: number;
  vocabSize: number;
  arch: "gemma3" | "llama";
}

/** mulberry32: small, fast, deterministic. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`writeTinyGguf: option "${name}" must be a positive integer, got ${value}`);
  }
  return value;
}

/** Builds the bytes of a tiny random-weight GGUF v3 model (Node built-ins only). */
export function buildTinyGguf(options: TinyGgufOptions = {}): {
  bytes: Buffer;
  params: number;
  vocabSize: number;
} {
  const arch = options.arch ?? "gemma3";
  if (arch !== "gemma3" && arch !== "llama") {
    throw new RangeError(`writeTinyGguf: arch must be "gemma3" or "llama", got "${String(arch)}"`);
  }
  const nEmbd = positiveInt("embd", options.embd ?? 64);
  const nLayer = positiveInt("layers", options.layers ?? 2);
  const nHead = positiveInt("heads", options.heads ?? 2);
  const nHeadKv = positiveInt("kvHeads", options.kvHeads ?? 1);
  const headDim = positiveInt("headDim", options.headDim ?? (arch === "llama" ? nEmbd / nHead : 32));
  const nFf = positiveInt("ff", options.ff ?? 128);
  const nCtx = positiveInt("ctx", options.ctx ?? 2048);
  const swa = options.swa ?? 0;
  const wtype = options.type ?? "f32";
  if (arch === "llama" && headDim * nHead !== nEmbd) {
    throw new RangeError(
      `writeTinyGguf: the llama arch needs headDim * heads == embd (${headDim} * ${nHead} != ${nEmbd})`,
    );
  }
  if (nHead % nHeadKv !== 0)
    throw new RangeError(`writeTinyGguf: heads (${nHead}) must be a multiple of kvHeads (${nHeadKv})`);

  const vocab = buildTinyVocab(options.asciiOnly ?? true, options.extraWords, options.extraSpecialTokens);
  const nVocab = vocab.tokens.length;
  const kvs: GgufKeyValue[] = [];
  const u32 = (key: string, value: number) => kvs.push({ key, type: GgufType.UINT32, value });
  const f32 = (key: string, value: number) => kvs.push({ key, type: GgufType.FLOAT32, value });
  const str = (key: string, value: string) => kvs.push({ key, type: GgufType.STRING, value });
  const bool = (key: string, value: boolean) => kvs.push({ key, type: GgufType.BOOL, value });

  str("general.architecture", arch);
  str("general.name", `tiny-${arch}-random`);
  str("general.description", "random weights; for tests only; produces no meaningful text");
  u32("general.file_type", wtype === "f32" ? 0 : 1);
  u32("general.alignment", 32);
  u32("general.quantization_version", 2);
  u32(`${arch}.vocab_size`, nVocab);
  u32(`${arch}.context_length`, nCtx);
  u32(`${arch}.embedding_length`, nEmbd);
  u32(`${arch}.block_count`, nLayer);
  u32(`${arch}.feed_forward_length`, nFf);
  u32(`${arch}.attention.head_count`, nHead);
  u32(`${arch}.attention.head_count_kv`, nHeadKv);
  f32(`${arch}.attention.layer_norm_rms_epsilon`, 1e-6);
  if (arch === "gemma3") {
    u32("gemma3.attention.key_length", headDim);
    u32("gemma3.attention.value_length", headDim);
    f32("gemma3.rope.freq_base", 1_000_000);
    if (swa > 0) {
      u32("gemma3.attention.sliding_window", swa);
      f32("gemma3.rope.freq_base_swa", 10_000);
    }
  } else {
    u32("llama.rope.dimension_count", headDim);
    f32("llama.rope.freq_base", 10_000);
  }
  str("tokenizer.ggml.model", "llama");
  str("tokenizer.ggml.pre", "default");
  kvs.push({
    key: "tokenizer.ggml.tokens",
    type: GgufType.ARRAY,
    elementType: GgufType.STRING,
    value: vocab.tokens,
  });
  kvs.push({
    key: "tokenizer.ggml.scores",
    type: GgufType.ARRAY,
    elementType: GgufType.FLOAT32,
    value: vocab.scores,
  });
  kvs.push({
    key: "tokenizer.ggml.token_type",
    type: GgufType.ARRAY,
    elementType: GgufType.INT32,
    value: vocab.types,
  });
  u32("tokenizer.ggml.bos_token_id", SPECIAL_IDS.bos);
  u32("tokenizer.ggml.eos_token_id", SPECIAL_IDS.eos);
  u32("tokenizer.ggml.eot_token_id", SPECIAL_IDS.endOfTurn);
  u32("tokenizer.ggml.unknown_token_id", SPECIAL_IDS.unk);
  u32("tokenizer.ggml.padding_token_id", SPECIAL_IDS.pad);
  bool("tokenizer.ggml.add_bos_token", true);
  bool("tokenizer.ggml.add_eos_token", false);
  bool("tokenizer.ggml.add_space_prefix", false);
  str("tokenizer.chat_template", GEMMA_CHAT_TEMPLATE);

  const rand = mulberry32(options.seed ?? 42);
  const randn = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const tensors: { name: string; ne: number[]; data: Float32Array }[] = [];
  const normal = (name: string, ne: number[], std: number) => {
    const data = new Float32Array(ne.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = randn() * std;
    tensors.push({ name, ne, data });
  };
  // Norm weights of 1.0 are the identity for both archs (GGUF stores gemma's (1 + w) already).
  const ones = (name: string, ne: number[]) => {
    tensors.push({ name, ne, data: new Float32Array(ne.reduce((a, b) => a * b, 1)).fill(1) });
  };
  const nQ = headDim * nHead;
  const nKV = headDim * nHeadKv;
  // A bit larger than usual so that logits are not flat.
  const std = 0.02 * Math.sqrt(64 / nEmbd) * 5;
  normal("token_embd.weight", [nEmbd, nVocab], arch === "gemma3" ? (std / Math.sqrt(nEmbd)) * 8 : std);
  ones("output_norm.weight", [nEmbd]);
  // gemma3 has no output.weight: llama.cpp ties it to token_embd, as in the real 270M model.
  if (arch === "llama") normal("output.weight", [nEmbd, nVocab], std);
  for (let i = 0; i < nLayer; i++) {
    const p = `blk.${i}.`;
    ones(`${p}attn_norm.weight`, [nEmbd]);
    normal(`${p}attn_q.weight`, [nEmbd, nQ], std);
    normal(`${p}attn_k.weight`, [nEmbd, nKV], std);
    normal(`${p}attn_v.weight`, [nEmbd, nKV], std);
    normal(`${p}attn_output.weight`, [nQ, nEmbd], std);
    if (arch === "gemma3") {
      ones(`${p}attn_q_norm.weight`, [headDim]);
      ones(`${p}attn_k_norm.weight`, [headDim]);
      ones(`${p}post_attention_norm.weight`, [nEmbd]);
      ones(`${p}post_ffw_norm.weight`, [nEmbd]);
    }
    ones(`${p}ffn_norm.weight`, [nEmbd]);
    normal(`${p}ffn_gate.weight`, [nEmbd, nFf], std);
    normal(`${p}ffn_up.weight`, [nEmbd, nFf], std);
    normal(`${p}ffn_down.weight`, [nFf, nEmbd], std);
  }

  // Norms (1-D) stay F32 in f16 mode, like llama.cpp's converters.
  const encoded: GgufTensor[] = tensors.map((t) => {
    if (wtype === "f32" || t.ne.length === 1) {
      return {
        name: t.name,
        ne: t.ne,
        type: GgmlType.F32,
        data: Buffer.from(t.data.buffer, 0, t.data.byteLength),
      };
    }
    const half = new Uint16Array(t.data.length);
    for (let i = 0; i < half.length; i++) half[i] = toHalf(t.data[i] as number);
    return { name: t.name, ne: t.ne, type: GgmlType.F16, data: Buffer.from(half.buffer) };
  });
  const params = tensors.reduce((sum, t) => sum + t.data.length, 0);
  return { bytes: encodeGguf(kvs, encoded), params, vocabSize: nVocab };
}

/**
 * Writes a tiny random-weight GGUF model to `file` (parent directories are created) for offline
 * llama.cpp tests. The point is the real llama.cpp path, not answer quality.
 */
export async function writeTinyGguf(file: string, options: TinyGgufOptions = {}): Promise<TinyGgufInfo> {
  const { bytes, params, vocabSize } = buildTinyGguf(options);
  const target = path.resolve(file);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, bytes);
  return { file: target, bytes: bytes.length, params, vocabSize, arch: options.arch ?? "gemma3" };
}
