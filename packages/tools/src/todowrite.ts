import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { fail } from "./util/result.js";
import { formatTodos, TodoSchema, writeTodos } from "./util/todo-store.js";

export const todowriteParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      todos: z.array(TodoSchema).describe("The complete, updated todo list"),
    }),
  ),
  TOOL_JSON_SCHEMAS.todowrite,
);

export const todowriteTool = defineTool({
  id: "todowrite",
  description: loadDescription(new URL("./todowrite.txt", import.meta.url)),
  kind: "other",
  parameters: todowriteParameters,
  async execute(args, ctx) {
    const ids = args.todos.map((t) => t.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate !== undefined)
      return fail(`Duplicate todo id "${duplicate}": every item needs its own id. Nothing was saved.`);
    await writeTodos(ctx, args.todos);
    const active = args.todos.filter((t) => t.status === "in_progress").length;
    const note = active > 1 ? `\nNote: ${active} items are in_progress; keep one at a time.` : "";
    return { output: `${formatTodos(args.todos)}${note}`, metadata: { todos: args.todos } };
  },
});
