import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { formatTodos, readTodos } from "./util/todo-store.js";

export const todoreadParameters = withJsonSchema(
  lazySchema(() => z.object({})),
  TOOL_JSON_SCHEMAS.todoread,
);

export const todoreadTool = defineTool({
  id: "todoread",
  description: loadDescription(new URL("./todoread.txt", import.meta.url)),
  kind: "read",
  parameters: todoreadParameters,
  async execute(_args, ctx) {
    const todos = await readTodos(ctx);
    const open = todos.filter((t) => t.status === "pending" || t.status === "in_progress").length;
    return { output: `${formatTodos(todos)}\n\n(${open} open of ${todos.length})`, metadata: { todos } };
  },
});
