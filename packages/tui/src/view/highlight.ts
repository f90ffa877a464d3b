import { highlight, supportsLanguage } from "cli-highlight";

/** Syntax-highlights code for a terminal (ANSI); plain text when colour is off or the language is unknown. */
export function highlightCode(code: string, language: string | undefined, color: boolean): string {
  if (!color) return code;
  try {
    const lang = language && supportsLanguage(language) ? language : undefined;
    return highlight(code, { ignoreIllegals: true, ...(lang ? { language: lang } : {}) });
  } catch {
    return code;
  }
}
