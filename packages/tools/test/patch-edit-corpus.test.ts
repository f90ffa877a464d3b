import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPatchTool } from "../src/apply_patch.js";
import { editTool } from "../src/edit.js";
import { context, run, workspace, write } from "./helpers.js";

/**
 * Corpus of apply_patch and edit inputs models really send, written from the behaviours codex's
 * apply_patch and opencode's edit accept (issue 23 item 3). One test per case: the file before, the
 * input, and the file after (or a refusal that leaves the file alone).
 */

interface PatchCase {
  name: string;
  files: Record<string, string>;
  patch: string;
  /** Files after the patch; omitted when it must be refused. */
  after?: Record<string, string>;
  /** The refusal message must match this. */
  refused?: RegExp;
}

const PATCH_CASES: PatchCase[] = [
  {
    name: "Update File marker and End Patch marker with leading whitespace",
    files: { "f.txt": "a\nc\n" },
    patch: "*** Begin Patch\n  *** Update File: f.txt\n@@\n-a\n+b\n c\n *** End Patch",
    after: { "f.txt": "b\nc\n" },
  },
  {
    name: "Add File marker with leading whitespace, indented End Patch",
    files: {},
    patch: "*** Begin Patch\n *** Add File: new.txt\n+hello\n+world\n   *** End Patch\n",
    after: { "new.txt": "hello\nworld\n" },
  },
  {
    name: "indented markers between two files (Delete then Update)",
    files: { "gone.txt": "x\n", "keep.txt": "1\n2\n" },
    patch:
      "*** Begin Patch\n\t*** Delete File: gone.txt\n  *** Update File: keep.txt\n@@\n 1\n-2\n+two\n*** End Patch",
    after: { "keep.txt": "1\ntwo\n" },
  },
  {
    name: "a hunk whose last line is an empty context line (the file's final newline)",
    files: { "f.txt": "x\ny\n" },
    patch: "*** Begin Patch\n*** Update File: f.txt\n@@\n x\n-y\n+z\n\n*** End Patch",
    after: { "f.txt": "x\nz\n" },
  },
  {
    name: "a hunk ending in a lone-space context line at end of file",
    files: { "f.txt": "first\nlast\n" },
    patch: "*** Begin Patch\n*** Update File: f.txt\n@@\n first\n-last\n+LAST\n \n*** End Patch",
    after: { "f.txt": "first\nLAST\n" },
  },
  {
    name: "an insert-only chunk with no context before a normal chunk",
    files: { "f.txt": "one\ntwo\nthree\n" },
    patch: "*** Begin Patch\n*** Update File: f.txt\n@@\n+appended\n@@\n two\n-three\n+THREE\n*** End Patch",
    // As codex does: a chunk with no old lines and no anchor appends at the end of the file.
    after: { "f.txt": "one\ntwo\nTHREE\nappended\n" },
  },
  {
    name: "an insert-only chunk under an @@ anchor is inserted after the anchor line",
    files: { "f.txt": "def a():\n    pass\ndef b():\n    pass\n" },
    patch:
      "*** Begin Patch\n*** Update File: f.txt\n@@ def a():\n+    # doc\n@@\n def b():\n-    pass\n+    return 1\n*** End Patch",
    after: { "f.txt": "def a():\n    # doc\n    pass\ndef b():\n    return 1\n" },
  },
  {
    name: "ASCII hyphen and quotes in the patch match typographic dashes and curly quotes in the file",
    files: { "doc.md": "Title — intro\nSay “hello” and ‘bye’ – now\nend\n" },
    patch:
      "*** Begin Patch\n*** Update File: doc.md\n@@\n Title - intro\n-Say \"hello\" and 'bye' - now\n+Say hi\n end\n*** End Patch",
    // Context lines keep the file's own characters; only the changed line is the patch's.
    after: { "doc.md": "Title — intro\nSay hi\nend\n" },
  },
  {
    name: "ASCII hyphen matches a non-breaking hyphen (U+2011) and a minus sign (U+2212)",
    files: { "f.txt": "non\u2011breaking x \u2212 y\n" },
    patch: "*** Begin Patch\n*** Update File: f.txt\n@@\n-non-breaking x - y\n+plain\n*** End Patch",
    after: { "f.txt": "plain\n" },
  },
  {
    name: "a heredoc with matching quotes is unwrapped",
    files: { "f.txt": "old\n" },
    patch:
      "apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: f.txt\n@@\n-old\n+new\n*** End Patch\nEOF\n",
    after: { "f.txt": "new\n" },
  },
  {
    name: "a heredoc with mismatched quotes (<<\"EOF') is refused",
    files: { "f.txt": "old\n" },
    patch:
      "apply_patch <<\"EOF'\n*** Begin Patch\n*** Update File: f.txt\n@@\n-old\n+new\n*** End Patch\nEOF\n",
    refused: /heredoc/i,
  },
  {
    name: "a heredoc whose closing delimiter is another word is refused",
    files: { "f.txt": "old\n" },
    patch:
      "apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: f.txt\n@@\n-old\n+new\n*** End Patch\nEND\n",
    refused: /heredoc/i,
  },
  {
    name: "keeps: Add File never overwrites an existing file",
    files: { "f.txt": "mine\n" },
    patch: "*** Begin Patch\n*** Add File: f.txt\n+theirs\n*** End Patch",
    refused: /already exists/,
  },
  {
    name: "keeps: Move to an existing file is refused",
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    patch: "*** Begin Patch\n*** Update File: a.txt\n*** Move to: b.txt\n@@\n-a\n+A\n*** End Patch",
    refused: /target exists/,
  },
  {
    name: "keeps: one failing hunk writes nothing, not even the other files",
    files: { "a.txt": "a\n", "b.txt": "b\n" },
    patch:
      "*** Begin Patch\n*** Update File: a.txt\n@@\n-a\n+A\n*** Update File: b.txt\n@@\n-missing\n+B\n*** End Patch",
    refused: /does not apply/,
  },
];

