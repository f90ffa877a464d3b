// The JSON Schema sent to the model for this package's tools is computed at build time (src/generated): the table must
// equal what zod gives for the tools' parameters now. After changing parameters: `npx vitest run <this file> -u`.
import { renderToolJsonSchemaModule } from "@codetether/testing";
import { expect, it } from "vitest";
import { swarmShareParameters } from "../src/share/swarm-share-tool.js";
import { swarmParameters } from "../src/swarm-tool.js";

it("src/generated/tool-json-schemas.ts is what zod gives for every tool's parameters", async () => {
  const source = renderToolJsonSchemaModule(
    { swarm: swarmParameters, swarm_share: swarmShareParameters },
    "test/tool-json-schemas.test.ts",
  );
  await expect(source).toMatchFileSnapshot("../src/generated/tool-json-schemas.ts");
});
