/** A search pattern the model gave: a regex when it is one and is safe, else a literal substring. */
export interface SearchPattern {
  test(line: string): boolean;
  /** How the pattern was understood, shown to the model. */
  description: string;
}

const MAX_PATTERN = 500;
// A quantified group that contains a quantifier or an alternation, e.g. (a+)+, (\w*)*, (a|aa)+:
// these backtrack exponentially on a near-miss.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}|](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,?\d*\})/;
// Backreferences can be exponential too.
const BACKREFERENCE = /\\[1-9]/;

/**
 * Compiles a model-provided pattern. Patterns that could backtrack catastrophically (nested
 * quantifiers, backreferences) or are very long are rejected with a message the model can act on;
 * invalid regexes fall back to a literal search.
 */
export function compilePattern(pattern: string, options: { ignoreCase?: boolean } = {}): SearchPattern {
  if (pattern.length === 0) throw new Error("Empty pattern: give a word or regex to search for.");
  if (pattern.length > MAX_PATTERN) {
    throw new Error(`Pattern is ${pattern.length} characters; keep it under ${MAX_PATTERN}.`);
  }
  if (NESTED_QUANTIFIER.test(pattern) || BACKREFERENCE.test(pattern)) {
    throw new Error(
      `Pattern ${JSON.stringify(pattern)} has nested quantifiers or backreferences, which can take forever on ` +
        "large content. Use a simpler pattern, e.g. without a quantifier on a group.",
    );
  }
  const flags = options.ignoreCase ? "iu" : "u";
  try {
    const regex = new RegExp(pattern, flags);
    return { test: (line) => regex.test(line), description: `regex /${pattern}/${flags}` };
  } catch {
    const needle = options.ignoreCase ? pattern.toLowerCase() : pattern;
    return {
      test: (line) => (options.ignoreCase ? line.toLowerCase() : line).includes(needle),
      description: `text "${pattern}" (not a valid regex, searched literally)`,
    };
  }
}
