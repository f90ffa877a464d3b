import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPrd, loadPrd, nextStory, PrdError, parsePrd, savePrd, validatePrd } from "../src/index.js";

const story = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `Story ${id}`, ...extra });
const prd = (stories: unknown[], extra: Record<string, unknown> = {}) => ({
  project: "p",
  feature: "f",
  user_stories: stories,
  ...extra,
});

function issues(raw: unknown): string[] {
  const r = validatePrd(raw);
  return r.ok ? [] : r.issues;
}

describe("prd schema", () => {
  it("fills defaults and accepts the `dependencies` alias", () => {
    const parsed = parsePrd(prd([story("A"), story("B", { dependencies: ["A"] })]));
    expect(parsed.user_stories[1]).toMatchObject({
      depends_on: ["A"],
      priority: 1,
      complexity: 3,
      passes: false,
      acceptance_criteria: [],
    });
    expect(parsed.quality_checks).toEqual({});
  });

  it("names the story and field of each problem", () => {
    const found = issues(
      prd([story("US-1"), { id: "US-2", title: "", priority: 0 }, { title: "no id" }], {
        quality_checks: { test: " ", deploy: "x" },
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^story "US-2" \(user_stories\[1\]\) field "title": must not be empty/),
        expect.stringMatching(
          /^story "US-2" \(user_stories\[1\]\) field "priority": 1 is the highest priority/,
        ),
        expect.stringMatching(/^user_stories\[2\] field "id"/),
        expect.stringMatching(/^field "quality_checks.test": must be a shell command/),
        expect.stringMatching(/^field "quality_checks".*deploy/),
      ]),
    );
  });

  it("rejects unknown ids, self-dependencies, duplicates and cycles", () => {
    expect(issues(prd([story("A", { depends_on: ["Z"] })]))).toEqual([
      'story "A" field "depends_on": unknown story id "Z" (known: A)',
    ]);
    expect(issues(prd([story("A", { depends_on: ["A"] })]))[0]).toMatch(/cannot depend on itself/);
    expect(issues(prd([story("A"), story("A")]))[0]).toMatch(
      /story "A": the id is used by more than one story/,
    );
    expect(
      issues(
        prd([
          story("A", { depends_on: ["C"] }),
          story("B", { depends_on: ["A"] }),
          story("C", { depends_on: ["B"] }),
        ]),
      )[0],
    ).toMatch(/dependency cycle: A -> C -> B -> A/);
  });

  it("rejects branch names that would be git options or invalid refs", () => {
    for (const branch of ["--upload-pack=evil", "a..b", "feat/", "x.lock", "a b", "a@{1}"])
      expect(issues(prd([story("A")], { branch_name: branch }))[0], branch).toMatch(
        /branch_name.*not a valid git branch/,
      );
    expect(issues(prd([story("A")], { branch_name: "feature/login-2" }))).toEqual([]);
  });

  it("picks the next ready story by priority, then complexity", () => {
    const p = parsePrd(
      prd([
        story("A", { priority: 2 }),
        story("B", { priority: 1, depends_on: ["A"] }),
        story("C", { priority: 2, complexity: 1 }),
      ]),
    );
    expect(nextStory(p)?.id).toBe("C");
    p.user_stories[2]!.passes = true;
    expect(nextStory(p)?.id).toBe("A");
    p.user_stories[0]!.passes = true;
    expect(nextStory(p)?.id).toBe("B");
    p.user_stories[1]!.passes = true;
    expect(nextStory(p)).toBeUndefined();
  });
});

describe("prd files", () => {
  it("loads with errors naming the file, and saves atomically", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-prd-"));
    const file = path.join(dir, "prd.json");
    await expect(loadPrd(file)).rejects.toThrow(/No PRD at .*create-prd/);
    await fs.writeFile(file, "{ nope");
    await expect(loadPrd(file)).rejects.toThrow(PrdError);
    await fs.writeFile(file, JSON.stringify(prd([story("A", { depends_on: ["B"] })])));
    await expect(loadPrd(file)).rejects.toThrow(
      /prd\.json:\n- story "A" field "depends_on": unknown story id "B"/,
    );
    await savePrd(file, parsePrd(prd([story("A")])));
    const loaded = await loadPrd(file);
    expect(loaded.updated_at).toMatch(/^\d{4}-/);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("creates a template with checks from package.json and refuses to overwrite", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-prd-"));
    await fs.writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({ scripts: { test: "vitest", build: "tsup" } }),
    );
    const file = path.join(dir, "prd.json");
    const created = await createPrd({ feature: "User Login!", projectName: "shop", path: file });
    expect(created.branch_name).toBe("feature/user-login");
    expect(created.quality_checks).toEqual({ test: "npm run test", build: "npm run build" });
    expect((await loadPrd(file)).user_stories).toHaveLength(1);
    await expect(createPrd({ feature: "x", projectName: "y", path: file })).rejects.toThrow(/already exists/);
  });
});
