/**
 * Collects process output up to a byte budget: keeps the head and the tail (errors usually come last)
 * and counts what was dropped in between.
 */
export class OutputBuffer {
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);
  total = 0;

  constructor(
    private readonly headBytes: number,
    private readonly tailBytes: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.head.length < this.headBytes) {
      const room = this.headBytes - this.head.length;
      this.head = Buffer.concat([this.head, chunk.subarray(0, room)]);
      chunk = chunk.subarray(room);
    }
    if (chunk.length === 0) return;
    this.tail = Buffer.concat([this.tail, chunk]);
    if (this.tail.length > this.tailBytes) this.tail = this.tail.subarray(this.tail.length - this.tailBytes);
  }

  get truncated(): boolean {
    return this.total > this.head.length + this.tail.length;
  }

  text(): string {
    if (!this.truncated) return Buffer.concat([this.head, this.tail]).toString("utf8");
    const dropped = this.total - this.head.length - this.tail.length;
    return (
      `${this.head.toString("utf8")}\n\n[... output truncated: ${dropped} of ${this.total} bytes omitted; ` +
      `showing the first ${this.head.length} and last ${this.tail.length} bytes. Redirect to a file and grep it, ` +
      `or narrow the command ...]\n\n${this.tail.toString("utf8")}`
    );
  }
}
