import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTmuxTui } from "./tui-helpers.js";

const setup = useTmuxTui();

describe("tui /rewind (tmux, scripted model)", () => {
  it("the picker rewinds files and conversation to a turn; the next request no longer has the later turn", async () => {
    const world = await setup([
      { toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "first\n" } }] },
      { text: "wrote first" },
      { toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "second\n" } }] },
      { text: "wrote second" },
      { text: "fresh answer" },
    ]);
    await fs.writeFile(path.join(world.work, "notes.txt"), "user notes\n");
    const tui = await world.open();
    await tui.type("make it first");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("wrote first") && s.includes("○ ready"), "turn 1");
    await tui.type("make it second");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("wrote second") && s.includes("○ ready"), "turn 2");
    expect(await fs.readFile(path.join(world.work, "a.txt"), "utf8")).toBe("second\n");

    await tui.type("/rewind");
    await tui.keys("Enter");
    await tui.waitFor(
      (s) => s.includes("Rewind files and conversation") && s.includes("make it second"),
      "the picker",
    );
    // The picker starts on the turn before the last one: "undo my last prompt" is one Enter.
    await tui.waitFor((s) => s.includes("❯ 1  make it first"), "turn 1 selected");
    await tui.keys("Enter");
    const after = await tui.waitFor((s) => s.includes("Rewound to turn 1 (both)"), "the rewind notice");
    expect(after).toContain("1 file(s) restored, 4 message(s) removed");
    expect(after).not.toContain("wrote second");
    expect(await fs.readFile(path.join(world.work, "a.txt"), "utf8")).toBe("first\n");
    expect(await fs.readFile(path.join(world.work, "notes.txt"), "utf8")).toBe("user notes\n");

    await tui.type("what now?");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("fresh answer"), "the next answer");
    const body = world.lastChatBody();
    expect(JSON.stringify(body.messages)).toContain("make it first");
    expect(JSON.stringify(body.messages)).not.toContain("make it second");
  });
});
