import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InMemoryPushNotificationStore, ServerCallContext } from "@a2a-js/sdk/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardedPushNotificationStore, GuardedPushSender } from "../src/server/guarded-push.js";
import { assertSafeWebhookUrl, isNonPublicAddress } from "../src/server/ssrf-guard.js";
import { completedEvent, pushConfigFor } from "./helpers/push-fixtures.js";

/** Push notifications go through the same network guard as webfetch: every loopback spelling is refused. */

let hook: Server;
let port = 0;
const posts: string[] = [];
beforeAll(async () => {
  hook = createServer((req, res) => {
    posts.push(req.url ?? "");
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  port = (hook.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => hook.close(() => r())));

const spellings = () => [
  `http://[::ffff:127.0.0.1]:${port}/hook`,
  `http://[::ffff:7f00:1]:${port}/hook`,
  `http://[::127.0.0.1]:${port}/hook`,
  `http://[64:ff9b::7f00:1]:${port}/hook`,
  `http://2130706433:${port}/hook`,
  `http://0177.0.0.1:${port}/hook`,
  `http://0x7f.1:${port}/hook`,
  `http://127.1:${port}/hook`,
  `http://0.0.0.0:${port}/hook`,
  "http://100.64.0.1/hook",
  "http://[fc00::1]/hook",
  "http://[ff02::1]/hook",
];

describe("push notification network guard", () => {
  it("refuses every spelling of loopback and other non-public addresses at registration", async () => {
    for (const url of spellings()) {
      await expect(assertSafeWebhookUrl(url), url).rejects.toThrow(/refused/);
      const store = new GuardedPushNotificationStore({});
      await expect(store.save("t1", new ServerCallContext(), pushConfigFor(url)), url).rejects.toThrow();
    }
    expect(isNonPublicAddress("::ffff:7f00:1")).toBe(true);
    expect(isNonPublicAddress("64:ff9b::a9fe:a9fe")).toBe(true);
    expect(isNonPublicAddress("100.100.100.100")).toBe(true);
  });

  it("loopback names allowed by config do not open the mapped IPv6 spelling", async () => {
    const policy = { allowedHosts: ["127.0.0.1", "::1", "localhost"] };
    await expect(assertSafeWebhookUrl(`http://127.0.0.1:${port}/hook`, policy)).resolves.toEqual([
      "127.0.0.1",
    ]);
    await expect(assertSafeWebhookUrl(`http://[::ffff:127.0.0.1]:${port}/hook`, policy)).rejects.toThrow(
      /IPv4-mapped/,
    );
  });

  it("the sender never POSTs to a stored non-public target, even one that skipped the store's check", async () => {
    // Stored straight into the inner store, as a config saved before an upgrade would be.
    const inner = new InMemoryPushNotificationStore();
    const context = new ServerCallContext({ requestedVersion: "1.0" });
    for (const url of spellings().slice(0, 8))
      await inner.save("t1", context, { ...pushConfigFor(url), id: url });
    const errors: string[] = [];
    const sender = new GuardedPushSender(inner, {
      policy: {},
      attempts: 1,
      onError: (e) => errors.push(e.message),
    });
    await sender.send(completedEvent, context);
    expect(posts).toEqual([]);
    expect(errors).toHaveLength(8);
  });

  it("delivers to loopback only when it is allowed, through the guarded connection", async () => {
    const inner = new InMemoryPushNotificationStore();
    const context = new ServerCallContext({ requestedVersion: "1.0" });
    await inner.save("t1", context, pushConfigFor(`http://127.0.0.1:${port}/allowed`));
    const sender = new GuardedPushSender(inner, { policy: { allowedHosts: ["127.0.0.1"] }, attempts: 1 });
    await sender.send(completedEvent, context);
    expect(posts).toEqual(["/allowed"]);
  });
});
