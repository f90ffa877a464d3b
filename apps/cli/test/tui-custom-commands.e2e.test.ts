import { describe, expect, it } from "vitest";
import { useTmuxTui } from "./tui-helpers.js";

const setup = useTmuxTui();
const text = (c: unknown) => (typeof c === "string" ? c : JSON.stringify(c));

describe("tui: the / command list, custom commands and agents (tmux, scripted model)", () => {
  it("typing / lists built-in and custom commands; /name args runs the command; /agent switches agent", async () => {
    const world = await setup([{ text: "review done" }, { text: "as reviewer now" }], {
      files: {
        "work/.codetether/commands/review.md":
          "---\ndescription: Review a file for a concern\n---\nReview $1 for $2.\n",
        "config/codetether/commands/standup.md":
          "---\ndescription: Write my standup\n---\nSummarise today.\n",
        "work/.codetether/agents/reviewer.md":
          "---\ndescription: Reviews, never edits\ntools: [read, grep]\n---\nYou are the reviewer.\n",
      },
    });
    const tui = await world.open();

    await tui.type("/");
    const menu = await tui.waitFor((s) => s.includes("/standup"), "the command list");
    expect(menu).toContain("/model");
    expect(menu).toContain("/help");
    expect(menu).toMatch(/\/review\s+Review a file for a concern \(custom\)/);
    expect(menu).toMatch(/\/standup\s+Write my standup \(custom\)/);
    await tui.type("re");
    const narrowed = await tui.waitFor(
      (s) => s.includes("/resume") && !s.includes("/standup"),
      "the filtered list",
    );
    expect(narrowed).toContain("/review");
    expect(narrowed).not.toContain("/model ");

    await tui.type('view src/a.ts "error handling"');
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("review done") && s.includes("○ ready"), "the command's answer");
    expect(text(world.chatBodies()[0]?.messages.at(-1)?.content)).toBe("Review src/a.ts for error handling.");

    await tui.type("/agent reviewer");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("Agent: reviewer"), "the agent switch");
    await tui.type("look at it");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("as reviewer now"), "the agent's answer");
    const last = world.chatBodies()[1];
    expect(text(last?.messages[0]?.content)).toContain("You are the reviewer.");
    expect((last?.tools ?? []).map((t) => t.function.name).sort()).toEqual(["grep", "read"]);
    // The conversation carried over: the command's turn is in the history.
    expect(text(last?.messages)).toContain("Review src/a.ts for error handling.");
    await tui.type("/quit");
    await tui.keys("Enter");
    expect(await tui.waitForExit()).toBe(0);
  });
});
