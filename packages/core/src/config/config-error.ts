/** A configuration mistake the user must fix (invalid file, unknown key, unusable trust store): exit code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
