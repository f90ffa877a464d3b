import { describe, expect, it } from "vitest";
import { applyShellEnvPolicy, describeShellEnvPolicy, envPatternMatches } from "../src/index.js";

const HOST = {
  PATH: "/usr/bin",
  HOME: "/home/u",
  LANG: "C.UTF-8",
  LC_ALL: "C",
  OPENAI_API_KEY: "sk-1",
  GITHUB_TOKEN: "ghp-1",
  AWS_SECRET_ACCESS_KEY: "aws-1",
  Private_Keyring: "k",
  CORP_DB_URL: "postgres://x",
  HARMLESS: "1",
  EMPTY: undefined,
};

describe("envPatternMatches", () => {
  it("matches globs ignoring case; * is any run, ? one character; no other metacharacters", () => {
    expect(envPatternMatches("*KEY*", "openai_api_key")).toBe(true);
    expect(envPatternMatches("AWS_*", "AWS_REGION")).toBe(true);
    expect(envPatternMatches("AWS_*", "MY_AWS_REGION")).toBe(false);
    expect(envPatternMatches("LC_?", "LC_A")).toBe(true);
    expect(envPatternMatches("LC_?", "LC_ALL")).toBe(false);
    expect(envPatternMatches("A.B", "AXB")).toBe(false);
    expect(envPatternMatches("PATH", "PATH")).toBe(true);
    expect(envPatternMatches("PATH", "XPATH")).toBe(false);
  });
});

describe("applyShellEnvPolicy (codex's order)", () => {
  it("an empty policy inherits everything but the default excludes (*KEY*, *SECRET*, *TOKEN*)", () => {
    const env = applyShellEnvPolicy(HOST, {});
    expect(Object.keys(env).sort()).toEqual(["CORP_DB_URL", "HARMLESS", "HOME", "LANG", "LC_ALL", "PATH"]);
  });

  it("ignore_default_excludes keeps them; exclude drops more", () => {
    const env = applyShellEnvPolicy(HOST, { ignore_default_excludes: true, exclude: ["corp_*"] });
    expect(env.OPENAI_API_KEY).toBe("sk-1");
    expect(env.Private_Keyring).toBe("k");
    expect(env.CORP_DB_URL).toBeUndefined();
  });

  it('inherit "core" keeps only the core variables, "none" nothing; set adds after the excludes', () => {
    expect(Object.keys(applyShellEnvPolicy(HOST, { inherit: "core" })).sort()).toEqual([
      "HOME",
      "LANG",
      "LC_ALL",
      "PATH",
    ]);
    expect(applyShellEnvPolicy(HOST, { inherit: "none", set: { PATH: "/bin", NPM_TOKEN: "n" } })).toEqual({
      PATH: "/bin",
      NPM_TOKEN: "n",
    });
  });

  it("include_only applies last, to set variables too", () => {
    expect(applyShellEnvPolicy(HOST, { include_only: ["PATH", "X_*"], set: { X_A: "a", Y: "y" } })).toEqual({
      PATH: "/usr/bin",
      X_A: "a",
    });
  });

  it("describes itself in one line", () => {
    expect(describeShellEnvPolicy({ inherit: "core", exclude: ["CORP_*"], set: { CI: "1" } })).toBe(
      "inherit core; drop *KEY*, *SECRET*, *TOKEN*, CORP_*; set CI",
    );
  });
});
