import type { JsonSchema } from "@codetether/core";
import type { PromptSegment } from "./functiongemma-format.js";
import { resolveModelPath } from "./model-path.js";
import type { LoadModelOptions, RouterModel } from "./router-model.js";

type NodeLlamaCpp = typeof import("node-llama-cpp");
type LlamaGrammar = Awaited<ReturnType<import("node-llama-cpp").Llama["createGrammarForJsonSchema"]>>;

/** node-llama-cpp is an optional peer dependency: imported only when a model is actually needed. */
async function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  try {
    return await import("node-llama-cpp");
  } catch (err) {
    throw new Error(
      `The tool router needs the optional peer dependency node-llama-cpp@3.22.1, which could not be loaded ` +
        `(${(err as Error).message}). Install it next to @codetether/tool-router: npm install node-llama-cpp@3.22.1`,
    );
  }
}

/** Loads a GGUF with node-llama-cpp's prebuilt binaries (never builds from source or downloads one). */
export async function loadLlamaCppModel(options: LoadModelOptions): Promise<RouterModel> {
  const modelPath = await resolveModelPath(options.modelPath, { modelsDir: options.modelsDir });
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
  const contextSize = Math.min(options.contextSize, model.trainContextSize || options.contextSize);
  const context = await model.createContext({
    contextSize,
    sequences: options.sequences,
    ...(options.threads > 0 ? { threads: options.threads } : {}),
  });
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const grammarFor = (schema: JsonSchema) => {
    const key = JSON.stringify(schema);
    let grammar = grammars.get(key);
    if (!grammar) {
      if (grammars.size >= 32) grammars.delete(grammars.keys().next().value as string);
      // biome-ignore lint/suspicious/noExplicitAny: the tool schema is only known at run time
      grammar = llama.createGrammarForJsonSchema(schema as any) as Promise<LlamaGrammar>;
      grammars.set(key, grammar);
    }
    return grammar;
  };

  return {
    async generate(prompt: readonly PromptSegment[], schema, opts) {
      const grammar = await grammarFor(schema);
      const text = new nlc.LlamaText(
        prompt.map((s) => ("special" in s ? new nlc.SpecialTokensText(s.special) : s.text)),
      );
      const tokens = text.tokenize(model.tokenizer);
      if (tokens.length + opts.maxTokens > context.contextSize) {
        throw new Error(
          `prompt of ${tokens.length} tokens plus ${opts.maxTokens} output tokens exceeds the router's ` +
            `context of ${context.contextSize} tokens`,
        );
      }
      const sequence = context.getSequence();
      const completion = new nlc.LlamaCompletion({ contextSequence: sequence });
      try {
        return await completion.generateCompletion(tokens, {
          grammar,
          maxTokens: opts.maxTokens,
          temperature: opts.temperature,
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          signal: opts.signal,
        });
      } finally {
        completion.dispose();
        // The sequence id is reclaimed asynchronously: await before the next getSequence().
        await sequence.dispose();
      }
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
