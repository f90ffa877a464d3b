import { describe, expect, it } from "vitest";
import { REDACTED, redactKnownSecrets, redactSecrets, redactText } from "../src/index.js";

describe("redactSecrets", () => {
  it("redacts values under secret-like keys at any depth, keeping shape and harmless fields", () => {
    const input = {
      api_key: "anything",
      apiKey: "anything",
      "X-Api-Key": "anything",
      nested: {
        password: "hunter2",
        Authorization: "Bearer x",
        token: "t",
        client_secret: "c",
        auth: { user: "u" },
      },
      list: [{ access_key: "AK" }],
      input_tokens: 42,
      max_tokens: 100,
      author: "Jane",
      tokenizer: "bpe",
      enabled: true,
    };
    const out = redactSecrets(input);
    expect(out).toEqual({
      api_key: REDACTED,
      apiKey: REDACTED,
      "X-Api-Key": REDACTED,
      nested: {
        password: REDACTED,
        Authorization: REDACTED,
        token: REDACTED,
        client_secret: REDACTED,
        auth: { user: REDACTED },
      },
      list: [{ access_key: REDACTED }],
      input_tokens: 42,
      max_tokens: 100,
      author: "Jane",
      tokenizer: "bpe",
      enabled: true,
    });
    expect(input.api_key).toBe("anything"); // input untouched
  });

  it("redacts values that look like keys under innocent names", () => {
    const samples = [
      "sk-proj-abcdefghijklmnopqrstuvwxyz012345",
      "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
      "AKIAIOSFODNN7EXAMPLE",
      "AIzaSyA-abcdefghijklmnopqrstuvwxyz012345",
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      "xoxb-123456789012-abcdefghij",
      "hvs.CAESIabcdefghijklmnopqrstuvwx",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----",
      "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3a94a8fe5",
      "Zk9vQmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u",
    ];
    for (const secret of samples) {
      const out = redactSecrets({ note: `used ${secret} here` });
      expect(out.note, secret).not.toContain(secret.slice(6, 20));
      expect(out.note).toContain(REDACTED);
    }
    expect(redactText("curl -H 'Authorization: Bearer abc.def.ghi-jkl'")).toBe(
      `curl -H 'Authorization: ${REDACTED}'`,
    );
  });

  it("keeps ordinary text, paths and hashes-in-context readable", () => {
    const text = "edited src/index.ts line 42; see https://example.com/docs?page=2 and run npm test";
    expect(redactText(text)).toBe(text);
  });

  it("masks known secret values anywhere, handles cycles and errors", () => {
    const cyclic: Record<string, unknown> = { msg: "key is plainsecretvalue!" };
    cyclic.self = cyclic;
    const out = redactSecrets(cyclic, ["plainsecretvalue!"]);
    expect(out.msg).toBe(`key is ${REDACTED}`);
    expect(out.self).toBe("[Circular]");
    const err = redactSecrets({ error: new Error("401 for key sk-abcdefghijklmnopqrstuvwxyz") });
    expect(err.error).toEqual({ name: "Error", message: `401 for key ${REDACTED}` });
  });
});

describe("redactKnownSecrets", () => {
  it("masks only the exact known values, deep, leaving hashes, paths and other data as they are", () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const date = new Date(0);
    const value = {
      messages: [{ text: `key plainkey-1234 in /a/b/${sha}`, at: date }],
      tokens: 12,
      untouched: { path: "/etc/hosts" },
    };
    const out = redactKnownSecrets(value, ["plainkey-1234", "abc"]);
    expect(out.messages[0]?.text).toBe(`key ${REDACTED} in /a/b/${sha}`);
    expect(out.messages[0]?.at).toBe(date);
    expect(out.untouched).toBe(value.untouched); // unchanged parts are not copied
    expect(value.messages[0]?.text).toContain("plainkey-1234"); // the input is not mutated
    expect(redactKnownSecrets(value, [])).toBe(value);
  });
});
