import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedFetch } from "../src/net/index.js";

/**
 * HTTPS through the guard: the connection goes to the checked address, but TLS still speaks to the
 * name in the URL — SNI carries it and the certificate is verified against it (a self-signed test
 * certificate for fake.test is therefore refused, which proves verification is on).
 */

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
let server: Server;
let port = 0;
const serverNames: string[] = [];

beforeAll(async () => {
  server = createServer(
    {
      key: fixture("fake-test.key"),
      cert: fixture("fake-test.crt"),
      SNICallback: (name, done) => {
        serverNames.push(name);
        done(null);
      },
    },
    (_req, res) => res.end("tls ok"),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("guarded fetch over TLS", () => {
  it("sends the URL's host name as SNI and verifies the certificate against it", async () => {
    const fetch = createGuardedFetch({ allow: ["fake.test"], lookup: async () => ["127.0.0.1"] });
    await expect(fetch(`https://fake.test:${port}/`)).rejects.toThrow(/self[- ]signed|certificate/i);
    expect(serverNames).toEqual(["fake.test"]);
  });
});
