import type { LoadedLlamaRuntime } from "@codetether/core";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import type { NodeLlamaCpp } from "./llama-runtime-setup.js";

export type { NodeLlamaCpp } from "./llama-runtime-setup.js";

export interface LocalRuntimeOptions {
  /**
   * `false` (CPU) or `"auto"` (best GPU available). Unset: `"auto"` when the data-dir runtime was installed with
   * a GPU build (one was detected or asked for), else CPU.
   */
  gpu: false | "auto" | undefined;
  /** Loads node-llama-cpp (beside codetether, else from the data dir, installing it with consent). */
  load: () => Promise<LoadedLlamaRuntime<NodeLlamaCpp>>;
  /** CPU threads per context. Tiny models are fastest with 1 (thread sync dominates). */
  threads: number;
  contextSize: number;
}

export interface LoadedModel {
  file: string;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  /** Runs `task` when the single sequence is free (one generation at a time per model). */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * Loads node-llama-cpp lazily, one `Llama` per runtime and one model + context per file, reused across
 * requests. `build: "never"`: never compile llama.cpp at run time; the prebuilt binary must fit.
 */
export class LocalRuntime {
  private sdk: Promise<LoadedLlamaRuntime<NodeLlamaCpp>> | undefined;
  private llama: Promise<Llama> | undefined;
  private readonly models = new Map<string, Promise<LoadedModel>>();

  constructor(private readonly options: LocalRuntimeOptions) {}

  private loadRuntime(): Promise<LoadedLlamaRuntime<NodeLlamaCpp>> {
    this.sdk ??= this.options.load().catch((err: unknown) => {
      this.sdk = undefined;
      throw err;
    });
    return this.sdk;
  }

  async loadSdk(): Promise<NodeLlamaCpp> {
    return (await this.loadRuntime()).sdk;
  }

  async getLlama(): Promise<Llama> {
    const { sdk, gpu } = await this.loadRuntime();
    this.llama ??= sdk
      .getLlama({
        gpu: this.options.gpu ?? (gpu.length ? "auto" : false),
        build: "never",
        progressLogs: false,
        logLevel: sdk.LlamaLogLevel.error,
      })
      .catch((err: unknown) => {
        this.llama = undefined;
        throw err;
      });
    return this.llama;
  }

  load(file: string): Promise<LoadedModel> {
    let loaded = this.models.get(file);
    if (!loaded) {
      loaded = this.open(file);
      loaded.catch(() => this.models.delete(file));
      this.models.set(file, loaded);
    }
    return loaded;
  }

  private async open(file: string): Promise<LoadedModel> {
    const llama = await this.getLlama();
    const model = await llama.loadModel({ modelPath: file });
    const context = await model.createContext({
      contextSize: Math.min(this.options.contextSize, model.trainContextSize),
      sequences: 1,
      threads: this.options.threads,
    });
    const sequence = context.getSequence();
    let queue: Promise<unknown> = Promise.resolve();
    return {
      file,
      model,
      context,
      sequence,
      exclusive<T>(task: () => Promise<T>): Promise<T> {
        const run = queue.then(task, task);
        queue = run.catch(() => undefined);
        return run;
      },
    };
  }

  /** Frees every loaded model and the llama.cpp backend. */
  async dispose(): Promise<void> {
    const models = [...this.models.values()];
    this.models.clear();
    for (const loaded of models) {
      const m = await loaded.catch(() => undefined);
      if (m) {
        await m.context.dispose();
        await m.model.dispose();
      }
    }
    const llama = await this.llama?.catch(() => undefined);
    this.llama = undefined;
    await llama?.dispose();
  }
}
