import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { DEFAULT_TUI_ARGS, useTmuxTui } from "./tui-helpers.js";

// A session that ran as a custom agent goes on as that agent when the TUI resumes it, at start (`tui -s`) and with
// `/resume`: its system prompt, tool allow-list and the status line's agent name.

const setup = useTmuxTui();
const text = (c: unknown) => (typeof c === "string" ? c : JSON.stringify(c));

describe("tui: a resumed session restores its custom agent (tmux, scripted model)", () => {
  it("tui -s <id> and /resume <id> run as the agent the session was using", async () => {
    const world = await setup(
      [
        { text: "first answer" },
        { text: "second answer" },
        { text: "fresh answer" },
        { text: "third answer" },
      ],
      {
        files: {
          "work/.codetether/agents/auditor.md":
            "---\ndescription: Audits\ntools: [read, grep]\n---\nYou are AUDITOR-5. Change nothing.\n",
        },
      },
    );
    const first = await runCli(["run", "--json", "--agent", "auditor", "-m", "openai/gpt-4o", "first"], {
      cwd: world.work,
      env: world.env,
    });
    expect(first.code).toBe(0);
    const id = first.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((e) => e.type === "done").sessionId as string;

    const tui = await world.open([...DEFAULT_TUI_ARGS, "-s", id]);
    await tui.waitFor((s) => s.includes("· auditor"), "the agent in the status line");
    await tui.type("second");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("second answer") && s.includes("○ ready"), "the resumed turn");
    const second = world.chatBodies()[1];
    expect(text(second?.messages[0]?.content)).toContain("You are AUDITOR-5.");
    expect((second?.tools ?? []).map((t) => t.function.name).sort()).toEqual(["grep", "read"]);

    // A new session, switched to the default agent; /resume brings the first session's auditor back.
    await tui.type("/new");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("New session."), "the new session");
    await tui.type("/agent default");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("Agent: default"), "the switch to the default agent");
    await tui.type("fresh");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("fresh answer") && s.includes("○ ready"), "the fresh turn");
    expect(text(world.chatBodies()[2]?.messages[0]?.content)).not.toContain("AUDITOR-5");
    await tui.type(`/resume ${id}`);
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("as auditor"), "the resume notice");
    await tui.type("third");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("third answer") && s.includes("○ ready"), "the turn after /resume");
    const third = world.chatBodies()[3];
    expect(text(third?.messages[0]?.content)).toContain("You are AUDITOR-5.");
    expect((third?.tools ?? []).map((t) => t.function.name).sort()).toEqual(["grep", "read"]);
    await tui.type("/quit");
    await tui.keys("Enter");
    expect(await tui.waitForExit()).toBe(0);
  });
});
