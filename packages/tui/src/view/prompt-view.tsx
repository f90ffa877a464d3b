import { Box, Text } from "ink";
import type { PendingPrompt } from "../state/prompt-bridge.js";
import type { Theme } from "../theme.js";
import { permissionArgsPreview } from "./prompt-args.js";
import { sanitizeTerminalText as clean } from "./sanitize.js";

/** A permission prompt (allow once / always / deny) or a `question` tool prompt. */
export function PromptView({ prompt, theme }: { prompt: PendingPrompt; theme: Theme }) {
  const border = theme.color ? theme.colors.warning : undefined;
  if (prompt.kind === "permission") {
    const { args } = prompt.request;
    const toolId = clean(prompt.request.toolId);
    const kind = clean(prompt.request.kind);
    const paths = prompt.request.paths.map(clean);
    return (
      <Box flexDirection="column" borderStyle="double" borderColor={border}>
        <Text>{theme.warning(theme.bold(`Permission needed: ${toolId} (${kind})`))}</Text>
        {paths.length ? <Text>{`paths: ${paths.join(", ")}`}</Text> : null}
        <Text>{theme.muted(permissionArgsPreview(args))}</Text>
        {/* "Always" allows every later call of the tool, whatever its arguments: the prompt says so. */}
        <Text>{`${theme.accent("[y]")} allow once  ${theme.accent("[a]")} always allow ${toolId} (every call, this session)  ${theme.accent("[n]")} deny  (Esc denies)`}</Text>
      </Box>
    );
  }
  const options = (prompt.question.options ?? []).map(clean);
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={border}>
      <Text>{theme.warning(theme.bold(`Question: ${clean(prompt.question.question)}`))}</Text>
      {options.map((o, i) => (
        <Text key={o}>{`  ${theme.accent(`[${i + 1}]`)} ${o}`}</Text>
      ))}
      <Text>
        {theme.muted("Type an answer and press Enter" + (options.length ? ", or press a number." : "."))}
      </Text>
    </Box>
  );
}
