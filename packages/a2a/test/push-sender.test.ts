import { ServerCallContext } from "@a2a-js/sdk/server";
import { describe, expect, it } from "vitest";
import { GuardedPushNotificationStore, GuardedPushSender } from "../src/server/guarded-push.js";
import { completedEvent, pushConfigFor } from "./helpers/push-fixtures.js";

const config = pushConfigFor("https://hooks.example/x");

describe("GuardedPushSender", () => {
  it("re-resolves at delivery time: a name that now points at loopback (DNS rebinding) is not called", async () => {
    let address = "93.184.215.14";
    const calls: string[] = [];
    const errors: string[] = [];
    const policy = { lookup: async () => [address] };
    const store = new GuardedPushNotificationStore(policy);
    const context = new ServerCallContext({ requestedVersion: "1.0" });
    await store.save("t1", context, { ...config });
    address = "127.0.0.1";
    const sender = new GuardedPushSender(store, {
      policy,
      attempts: 1,
      fetch: async (url) => {
        calls.push(String(url));
        return new Response("ok");
      },
      onError: (err) => errors.push(err.message),
    });
    await sender.send(completedEvent, context);
    expect(calls).toEqual([]);
    expect(errors[0]).toMatch(/127\.0\.0\.1/);
  });

  it("does not follow redirects, retries 5xx, and stops on 4xx", async () => {
    const policy = { lookup: async () => ["93.184.215.14"] };
    const store = new GuardedPushNotificationStore(policy);
    const context = new ServerCallContext({ requestedVersion: "1.0" });
    await store.save("t1", context, {
      ...config,
      authentication: { scheme: "Bearer", credentials: "s3cret" },
    });
    const seen: Array<{ redirect: string | undefined; auth: string | null; body: string }> = [];
    const statuses = [503, 200];
    const sender = new GuardedPushSender(store, {
      policy,
      attempts: 3,
      fetch: async (_url, init) => {
        seen.push({
          redirect: init?.redirect,
          auth: new Headers(init?.headers).get("authorization"),
          body: String(init?.body),
        });
        return new Response("", { status: statuses.shift() ?? 200 });
      },
    });
    await sender.send(completedEvent, context);
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.redirect === "manual" && s.auth === "Bearer s3cret")).toBe(true);
    expect(JSON.parse(seen[0]!.body).statusUpdate.status.state).toBe("TASK_STATE_COMPLETED");

    const refusing = new GuardedPushSender(store, {
      policy,
      attempts: 3,
      fetch: async () => {
        seen.push({ redirect: undefined, auth: null, body: "" });
        return new Response("", { status: 302, headers: { location: "http://127.0.0.1/" } });
      },
    });
    const before = seen.length;
    await refusing.send(completedEvent, context);
    expect(seen.length - before).toBe(1);
  });

  it("a webhook registered over v0.3 receives a v0.3-shaped body", async () => {
    const policy = { lookup: async () => ["93.184.215.14"] };
    const store = new GuardedPushNotificationStore(policy);
    const context = new ServerCallContext({ requestedVersion: "0.3" });
    await store.save("t1", context, { ...config });
    const bodies: string[] = [];
    const sender = new GuardedPushSender(store, {
      policy,
      fetch: async (_url, init) => {
        bodies.push(String(init?.body));
        return new Response("ok");
      },
    });
    await sender.send(completedEvent, context);
    const body = JSON.parse(bodies[0]!);
    expect(JSON.stringify(body)).toMatch(/"state":"completed"/);
  });
});
