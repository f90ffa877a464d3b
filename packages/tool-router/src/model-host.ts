import { Semaphore } from "@codetether/core";
import type { LoadModelOptions, RouterModel, RouterModelLoader } from "./router-model.js";

export interface ModelHostOptions extends LoadModelOptions {
  loader: RouterModelLoader;
  /** Routings running at once on the model (each in its own llama.cpp context). */
  sequences: number;
  /** Unload after this long without use (default 5 minutes). */
  idleUnloadMs: number;
  /** After a failed load, do not retry for this long (default 60 s), so each response stays cheap. */
  retryLoadAfterMs: number;
}

/**
 * Owns one loaded model: loads it on first use (once, even under concurrent callers), lends its
 * sequences through a semaphore, and unloads it after an idle period.
 */
export class ModelHost {
  private model: Promise<RouterModel> | undefined;
  private failure: { error: Error; at: number } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly slots: Semaphore;
  private loads = 0;

  constructor(readonly options: ModelHostOptions) {
    this.slots = new Semaphore(options.sequences);
  }

  /** How many times the model was loaded (0 until the first routing). */
  get loadCount(): number {
    return this.loads;
  }

  get loaded(): boolean {
    return this.model !== undefined;
  }

  private getModel(): Promise<RouterModel> {
    if (this.failure && Date.now() - this.failure.at < this.options.retryLoadAfterMs) {
      return Promise.reject(this.failure.error);
    }
    if (!this.model) {
      this.loads++;
      const pending = this.options.loader(this.options);
      this.model = pending;
      pending.then(
        () => {
          this.failure = undefined;
        },
        (err: unknown) => {
          this.failure = { error: err instanceof Error ? err : new Error(String(err)), at: Date.now() };
          if (this.model === pending) this.model = undefined;
        },
      );
    }
    return this.model;
  }

  /** Runs `work` with the loaded model (loading it first if needed) in one of the host's slots. */
  async use<T>(signal: AbortSignal, work: (model: RouterModel) => Promise<T>): Promise<T> {
    this.cancelIdle();
    const release = await this.slots.acquire(signal);
    try {
      // A slow load must not outlast the caller's timeout; the load itself goes on and is reused.
      const model = await untilAborted(this.getModel(), signal);
      return await work(model);
    } finally {
      release();
      this.scheduleIdle();
    }
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private scheduleIdle(): void {
    this.cancelIdle();
    if (this.slots.inUse > 0 || this.slots.waiting > 0 || !this.model) return;
    this.idleTimer = setTimeout(() => {
      this.unload().catch((err) => this.options.log(`unloading the model failed: ${(err as Error).message}`));
    }, this.options.idleUnloadMs);
    // An idle router must not keep the process alive.
    this.idleTimer.unref();
  }

  /** Frees the model now (it is loaded again on the next use). */
  async unload(): Promise<void> {
    this.cancelIdle();
    const pending = this.model;
    this.model = undefined;
    if (!pending) return;
    const model = await pending.catch(() => undefined);
    await model?.dispose();
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

const hosts = new WeakMap<RouterModelLoader, Map<string, ModelHost>>();

/** One host per loader, model file and device in the process, shared by every router and session. */
export function sharedModelHost(options: ModelHostOptions): ModelHost {
  let byKey = hosts.get(options.loader);
  if (!byKey) {
    byKey = new Map();
    hosts.set(options.loader, byKey);
  }
  const key = JSON.stringify([
    options.modelPath,
    options.device,
    options.arch,
    options.contextSize,
    options.threads,
  ]);
  let host = byKey.get(key);
  if (!host) {
    host = new ModelHost(options);
    byKey.set(key, host);
  }
  return host;
}
