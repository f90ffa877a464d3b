import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHost, checkUrl, createGuardedFetch, NetworkGuardError, parseIp } from "../src/net/index.js";

/** Every spelling of a non-public target the guard must refuse (as URLs a model could write). */
const REFUSED_URLS = [
  "http://127.0.0.1/",
  "http://127.1/",
  "http://2130706433/",
  "http://0177.0.0.1/",
  "http://0x7f.1/",
  "http://0x7f000001/",
  "http://localhost/",
  "http://app.localhost/",
  "http://0.0.0.0/",
  "http://0/",
  "http://10.1.2.3/",
  "http://172.16.0.1/",
  "http://192.168.1.1/",
  "http://169.254.169.254/latest/meta-data/",
  "http://100.64.0.1/",
  "http://224.0.0.1/",
  "http://255.255.255.255/",
  "http://[::1]/",
  "http://[::]/",
  "http://[::ffff:127.0.0.1]/",
  "http://[::ffff:7f00:1]/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:8.8.8.8]/",
  "http://[::127.0.0.1]/",
  "http://[64:ff9b::7f00:1]/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://[fc00::1]/",
  "http://[fd00:ec2::254]/",
  "http://[fe80::1]/",
  "http://[ff02::1]/",
  "http://[2002:7f00:1::]/",
];

describe("network guard: addresses", () => {
  it("refuses every non-public spelling", async () => {
    for (const raw of REFUSED_URLS) {
      await expect(checkUrl(new URL(raw)), raw).rejects.toBeInstanceOf(NetworkGuardError);
    }
  });

  it("refuses the raw inet_aton spellings too (not only after URL normalisation)", async () => {
    for (const host of ["2130706433", "0177.0.0.1", "0x7f.1", "127.1", "0x7F000001", "[::ffff:7f00:1]"]) {
      await expect(checkHost(host), host).rejects.toThrow(/loopback|IPv4-mapped/);
    }
    expect(parseIp("0x7f.1")).toEqual({ version: 4, value: 0x7f000001 });
    expect(parseIp("example.com")).toBeUndefined();
  });

  it("accepts public addresses and names that resolve only to public addresses", async () => {
    await expect(checkUrl(new URL("https://93.184.215.14/"))).resolves.toMatchObject({
      addresses: [{ address: "93.184.215.14", family: 4 }],
    });
    await expect(
      checkUrl(new URL("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/")),
    ).resolves.toBeTruthy();
    const lookup = async () => ["93.184.215.14"];
    await expect(checkHost("example.com", { lookup })).resolves.toMatchObject({ host: "example.com" });
  });

  it("refuses a name when any of its addresses is non-public", async () => {
    const lookup = async () => ["93.184.215.14", "::ffff:127.0.0.1"];
    await expect(checkHost("rebind.example", { lookup })).rejects.toThrow(
      /rebind\.example \(::ffff:7f00:1\)/,
    );
  });

  it("allows only what the policy names: hosts, addresses, CIDR ranges", async () => {
    await expect(checkUrl(new URL("http://127.0.0.1:8080/"), { allow: ["127.0.0.1"] })).resolves.toBeTruthy();
    await expect(checkUrl(new URL("http://10.9.8.7/"), { allow: ["10.0.0.0/8"] })).resolves.toBeTruthy();
    await expect(checkUrl(new URL("http://10.9.8.7/"), { allow: ["127.0.0.1"] })).rejects.toThrow(/private/);
    // An allowed 127.0.0.1 does not open its other spellings' ranges (mapped IPv6 is another address).
    await expect(checkUrl(new URL("http://[::ffff:127.0.0.1]/"), { allow: ["127.0.0.1"] })).rejects.toThrow(
      NetworkGuardError,
    );
    const lookup = async () => ["10.0.0.5"];
    await expect(checkHost("git.corp.example", { allow: ["*.corp.example"], lookup })).resolves.toBeTruthy();
    await expect(checkHost("corp.example.evil", { allow: ["*.corp.example"], lookup })).rejects.toThrow();
    await expect(
      checkHost("localhost", { allow: ["localhost"], lookup: async () => ["127.0.0.1"] }),
    ).resolves.toBeTruthy();
  });

  it("names the config key to opt in", async () => {
    await expect(checkUrl(new URL("http://127.0.0.1/"))).rejects.toThrow(/\[network\] allow/);
  });
});

describe("network guard: guarded fetch", () => {
  let server: Server;
  let port = 0;
  const hosts: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? "");
      if (req.url === "/to-mapped") {
        res.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${port}/ok` }).end();
      } else if (req.url === "/to-metadata") {
        res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      } else if (req.url === "/to-ok") {
        res.writeHead(307, { location: "/ok" }).end();
      } else {
        res.writeHead(200, { "content-type": "text/plain" }).end(`ok ${req.method}`);
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("refuses loopback by default, before connecting", async () => {
    const before = hosts.length;
    await expect(createGuardedFetch()(`http://127.0.0.1:${port}/ok`)).rejects.toBeInstanceOf(
      NetworkGuardError,
    );
    expect(hosts.length).toBe(before);
  });

  it("connects to the checked address and keeps the Host header of the URL", async () => {
    // "fake.test" resolves (through the injected resolver) to the allowed loopback address.
    // The system resolver does not know fake.test, so reaching the server proves the connection went to
    // the address that was checked, resolved exactly once (nothing left for a rebinding answer to change).
    let lookups = 0;
    const fetch = createGuardedFetch({
      allow: ["127.0.0.1"],
      lookup: async () => {
        lookups++;
        return ["127.0.0.1"];
      },
    });
    const response = await fetch(`http://fake.test:${port}/ok`, { method: "POST", body: "x" });
    expect(await response.text()).toBe("ok POST");
    expect(hosts.at(-1)).toBe(`fake.test:${port}`);
    expect(lookups).toBe(1);
  });

  it("re-checks every redirect hop", async () => {
    const fetch = createGuardedFetch({ allow: ["127.0.0.1"] });
    const ok = await fetch(`http://127.0.0.1:${port}/to-ok`);
    expect([ok.status, ok.redirected, ok.url]).toEqual([200, true, `http://127.0.0.1:${port}/ok`]);
    await expect(fetch(`http://127.0.0.1:${port}/to-mapped`)).rejects.toThrow(/IPv4-mapped/);
    await expect(fetch(`http://127.0.0.1:${port}/to-metadata`)).rejects.toThrow(/link-local/);
    const manual = await fetch(`http://127.0.0.1:${port}/to-metadata`, { redirect: "manual" });
    expect(manual.status).toBe(302);
  });
});
