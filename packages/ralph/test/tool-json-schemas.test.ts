// The JSON Schema sent to the model for this package's tools is computed at build time (src/generated): the table must
// equal what zod gives for the tools' parameters now. After changing parameters: `npx vitest run <this file> -u`.
import { renderToolJsonSchemaModule } from "@codetether/testing";
import { expect, it } from "vitest";
import { prdParameters } from "../src/tools/prd-tool.js";
import { ralphParameters } from "../src/tools/ralph-tool.js";

it("src/generated/tool-json-schemas.ts is what zod gives for every tool's parameters", async () => {
  const source = renderToolJsonSchemaModule(
    { prd: prdParameters, ralph: ralphParameters },
    "test/tool-json-schemas.test.ts",
  );
  await expect(source).toMatchFileSnapshot("../src/generated/tool-json-schemas.ts");
});
