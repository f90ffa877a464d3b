import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { TaskPushNotificationConfig } from "@a2a-js/sdk";
import {
  type OwnerResolver,
  type PushNotificationStore,
  resolveUserScope,
  type ServerCallContext,
  type StoredPushNotificationConfig,
} from "@a2a-js/sdk/server";
import { writeFileAtomic } from "@codetether/core";

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

interface StoredEntry {
  tenant: string;
  owner: string;
  wireVersion: string;
  config: unknown;
}

/**
 * Push-notification configs on disk (one file per task, atomic writes, mode 0600 since configs hold
 * webhook credentials), scoped by tenant and owner, so webhooks keep firing after a restart.
 */
export class FilePushNotificationStore implements PushNotificationStore {
  private readonly ownerOf: OwnerResolver;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    options: { ownerResolver?: OwnerResolver } = {},
  ) {
    this.ownerOf = options.ownerResolver ?? resolveUserScope;
  }

  private file(taskId: string): string | undefined {
    return ID_PATTERN.test(taskId) ? path.join(this.dir, `${taskId}.json`) : undefined;
  }

  private async read(taskId: string): Promise<StoredEntry[]> {
    const file = this.file(taskId);
    if (!file) return [];
    try {
      const parsed = JSON.parse(await fs.readFile(file, "utf8")) as { entries?: StoredEntry[] };
      return parsed.entries ?? [];
    } catch {
      return [];
    }
  }

  private async write(taskId: string, entries: StoredEntry[]): Promise<void> {
    const file = this.file(taskId);
    if (!file) throw new Error(`Invalid task id "${taskId}" for the push config store.`);
    if (entries.length === 0) await fs.rm(file, { force: true });
    else await writeFileAtomic(file, `${JSON.stringify({ version: 1, entries })}\n`, { mode: 0o600 });
  }

  /** Serialises read-modify-write cycles so concurrent creates do not lose each other. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => {});
    return next;
  }

  private mine(context: ServerCallContext) {
    const tenant = context.tenant ?? "";
    const owner = this.ownerOf(context);
    return (e: StoredEntry) => e.tenant === tenant && e.owner === owner;
  }

  save(taskId: string, context: ServerCallContext, config: TaskPushNotificationConfig): Promise<void> {
    if (!config.id) config.id = randomUUID();
    return this.serial(async () => {
      const entries = (await this.read(taskId)).filter(
        (e) => !(this.mine(context)(e) && (e.config as { id?: string }).id === config.id),
      );
      entries.push({
        tenant: context.tenant ?? "",
        owner: this.ownerOf(context),
        wireVersion: context.requestedVersion || "0.3",
        config: TaskPushNotificationConfig.toJSON(config),
      });
      await this.write(taskId, entries);
    });
  }

  async loadWithMetadata(
    taskId: string,
    context: ServerCallContext,
  ): Promise<StoredPushNotificationConfig[]> {
    return (await this.read(taskId)).filter(this.mine(context)).map((e) => ({
      wireVersion: e.wireVersion,
      config: TaskPushNotificationConfig.fromJSON(e.config as Record<string, unknown>),
    }));
  }

  async load(taskId: string, context: ServerCallContext): Promise<TaskPushNotificationConfig[]> {
    return (await this.loadWithMetadata(taskId, context)).map((e) => e.config);
  }

  delete(taskId: string, context: ServerCallContext, configId?: string): Promise<void> {
    const id = configId ?? taskId;
    return this.serial(async () => {
      const mine = this.mine(context);
      const entries = await this.read(taskId);
      const kept = entries.filter((e) => !(mine(e) && (e.config as { id?: string }).id === id));
      if (kept.length !== entries.length) await this.write(taskId, kept);
    });
  }
}
