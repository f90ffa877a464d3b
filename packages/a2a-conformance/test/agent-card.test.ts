import { A2AService } from "@a2a-js/sdk/server/grpc";
import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import type { Wire } from "../src/index.js";
import { schema, useSut } from "./sut.js";

const sut = useSut();

/** The gRPC status of `GetTask(id)` on the card's gRPC interface, with the bearer token as metadata. */
function grpcGetTaskStatus(address: string, token: string, id: string): Promise<number> {
  const Client = grpc.makeGenericClientConstructor(
    A2AService as unknown as grpc.ServiceDefinition,
    "A2AService",
  );
  const client = new Client(address, grpc.credentials.createInsecure()) as unknown as grpc.Client &
    Record<string, (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null) => void) => void>;
  const md = new grpc.Metadata();
  md.set("authorization", `Bearer ${token}`);
  md.set("a2a-version", "1.0");
  return new Promise((resolve) => {
    client.getTask!({ tenant: "", id }, md, (err) => {
      client.close();
      resolve(err ? err.code : grpc.status.OK);
    });
  });
}

const cardUrl = () => `${sut.url}/.well-known/agent-card.json`;
const v1 = { "A2A-Version": "1.0" };

describe("agent card (spec 1.0.1 §8)", () => {
  it("is public at /.well-known/agent-card.json and matches $defs/AgentCard", async () => {
    const res = await fetch(cardUrl(), { headers: v1 });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const card = (await res.json()) as Wire;
    schema.assert("AgentCard", card);
    for (const field of ["name", "description", "version", "supportedInterfaces", "capabilities", "skills"])
      expect(card[field], field).toBeDefined();
    expect(card.defaultInputModes.length).toBeGreaterThan(0);
    expect(card.defaultOutputModes.length).toBeGreaterThan(0);
    for (const skill of card.skills) {
      expect(skill.id && skill.name && skill.description).toBeTruthy();
      expect(skill.tags.length).toBeGreaterThan(0);
    }
  });

  it("declares only the bindings it serves (§8.3 / §5: every declared interface answers)", async () => {
    const bindings = new Set(sut.card.supportedInterfaces.map((i: Wire) => i.protocolBinding));
    expect([...bindings].sort()).toEqual(["GRPC", "HTTP+JSON", "JSONRPC"]);
    for (const iface of sut.card.supportedInterfaces) {
      if (iface.protocolBinding === "GRPC") {
        // gRPC interfaces are `host:port` (§5.3); GetTask of an unknown task answers NOT_FOUND over gRPC.
        expect(iface.url).toMatch(/^[^/:]+:\d+$/);
        expect(await grpcGetTaskStatus(iface.url, sut.token, "no-such-task")).toBe(grpc.status.NOT_FOUND);
        continue;
      }
      expect(new URL(iface.url).protocol).toMatch(/^https?:$/);
      const client = sut.client.with({
        jsonRpcUrl: iface.url,
        restUrl: iface.url,
        version: iface.protocolVersion === "0.3" ? null : iface.protocolVersion,
      });
      const res =
        iface.protocolBinding === "JSONRPC"
          ? await client.rpc(iface.protocolVersion === "0.3" ? "tasks/get" : "GetTask", {
              id: "no-such-task",
            })
          : await client.rest(
              "GET",
              iface.protocolVersion === "0.3" ? "/v1/tasks/no-such-task" : "/tasks/no-such-task",
            );
      // Served: a protocol answer (task not found), not a 404 for the route.
      expect(JSON.stringify(res.body)).toMatch(/-32001|NOT_FOUND|not found/i);
    }
  });

  it("advertises streaming, push notifications, the extended card and a bearer security scheme", () => {
    expect(sut.card.capabilities).toMatchObject({
      streaming: true,
      pushNotifications: true,
      extendedAgentCard: true,
    });
    const schemes = Object.values(sut.card.securitySchemes) as Wire[];
    expect(schemes.some((s) => s.httpAuthSecurityScheme?.scheme?.toLowerCase() === "bearer")).toBe(true);
    expect(sut.card.securityRequirements.length).toBeGreaterThan(0);
  });

  it("sends caching headers (§8.6: Cache-Control max-age and ETag SHOULD, Last-Modified MAY)", async () => {
    const res = await fetch(cardUrl(), { headers: v1 });
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = res.headers.get("etag");
    const lastModified = res.headers.get("last-modified");
    expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
    expect(Number.isNaN(Date.parse(lastModified ?? ""))).toBe(false);

    const byTag = await fetch(cardUrl(), { headers: { ...v1, "If-None-Match": etag ?? "" } });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe("");
    const byDate = await fetch(cardUrl(), { headers: { ...v1, "If-Modified-Since": lastModified ?? "" } });
    expect(byDate.status).toBe(304);
    const stale = await fetch(cardUrl(), { headers: { ...v1, "If-None-Match": '"something-else"' } });
    expect(stale.status).toBe(200);
    schema.assert("AgentCard", await stale.json());
  });

  it("the extended card needs authentication and is an AgentCard (GetExtendedAgentCard, §7.10)", async () => {
    const anonymous = await sut.client.with({ token: "" }).rpc("GetExtendedAgentCard", {});
    expect(anonymous.status).toBe(401);
    const rpc = await sut.client.rpc("GetExtendedAgentCard", {});
    schema.assert("AgentCard", rpc.body.result);
    const rest = await sut.client.rest("GET", "/extendedAgentCard");
    expect(rest.status).toBe(200);
    schema.assert("AgentCard", rest.body);
  });

  it("v0.3 peers (no A2A-Version) get the v0.3 card shape with url, preferredTransport, protocolVersion", async () => {
    const res = await fetch(cardUrl());
    expect(res.status).toBe(200);
    const card = (await res.json()) as Wire;
    expect(card.protocolVersion).toBe("0.3");
    expect(card.url).toBe(sut.card.supportedInterfaces[0].url);
    expect(card.preferredTransport).toBe("JSONRPC");
    expect(card.additionalInterfaces).toEqual(
      expect.arrayContaining([expect.objectContaining({ transport: "HTTP+JSON" })]),
    );
    expect(res.headers.get("etag")).toBeTruthy();
    // The legacy path of v0.2/0.3 serves the same card.
    expect(((await (await fetch(`${sut.url}/.well-known/agent.json`)).json()) as Wire).name).toBe(card.name);
  });

  it("the card without A2A-Version also has Last-Modified, honours If-Modified-Since, and declares v1.0 capabilities (TCK CARD-CACHE-003, CORE-CAP-003)", async () => {
    // The official TCK fetches the card without A2A-Version and reads v1.0 fields from it (TCK-RESULTS.md).
    const res = await fetch(cardUrl());
    const lastModified = res.headers.get("last-modified");
    expect(lastModified).toBeTruthy();
    expect(Number.isNaN(Date.parse(lastModified ?? ""))).toBe(false);
    const card = (await res.json()) as Wire;
    expect(card.supportsAuthenticatedExtendedCard).toBe(true);
    expect(card.capabilities.extendedAgentCard).toBe(true);
    expect(card.supportedInterfaces).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ protocolBinding: "JSONRPC", protocolVersion: "1.0" }),
      ]),
    );
    const again = await fetch(cardUrl(), { headers: { "If-Modified-Since": lastModified ?? "" } });
    expect(again.status).toBe(304);
    const stale = await fetch(cardUrl(), {
      headers: { "If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT" },
    });
    expect(stale.status).toBe(200);
  });
});
