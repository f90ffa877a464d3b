import { escapeControls } from "../util/terminal-text.js";

/**
 * A configuration mistake the user must fix (invalid file, unknown key, unusable trust store): exit code 2. The
 * message names keys and paths read from files a cloned repository controls: their control characters are shown
 * escaped (line by line), so printing the error cannot drive the terminal.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message.split("\n").map(escapeControls).join("\n"));
    this.name = "ConfigError";
  }
}