describe("apply_patch corpus", () => {
  for (const c of PATCH_CASES) {
    it(c.name, async () => {
      const ws = await workspace();
      for (const [rel, content] of Object.entries(c.files)) await write(ws, rel, content);
      const result = await run(applyPatchTool, { patch: c.patch }, context(ws));
      if (c.refused) {
        expect(result.isError, result.output).toBe(true);
        expect(result.output).toMatch(c.refused);
        for (const [rel, content] of Object.entries(c.files)) {
          expect(await fs.readFile(path.join(ws, rel), "utf8"), rel).toBe(content);
        }
        return;
      }
      expect(result.isError ?? false, result.output).toBe(false);
      for (const [rel, content] of Object.entries(c.after ?? {})) {
        expect(await fs.readFile(path.join(ws, rel), "utf8"), rel).toBe(content);
      }
    });
  }
});

interface EditCase {
  name: string;
  file: string;
  oldString: string;
  newString: string;
  after?: string;
  refused?: RegExp;
}

const EDIT_CASES: EditCase[] = [
  {
    name: "oldString with a literal \\n (backslash, n) matches a real newline",
    file: "alpha\nbeta\n",
    oldString: "alpha\\nbeta",
    newString: "alpha\\ngamma",
    after: "alpha\ngamma\n",
  },
  {
    name: "oldString with a literal \\t matches a real tab",
    file: "x = a\tb;\n",
    oldString: "x = a\\tb;",
    newString: "x = a\\tc;",
    after: "x = a\tc;\n",
  },
  {
    name: 'oldString with literal \\" matches real double quotes',
    file: 'say("hi");\n',
    oldString: 'say(\\"hi\\");',
    newString: 'say(\\"bye\\");',
    after: 'say("bye");\n',
  },
  {
    name: "a block anchored by its first and last lines, middle different, single candidate",
    file: "function f() {\n  const a = computeSomething(1);\n  return a * 2;\n}\nconst other = 1;\n",
    oldString: "function f() {\n  let totallyDifferent = 0;\n  whatever();\n}",
    newString: "function f() {\n  return 0;\n}",
    after: "function f() {\n  return 0;\n}\nconst other = 1;\n",
  },
  {
    name: "keeps: the same text twice is ambiguous, nothing changes",
    file: "x = 1\ny = 0\nx = 1\n",
    oldString: "x = 1",
    newString: "x = 2",
    refused: /matches 2 places/,
  },
  {
    name: "keeps: two anchored blocks whose middles both differ are refused, never guessed",
    file: "begin\n  one();\nend\nbegin\n  two();\nend\n",
    oldString: "begin\n  somethingElseEntirely(42, 'x');\nend",
    newString: "begin\nend",
    refused: /not found|matches 2 places/,
  },
  {
    name: "keeps: an exact match wins over a looser (line-trimmed) one elsewhere",
    file: "  total = 1\ntotal = 1;\n",
    oldString: "total = 1;",
    newString: "total = 2;",
    after: "  total = 1\ntotal = 2;\n",
  },
];

describe("edit corpus", () => {
  for (const c of EDIT_CASES) {
    it(c.name, async () => {
      const ws = await workspace();
      await write(ws, "f.txt", c.file);
      const result = await run(
        editTool,
        { path: "f.txt", oldString: c.oldString, newString: c.newString },
        context(ws),
      );
      const now = await fs.readFile(path.join(ws, "f.txt"), "utf8");
      if (c.refused) {
        expect(result.isError, result.output).toBe(true);
        expect(result.output).toMatch(c.refused);
        expect(now).toBe(c.file);
        return;
      }
      expect(result.isError ?? false, result.output).toBe(false);
      expect(now).toBe(c.after);
    });
  }
});
