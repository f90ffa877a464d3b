import { loadNodeLlamaCpp } from "@codetether/core";
import { FUNCTION_GEMMA_TOKENS, type PromptSegment } from "./functiongemma-format.js";
import { resolveModelPath } from "./model-path.js";
import type { GenerateOptions, LoadModelOptions, RouterModel } from "./router-model.js";

type NodeLlamaCpp = typeof import("node-llama-cpp");
type LlamaGrammar = Awaited<ReturnType<import("node-llama-cpp").Llama["createGrammar"]>>;

/**
 * node-llama-cpp is an optional peer dependency, imported only when a model is actually needed: from beside
 * @codetether/tool-router, else from the runtime `codetether models --pull` installed into the data dir.
 */
async function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  try {
    return (await loadNodeLlamaCpp<NodeLlamaCpp>(() => import("node-llama-cpp"))).sdk;
  } catch (err) {
    throw new Error(
      `The tool router needs the optional peer dependency node-llama-cpp@3.22.1, which could not be loaded ` +
        `(${(err as Error).message}). Install it with \`codetether models --pull\`, or next to @codetether/tool-router: npm install node-llama-cpp@3.22.1`,
    );
  }
}

/** Contexts are sized in steps of this many tokens (fewer distinct allocations). */
const CONTEXT_STEP = 512;

/** Loads a GGUF with node-llama-cpp's prebuilt binaries (never builds from source or downloads one). */
export async function loadLlamaCppModel(options: LoadModelOptions): Promise<RouterModel> {
  const modelPath = await resolveModelPath(options.modelPath, {
    modelsDir: options.modelsDir,
    ...(options.offline ? { offline: true } : {}),
    ...(options.onDownloadProgress ? { onProgress: options.onDownloadProgress } : {}),
  });
  const nlc = await importNodeLlamaCpp();
  const gpu = options.device === "cpu" ? false : options.device;
  const llama = await nlc.getLlama({ gpu, build: "never", logLevel: nlc.LlamaLogLevel.error });
  let model: Awaited<ReturnType<typeof llama.loadModel>>;
  try {
    model = await llama.loadModel({ modelPath });
  } catch (err) {
    await llama.dispose().catch(() => {});
    throw new Error(`could not load the model file ${modelPath}: ${(err as Error).message}`);
  }
  const arch = model.fileInfo.metadata?.general?.architecture;
  if (arch && options.arch && arch !== options.arch) {
    options.log(
      `model architecture is "${arch}" but CODETETHER_TOOL_ROUTER_ARCH says "${options.arch}"; continuing`,
    );
  }
  const trained = model.trainContextSize || 2048;
  const maxContextSize = Math.min(trained, options.contextSize ?? trained);
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const grammarFor = (gbnf: string) => {
    let grammar = grammars.get(gbnf);
    if (!grammar) {
      if (grammars.size >= 32) grammars.delete(grammars.keys().next().value as string);
      grammar = llama.createGrammar({ grammar: gbnf });
      grammars.set(gbnf, grammar);
    }
    return grammar;
  };
  // Special segments become special tokens; text segments are tokenised as plain text, never as specials.
  const tokenize = (prompt: readonly PromptSegment[]) =>
    new nlc.LlamaText(
      prompt.map((s) => ("special" in s ? new nlc.SpecialTokensText(s.special) : s.text)),
    ).tokenize(model.tokenizer);

  return {
    maxContextSize,
    countTokens: (prompt) => tokenize(prompt).length,
    async generate(prompt: readonly PromptSegment[], gbnf: string, opts: GenerateOptions) {
      const grammar = await grammarFor(gbnf);
      const tokens = tokenize(prompt);
      const needed = tokens.length + opts.maxTokens + 1;
      if (needed > maxContextSize) {
        throw new Error(
          `prompt of ${tokens.length} tokens plus ${opts.maxTokens} output tokens exceeds the router's ` +
            `context of ${maxContextSize} tokens`,
        );
      }
      // One context per routing, sized to its prompt: small prompts stay cheap, large ones still fit.
      const context = await model.createContext({
        contextSize: Math.min(maxContextSize, Math.ceil(needed / CONTEXT_STEP) * CONTEXT_STEP),
        sequences: 1,
        ...(options.threads > 0 ? { threads: options.threads } : {}),
      });
      const sequence = context.getSequence();
      const completion = new nlc.LlamaCompletion({ contextSequence: sequence });
      const generated: import("node-llama-cpp").Token[] = [];
      try {
        await completion.generateCompletionWithMeta(tokens, {
          grammar,
          maxTokens: opts.maxTokens,
          temperature: opts.temperature,
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          signal: opts.signal,
          customStopTriggers: [FUNCTION_GEMMA_TOKENS.startResponse],
          onToken: (chunk) => generated.push(...chunk),
        });
        // Detokenised with special tokens: `<escape>` and the call markers are the syntax being parsed.
        return model.detokenize(generated, true);
      } finally {
        completion.dispose();
        await sequence.dispose();
        await context.dispose();
      }
    },
    async dispose() {
      await model.dispose();
      await llama.dispose();
    },
  };
}
