/** What the content is; decides how it is chunked. */
export type ContentType = "code" | "logs" | "conversation" | "documents";

const LOG_LINE =
  /^\s*(\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?|\[?\d{2}:\d{2}:\d{2}[.,\]\s]|[A-Z][a-z]{2}\s+\d{1,2}\s\d{2}:\d{2}:\d{2}|\d{10}(\.\d+)?\s)|\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\b[:\]\s]/;
const CODE_LINE =
  /^\s*(import\s|export\s|from\s\S+\simport|def\s|class\s|fn\s|pub\s|impl\s|struct\s|enum\s|interface\s|function\s|const\s|let\s|var\s|package\s|#include|use\s|return\b|if\s*\(|for\s*\(|while\s*\(|}\s*$|\/\/|\/\*|\*\s)/;
export const TURN_LINE =
  /^\s*(\[?(user|assistant|human|ai|system|tool|bot|customer|agent)\]?\s*:|#{2,3}\s*(user|assistant|human)\b|<\|(user|assistant|system)\|>|>>>\s)/i;
const DOC_LINE = /^(#{1,6}\s+\S|={3,}\s*$|-{3,}\s*$|\s*[-*+]\s+\S|\s*\d+\.\s+\S)/;

/**
 * Detects the content type from a sample of lines: counts indicator lines per type and picks the
 * clear winner (over 30% of all indicators), checking conversation, logs, code, then documents;
 * prose without indicators is `documents`.
 */
export function detectContentType(lines: readonly string[]): ContentType {
  const counts: Record<ContentType, number> = { conversation: 0, logs: 0, code: 0, documents: 0 };
  for (const line of lines) {
    if (!line.trim()) continue;
    if (TURN_LINE.test(line)) counts.conversation++;
    else if (LOG_LINE.test(line)) counts.logs++;
    else if (CODE_LINE.test(line)) counts.code++;
    else if (DOC_LINE.test(line)) counts.documents++;
  }
  const total = counts.conversation + counts.logs + counts.code + counts.documents;
  if (total === 0) return "documents";
  // Strictly greater: on a tie the earlier type in this order wins.
  let best: ContentType = "conversation";
  for (const type of ["logs", "code", "documents"] as const) if (counts[type] > counts[best]) best = type;
  return counts[best] / total > 0.3 ? best : "documents";
}
