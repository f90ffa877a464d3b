// The JSON Schema sent to the model for each built-in tool is computed at build time (src/generated): the table must
// equal what zod gives for the tool's parameters now. After changing parameters: `npx vitest run <this file> -u`.
import { renderToolJsonSchemaModule } from "@codetether/testing";
import { expect, it } from "vitest";
import { applyPatchParameters } from "../src/apply_patch.js";
import { bashParameters } from "../src/bash.js";
import { batchParameters } from "../src/batch.js";
import { codesearchParameters } from "../src/codesearch.js";
import { editParameters } from "../src/edit.js";
import { globParameters } from "../src/glob.js";
import { grepParameters } from "../src/grep.js";
import { imageParameters } from "../src/image.js";
import { invalidParameters } from "../src/invalid.js";
import { listParameters } from "../src/list.js";
import { lspParams } from "../src/lsp/lsp.js";
import { multieditParameters } from "../src/multiedit.js";
import { planEnterParameters } from "../src/plan_enter.js";
import { planExitParameters } from "../src/plan_exit.js";
import { questionParameters } from "../src/question.js";
import { readParameters } from "../src/read.js";
import { skillParameters } from "../src/skill.js";
import { taskParameters } from "../src/task.js";
import { todoreadParameters } from "../src/todoread.js";
import { todowriteParameters } from "../src/todowrite.js";
import { undoParameters } from "../src/undo.js";
import { webfetchParams } from "../src/web/webfetch.js";
import { websearchParams } from "../src/web/websearch.js";
import { writeParameters } from "../src/write.js";

it("src/generated/tool-json-schemas.ts is what zod gives for every built-in tool's parameters", async () => {
  const source = renderToolJsonSchemaModule(
    {
      apply_patch: applyPatchParameters,
      bash: bashParameters,
      batch: batchParameters,
      codesearch: codesearchParameters,
      edit: editParameters,
      glob: globParameters,
      grep: grepParameters,
      image: imageParameters,
      invalid: invalidParameters,
      list: listParameters,
      lsp: lspParams,
      multiedit: multieditParameters,
      plan_enter: planEnterParameters,
      plan_exit: planExitParameters,
      question: questionParameters,
      read: readParameters,
      skill: skillParameters,
      task: taskParameters,
      todoread: todoreadParameters,
      todowrite: todowriteParameters,
      undo: undoParameters,
      webfetch: webfetchParams,
      websearch: websearchParams,
      write: writeParameters,
    },
    "test/tool-json-schemas.test.ts",
  );
  await expect(source).toMatchFileSnapshot("../src/generated/tool-json-schemas.ts");
});
