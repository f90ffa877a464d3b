import { AgentGate, createSession, RuleGate } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { hookInput, permissionMode } from "../src/hooks/hook-input.js";

describe("hook input common fields", () => {
  it("maps the gate's state to Claude Code's permission_mode", () => {
    const prompt = async () => "once" as const;
    expect(permissionMode(new RuleGate({ prompt }).permissionState())).toBe("default");
    expect(permissionMode(new RuleGate({ prompt, autoApprove: "all" }).permissionState())).toBe("default");
    expect(permissionMode(new RuleGate({ autoApprove: "all" }).permissionState())).toBe("bypassPermissions");
    expect(permissionMode(new RuleGate({ autoApprove: "safe" }).permissionState())).toBe("dontAsk");
    expect(permissionMode(new RuleGate().permissionState())).toBe("dontAsk");
    const planning = new RuleGate({ prompt, autoApprove: "all" });
    planning.planMode = true;
    expect(permissionMode(planning.permissionState())).toBe("plan");
    // A custom agent's gate reports the session gate's mode (its rules only refuse).
    expect(permissionMode(new AgentGate(planning, { name: "a", permissions: [] }).permissionState())).toBe(
      "plan",
    );
    // Tools without a gate run whatever the model asks.
    expect(permissionMode(undefined)).toBe("bypassPermissions");
  });

  it("sends transcript_path null for a session that is not saved", () => {
    const session = createSession({ cwd: "/w", model: "m/x" });
    const input = hookInput({ event: "user_prompt_submit", prompt: "hi", session, cwd: "/w" });
    expect(input).toMatchObject({
      session_id: session.id,
      transcript_path: null,
      cwd: "/w",
      permission_mode: "bypassPermissions",
      hook_event_name: "UserPromptSubmit",
    });
    const saved = hookInput({
      event: "stop",
      text: "done",
      stopHookActive: false,
      session,
      cwd: "/w",
      transcriptPath: "/data/sessions/x.json",
      permissions: { planMode: false, interactive: true, autoApprove: "none" },
    });
    expect(saved).toMatchObject({ transcript_path: "/data/sessions/x.json", permission_mode: "default" });
  });
});
