import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { main } from "../src/openai/index.js";

function io() {
  let out = "";
  let err = "";
  return {
    io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } },
    out: () => out,
    err: () => err,
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "ct-scripted-"));

describe("scripted-openai main", () => {
  it("serves a JSON script, prints its URL and records requests to a file", async () => {
    const file = path.join(dir, "script.json");
    const recorded = path.join(dir, "requests.json");
    writeFileSync(file, JSON.stringify({ turns: [{ text: "from file" }], models: ["m1"] }));
    const cap = io();
    const controller = new AbortController();
    const done = main([file, "--requests-out", recorded], cap.io, controller.signal);
    while (!cap.out().includes("\n")) await new Promise((r) => setTimeout(r, 10));
    const url = cap.out().trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const client = new OpenAI({ baseURL: url, apiKey: "k", maxRetries: 0 });
    const res = await client.chat.completions.create({
      model: "m1",
      messages: [{ role: "user", content: "x" }],
    });
    expect(res.choices[0]?.message.content).toBe("from file");
    expect(JSON.parse(readFileSync(recorded, "utf8"))[0].body.model).toBe("m1");
    controller.abort();
    expect(await done).toBe(0);
  });

  it("rejects an invalid script with the file and key in the message", async () => {
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify([{ type: "error", status: 200 }]));
    const cap = io();
    expect(await main([file], cap.io)).toBe(2);
    expect(cap.err()).toContain(`Invalid script ${file} at 0`);
  });

  it("reports usage errors with exit code 2", async () => {
    const cap = io();
    expect(await main([], cap.io)).toBe(2);
    expect(cap.err()).toContain("missing script file");
    expect(await main(["x.json", "--port", "abc"], cap.io)).toBe(2);
    expect(cap.err()).toContain("--port must be an integer");
    expect(await main([path.join(dir, "missing.json")], cap.io)).toBe(2);
    expect(cap.err()).toContain("Cannot read script");
  });
});
