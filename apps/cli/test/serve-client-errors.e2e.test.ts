import { describe, expect, it } from "vitest";
import { startServe, useServeCleanup, waitFor } from "./serve-helpers.js";

const TOKEN = "serve-client-errors-token-0123456789";
const headers = {
  authorization: `Bearer ${TOKEN}`,
  "content-type": "application/json",
  "a2a-version": "1.0",
};
const { children, serveBox } = useServeCleanup("SIGKILL");

const rpc = (url: string, method: string, params: unknown) =>
  fetch(`${url}/a2a`, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }),
  }).then((r) => r.text());

describe("serve logs expected client errors as one line, without a stack", () => {
  it("streaming calls refused for the client's mistake (unknown task, unsupported part)", async () => {
    const { box, env } = await serveBox([{ text: "ok" }], {
      CODETETHER_AUTH_TOKEN: TOKEN,
      CODETETHER_COGNITION_ENABLED: "false",
    });
    const serve = await startServe(["-m", "openai/gpt-4o", "--grpc-port", "0"], env, box.work, children);
    expect(await rpc(serve.url, "SubscribeToTask", { id: "no-such-task" })).toContain("-32001");
    expect(
      await rpc(serve.url, "SendStreamingMessage", {
        message: {
          messageId: "m-1",
          role: "ROLE_USER",
          parts: [{ raw: "AAAA", mediaType: "application/x-not-declared" }],
        },
      }),
    ).toContain("-32005");
    const rest = await fetch(`${serve.url}/a2a/rest/tasks/no-such-task:subscribe`, {
      method: "POST",
      headers,
    });
    expect(rest.status).toBe(404);
    await rest.text();

    const log = await waitFor(
      () => (/x-not-declared/.test(serve.errors()) ? serve.errors() : ""),
      10_000,
      "the refusal in serve's log",
    );
    const lines = log.split("\n").filter((l) => /no-such-task|x-not-declared/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/(TaskNotFoundError|ContentTypeNotSupportedError): /);
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).not.toContain("reason: '");
  });
});
