/**
 * Masks known secrets in text that arrives in pieces (model deltas, a command's output chunks): a secret split
 * across two pieces ("sk-abc" + "def…") stands whole in neither, so masking each piece alone lets it through.
 * Each push returns what is safe to show now and holds back the longest tail that could still be the start of a
 * known secret; `flush` returns that tail when the stream ends.
 */
export class StreamRedactor {
  private held = "";

  /**
   * @param secrets the known values (read at every push: values learnt later count)
   * @param mask masks every whole known secret in a string
   */
  constructor(
    private readonly secrets: () => readonly string[],
    private readonly mask: (text: string) => string,
  ) {}

  /** Takes the next piece; returns the masked text that can be emitted now (possibly ""). */
  push(piece: string): string {
    const text = this.mask(this.held + piece);
    const keep = this.pendingPrefix(text);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** The rest, when the stream ends (a partial secret that never completed is not a secret). */
  flush(): string {
    const rest = this.held;
    this.held = "";
    return rest;
  }

  /** Length of the longest tail of `text` that is a proper prefix of some known secret. */
  private pendingPrefix(text: string): number {
    let longest = 0;
    for (const secret of this.secrets()) {
      const max = Math.min(secret.length - 1, text.length);
      for (let n = max; n > longest; n--) {
        if (text.endsWith(secret.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
