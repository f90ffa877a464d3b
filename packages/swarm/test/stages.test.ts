import { describe, expect, it } from "vitest";
import { DecompositionError, groupByStage, planStages, slugify } from "../src/index.js";

const t = (name: string, dependencies: string[] = [], priority = 1) => ({
  name,
  instruction: `do ${name}`,
  dependencies,
  priority,
});

describe("planStages", () => {
  it("assigns stages from dependencies and groups by priority", () => {
    const plan = planStages([t("a"), t("b", [], 0), t("c", ["a", "b"]), t("d", ["c"]), t("e", ["a"])]);
    expect(Object.fromEntries(plan.map((s) => [s.name, s.stage]))).toEqual({ a: 0, b: 0, c: 1, d: 2, e: 1 });
    expect(plan.find((s) => s.name === "c")!.dependencies).toEqual(["a", "b"]);
    expect(groupByStage(plan)[0]!.map((s) => s.name)).toEqual(["b", "a"]);
  });

  it("rejects cycles naming the subtasks", () => {
    expect(() => planStages([t("a", ["c"]), t("b", ["a"]), t("c", ["b"]), t("d")])).toThrow(
      /cycle among "a", "b", "c"/,
    );
    expect(() => planStages([t("a", ["a"])])).toThrow(DecompositionError);
  });

  it("rejects unknown dependencies and duplicate names", () => {
    expect(() => planStages([t("a", ["zzz"])])).toThrow(/depends on "zzz", which is not a subtask/);
    expect(() => planStages([t("a"), t("a")])).toThrow(/named "a"/);
  });

  it("makes names safe for paths and branches", () => {
    expect(slugify("../../etc/passwd; rm -rf /")).toBe("etc-passwd-rm-rf");
    expect(slugify("!!!")).toBe("task");
    const plan = planStages([t("Fix it"), t("fix-it"), t("FIX IT!")]);
    expect(plan.map((s) => s.id)).toEqual(["fix-it", "fix-it-2", "fix-it-3"]);
  });
});
