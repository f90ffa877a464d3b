import { describe, expect, it } from "vitest";
import { ConfigSchema, filterUntrustedProject, findUnknownKeys, loadConfig } from "../src/index.js";
import { trustBox } from "./trust-box.js";

const base = (toml: Record<string, unknown> = {}) => ConfigSchema.parse(toml);
const policy = (p: Record<string, unknown>) => ({ shell_environment_policy: p });

describe("[shell_environment_policy] from an untrusted project: only tightening is kept", () => {
  it("inherit only narrows (all → core → none); unset is all", () => {
    expect(filterUntrustedProject(policy({ inherit: "core" }), base()).values).toEqual(
      policy({ inherit: "core" }),
    );
    const looser = filterUntrustedProject(policy({ inherit: "all" }), base(policy({ inherit: "core" })));
    expect(looser.values).toEqual({});
    expect(looser.ignored.map((i) => i.key)).toEqual(["shell_environment_policy.inherit"]);
    expect(
      filterUntrustedProject(policy({ inherit: "none" }), base(policy({ inherit: "core" }))).ignored,
    ).toEqual([]);
  });

  it("the default excludes may be switched on, never off", () => {
    const off = filterUntrustedProject(policy({ ignore_default_excludes: true }), base());
    expect(off.values).toEqual({});
    expect(off.ignored[0]?.reason).toMatch(/named like secrets/);
    const on = filterUntrustedProject(
      policy({ ignore_default_excludes: false }),
      base(policy({ ignore_default_excludes: true })),
    );
    expect(on.values).toEqual(policy({ ignore_default_excludes: false }));
  });

  it("excludes are added to the user's, never replace them", () => {
    const f = filterUntrustedProject(policy({ exclude: ["PROJ_*"] }), base(policy({ exclude: ["CORP_*"] })));
    expect(f.values).toEqual(policy({ exclude: ["CORP_*", "PROJ_*"] }));
    // An empty list would drop the user's excludes if it replaced them.
    expect(
      filterUntrustedProject(policy({ exclude: [] }), base(policy({ exclude: ["CORP_*"] }))).values,
    ).toEqual(policy({ exclude: ["CORP_*"] }));
  });

  it("include_only may only narrow: any list when the user keeps everything, else a subset", () => {
    expect(filterUntrustedProject(policy({ include_only: ["PATH"] }), base()).values).toEqual(
      policy({ include_only: ["PATH"] }),
    );
    const wider = filterUntrustedProject(
      policy({ include_only: ["PATH", "AWS_*"] }),
      base(policy({ include_only: ["PATH", "HOME"] })),
    );
    expect(wider.values).toEqual({});
    expect(wider.ignored[0]?.reason).toMatch(/keeps variables your include_only drops/);
    const empty = filterUntrustedProject(
      policy({ include_only: [] }),
      base(policy({ include_only: ["PATH"] })),
    );
    expect(empty.values).toEqual({});
  });

  it("set is never taken from an untrusted project, whatever the name", () => {
    const f = filterUntrustedProject(
      policy({ set: { PATH: "/attacker/bin", LD_PRELOAD: "/x.so", HARMLESS: "1" } }),
      base(),
    );
    expect(f.values).toEqual({});
    expect(f.ignored.map((i) => i.key).sort()).toEqual([
      "shell_environment_policy.set.HARMLESS",
      "shell_environment_policy.set.LD_PRELOAD",
      "shell_environment_policy.set.PATH",
    ]);
  });

  it("loadConfig: an untrusted project's excludes join the user's and its set is reported ignored", () => {
    const b = trustBox("ct-shellenv-", '[shell_environment_policy]\nexclude = ["CORP_*"]\n');
    b.write(
      "codetether.toml",
      '[shell_environment_policy]\nexclude = ["PROJ_*"]\nset = { PATH = "/evil" }\ninherit = "core"\n',
    );
    const loaded = loadConfig({ cwd: b.work, env: b.env });
    expect(loaded.config.shell_environment_policy).toEqual({
      exclude: ["CORP_*", "PROJ_*"],
      inherit: "core",
    });
    expect(loaded.projectTrust.ignored.map((i) => i.key)).toEqual(["shell_environment_policy.set.PATH"]);
    const trusted = loadConfig({ cwd: b.work, env: b.env, trustProject: true });
    expect(trusted.config.shell_environment_policy?.set).toEqual({ PATH: "/evil" });
  });
});

describe("[shell_environment_policy] schema", () => {
  it("is absent by default (commands inherit everything, as before)", () => {
    expect(base().shell_environment_policy).toBeUndefined();
  });

  it("names a bad pattern, a bad variable name and an unknown key, with the file", () => {
    const b = trustBox(
      "ct-shellenv-",
      '[shell_environment_policy]\nexclude = ["AWS KEY"]\ninherit = "some"\nset = { 1X = "v" }\n',
    );
    let message = "";
    try {
      loadConfig({ cwd: b.work, env: b.env });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`Invalid configuration in ${b.dir}/config/codetether/config.toml`);
    expect(message).toMatch(
      /shell_environment_policy\.exclude\.0: expected a variable name or glob such as "AWS_\*"/,
    );
    expect(message).toMatch(/shell_environment_policy\.set\.1X: invalid name: expected a variable name/);
    expect(message).toMatch(/shell_environment_policy\.inherit: .*"all"\|"core"\|"none"/);
    expect(findUnknownKeys(policy({ include: ["PATH"] }))).toEqual([
      { key: "shell_environment_policy.include", suggestion: "shell_environment_policy.include_only" },
    ]);
  });
});
