// `main` builds only the command group of the command being run (issue 25); each group's list of top-level commands
// must be exactly what it registers, or a command would be missing from its own start.
import { Command } from "commander";
import { expect, it } from "vitest";
import { buildProgram, COMMAND_GROUPS } from "../src/main.js";

const names = (program: Command) => program.commands.map((c) => c.name()).sort();

it("each group lists exactly the top-level commands it registers, and no command is in two groups", () => {
  const seen: string[] = [];
  for (const group of COMMAND_GROUPS) {
    const program = new Command("codetether");
    group.register(
      program,
      (run) =>
        async (...args) =>
          void (await run(...args)),
      "0.0.0-test",
    );
    expect(names(program)).toEqual([...group.commands].sort());
    seen.push(...group.commands);
  }
  expect(new Set(seen).size).toBe(seen.length);
  expect(names(buildProgram("0.0.0-test").program)).toEqual(seen.sort());
});

it("builds only the group of a known command, and everything otherwise", () => {
  expect(names(buildProgram("0.0.0-test", "run").program)).toEqual(["ralph", "rlm", "run", "swarm", "tui"]);
  const all = names(buildProgram("0.0.0-test").program);
  expect(names(buildProgram("0.0.0-test", "help").program)).toEqual(all);
  expect(names(buildProgram("0.0.0-test", "--json").program)).toEqual(all);
  expect(names(buildProgram("0.0.0-test", "rnu").program)).toEqual(all);
});
