import type { StreamResponse, Task, TaskPushNotificationConfig } from "@a2a-js/sdk";
import { V03PushNotificationSerializer } from "@a2a-js/sdk/compat/v0_3/server";
import { RequestMalformedError } from "@a2a-js/sdk/errors";
import {
  InMemoryPushNotificationStore,
  type PushNotificationSender,
  type PushNotificationStore,
  type ServerCallContext,
  type StoredPushNotificationConfig,
  V1PushNotificationSerializer,
} from "@a2a-js/sdk/server";
import {
  backoffDelay,
  createGuardedFetch,
  type FetchFunction,
  NetworkGuardError,
  sleep,
} from "@codetether/core";
import {
  assertSafeWebhookUrl,
  type WebhookPolicy,
  WebhookRejectedError,
  webhookNetworkPolicy,
} from "./ssrf-guard.js";

const HEADER_UNSAFE = /[\r\n\0]/;

/** A push config store that refuses unsafe webhook URLs and header-injecting credentials at creation. */
export class GuardedPushNotificationStore implements PushNotificationStore {
  constructor(
    private readonly policy: WebhookPolicy,
    private readonly inner: PushNotificationStore & {
      loadWithMetadata(taskId: string, context: ServerCallContext): Promise<StoredPushNotificationConfig[]>;
    } = new InMemoryPushNotificationStore(),
  ) {}

  async save(taskId: string, context: ServerCallContext, config: TaskPushNotificationConfig): Promise<void> {
    try {
      await assertSafeWebhookUrl(config.url, this.policy);
    } catch (err) {
      if (err instanceof WebhookRejectedError) throw new RequestMalformedError(err.message);
      throw err;
    }
    const auth = config.authentication;
    if (
      HEADER_UNSAFE.test(config.token) ||
      (auth && (HEADER_UNSAFE.test(auth.scheme) || HEADER_UNSAFE.test(auth.credentials)))
    ) {
      throw new RequestMalformedError(
        "Push notification token/authentication must not contain CR, LF or NUL characters.",
      );
    }
    await this.inner.save(taskId, context, config);
  }

  load(taskId: string, context: ServerCallContext): Promise<TaskPushNotificationConfig[]> {
    return this.inner.load(taskId, context);
  }

  loadWithMetadata(taskId: string, context: ServerCallContext): Promise<StoredPushNotificationConfig[]> {
    return this.inner.loadWithMetadata(taskId, context);
  }

  delete(taskId: string, context: ServerCallContext, configId?: string): Promise<void> {
    return this.inner.delete(taskId, context, configId);
  }
}

export interface GuardedPushSenderOptions {
  policy: WebhookPolicy;
  timeoutMs?: number;
  attempts?: number;
  /**
   * Replaces the guarded fetch (tests). The URL is still checked before each attempt, but only the
   * default also pins the connection to the checked address.
   */
  fetch?: typeof fetch;
  onError?: (error: Error, config: TaskPushNotificationConfig) => void;
}

/**
 * Delivers push notifications (one StreamResponse per POST, `application/a2a+json`), re-checking the
 * target's resolved addresses at send time (DNS may have changed) and connecting to the address that
 * was checked (the shared network guard), never following redirects, and retrying with backoff for
 * at-least-once delivery.
 */
export class GuardedPushSender implements PushNotificationSender {
  private readonly v1 = new V1PushNotificationSerializer();
  private readonly v03 = new V03PushNotificationSerializer();
  private chain: Promise<void> = Promise.resolve();
  private readonly fetch: FetchFunction;

  constructor(
    private readonly store: PushNotificationStore,
    private readonly options: GuardedPushSenderOptions,
  ) {
    this.fetch = options.fetch ?? createGuardedFetch(webhookNetworkPolicy(options.policy));
  }

  send(streamResponse: StreamResponse, context: ServerCallContext, task?: Task): Promise<void> {
    const taskId = taskIdOf(streamResponse);
    if (!taskId) return Promise.resolve();
    // Serialised so a webhook receives events in generation order.
    this.chain = this.chain.then(() => this.deliverAll(taskId, streamResponse, context, task));
    return this.chain;
  }

  /** Resolves once every queued notification has been attempted. */
  drain(): Promise<void> {
    return this.chain;
  }

  private async deliverAll(taskId: string, event: StreamResponse, context: ServerCallContext, task?: Task) {
    const stored: StoredPushNotificationConfig[] = this.store.loadWithMetadata
      ? await this.store.loadWithMetadata(taskId, context).catch(() => [])
      : (await this.store.load(taskId, context).catch(() => [])).map((config) => ({
          config,
          wireVersion: "1.0",
        }));
    await Promise.all(
      stored.map(({ config, wireVersion }) => {
        // Each webhook gets the body shape of the protocol version it was registered with.
        const serializer = wireVersion.startsWith("0.") ? this.v03 : this.v1;
        const { body, contentType } = serializer.serialize(event, task);
        return this.deliver(config, body, contentType);
      }),
    );
  }

  private async deliver(config: TaskPushNotificationConfig, body: string, contentType: string) {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await assertSafeWebhookUrl(config.url, this.options.policy);
        const headers: Record<string, string> = { "content-type": contentType };
        if (config.authentication?.scheme) {
          headers.authorization = `${config.authentication.scheme} ${config.authentication.credentials}`;
        } else if (config.token) {
          headers["x-a2a-notification-token"] = config.token;
        }
        const response = await this.fetch(config.url, {
          method: "POST",
          headers,
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.body?.cancel().catch(() => {});
        if (response.ok) return;
        if (response.status < 500 && response.status !== 429) {
          throw new WebhookRejectedError(`webhook answered HTTP ${response.status}`);
        }
        throw new Error(`webhook answered HTTP ${response.status}`);
      } catch (err) {
        const final =
          attempt === attempts || err instanceof WebhookRejectedError || err instanceof NetworkGuardError;
        if (final) {
          this.options.onError?.(err as Error, config);
          return;
        }
        await sleep(Math.min(backoffDelay(attempt, undefined), 2_000));
      }
    }
  }
}

function taskIdOf(event: StreamResponse): string {
  const payload = event.payload;
  switch (payload?.$case) {
    case "task":
      return payload.value.id;
    case "message":
      return payload.value.taskId;
    case "statusUpdate":
      return payload.value.taskId;
    case "artifactUpdate":
      return payload.value.taskId;
    default:
      return "";
  }
}
