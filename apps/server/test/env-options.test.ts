import { describe, expect, it } from "vitest";
import { serverOptionsFromEnv } from "../src/index.js";

describe("serverOptionsFromEnv", () => {
  it("reads cognition, push and public URL settings", () => {
    expect(serverOptionsFromEnv({})).toEqual({});
    expect(
      serverOptionsFromEnv({
        CODETETHER_COGNITION_ENABLED: "true",
        CODETETHER_COGNITION_AUTO_START: "1",
        CODETETHER_COGNITION_LOOP_INTERVAL_MS: "5000",
        CODETETHER_A2A_PUSH_ALLOW_PRIVATE: "false",
        CODETETHER_A2A_PUSH_ALLOWED_HOSTS: "hooks.internal, ci.local",
        CODETETHER_PUBLIC_URL: "https://agent.example.com/",
      }),
    ).toEqual({
      cognition: { enabled: true, autoStart: true, loopIntervalMs: 5000 },
      push: { allowPrivateNetworks: false, allowedHosts: ["hooks.internal", "ci.local"] },
      publicUrl: "https://agent.example.com",
    });
  });

  it("names the variable in errors", () => {
    expect(() => serverOptionsFromEnv({ CODETETHER_COGNITION_LOOP_INTERVAL_MS: "fast" })).toThrow(
      /CODETETHER_COGNITION_LOOP_INTERVAL_MS/,
    );
    expect(() => serverOptionsFromEnv({ CODETETHER_COGNITION_ENABLED: "maybe" })).toThrow(
      /CODETETHER_COGNITION_ENABLED/,
    );
    expect(() => serverOptionsFromEnv({ CODETETHER_PUBLIC_URL: "agent" })).toThrow(/CODETETHER_PUBLIC_URL/);
  });
});
