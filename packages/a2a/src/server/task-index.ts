/** What the index keeps of one task: enough to scope, filter, sort and page ListTasks without its file. */
export interface TaskIndexEntry {
  id: string;
  tenant: string;
  owner: string;
  contextId: string;
  /** TaskState number. */
  state: number;
  /** status.timestamp in ms since the epoch (0 when unknown). */
  time: number;
}

/** An index entry as read back: the context id is kept only as a hash. */
export type IndexedTask = Omit<TaskIndexEntry, "contextId">;

/** Where a listing continues: after the task with this (time, id) in newest-first order. */
export interface ListCursor {
  time: number;
  id: string;
}

const INITIAL_CAPACITY = 1024;
/** idLength of an id stored as the 16 bytes of a lower-case UUID (ids are at most 128 characters). */
export const PACKED_UUID = 255;
/** Longest id the store accepts (its id pattern), in bytes. */
export const MAX_ID_BYTES = 128;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Writes an id as the index stores it — a lower-case UUID as its 16 bytes, any other id (ASCII, see the
 * store's id pattern) as latin1 — and returns its length code (PACKED_UUID for a packed UUID).
 */
export function encodeId(id: string, out: Buffer, at = 0): number {
  if (id.length === 36 && UUID.test(id)) {
    out.write(id.replaceAll("-", ""), at, "hex");
    return PACKED_UUID;
  }
  out.write(id, at, "latin1");
  return id.length;
}

function unpackUuid(bytes: Buffer, start: number): string {
  const hex = bytes.toString("hex", start, start + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The task store's in-memory index, column by column in typed arrays so 100k tasks cost a few MB (a Map of
 * objects costs several times that): ids packed into one byte buffer (ids are ASCII, see the store's id
 * pattern) found through an open-addressing hash table, the context id as a 64-bit hash (a listing checks
 * the real one on the page it reads, so a collision, about one in four billion, can only inflate
 * `totalSize`), the scope (tenant + owner) as an index into a small table of strings.
 */
export class TaskIndex {
  private count = 0;
  private capacity = 0;
  private idBytes = Buffer.alloc(0);
  private idUsed = 0;
  private idStart = new Uint32Array(0);
  private idLength = new Uint8Array(0);
  private scope = new Uint32Array(0);
  private context = new Int32Array(0);
  private states = new Uint8Array(0);
  /**
   * status.timestamp as two small integers (time = hi * TIME_SPLIT + lo): compared and copied without a
   * boxed number per task, which, over 100k tasks, grew the young generation by megabytes.
   */
  private timeHi = new Int32Array(0);
  private timeLo = new Int32Array(0);
  /** slot + 1 per hash bucket (0 = empty); deleted slots are reused only by a rebuild. */
  private table = new Int32Array(0);
  private live = new Uint8Array(0);
  private liveCount = 0;
  private readonly scopes: string[] = [];
  private readonly scopeIds = new Map<string, number>();
  /** An id being looked up, encoded as it is stored. */
  private readonly scratch = Buffer.alloc(MAX_ID_BYTES);

  /** `expected`: about how many tasks will be indexed (sizes the arrays once instead of growing them). */
  constructor(expected = 0) {
    this.grow(Math.max(INITIAL_CAPACITY, Math.ceil(expected * 1.1)));
  }

  /** Makes room for `n` entries in all (a no-op when there is room already). */
  reserve(n: number): void {
    if (n > this.capacity) this.grow(n);
    if (n * 16 > this.idBytes.length) {
      const bigger = Buffer.alloc(n * 16);
      this.idBytes.copy(bigger, 0, 0, this.idUsed);
      this.idBytes = bigger;
    }
  }

  get size(): number {
    return this.liveCount;
  }

  /** Adds or updates a task's entry. */
  set(entry: TaskIndexEntry): void {
    const code = encodeId(entry.id, this.scratch);
    this.setEncoded(
      this.scratch,
      0,
      code,
      this.scopeId(entry.tenant, entry.owner),
      hash32(entry.contextId, CONTEXT_SEED),
      entry.state,
      timeHigh(entry.time),
      timeLow(entry.time),
    );
  }

  /**
   * Adds or updates an entry from its stored form (the index file): the id as encoded in `bytes` at `start`
   * (`code` = its length, or PACKED_UUID), the scope from {@link scopeId}, the context id's hash.
   */
  setEncoded(
    bytes: Buffer,
    start: number,
    code: number,
    scope: number,
    contextHash: number,
    state: number,
    hi: number,
    lo: number,
  ): void {
    let slot = this.findEncoded(bytes, start, code);
    if (slot < 0) {
      if (this.count === this.capacity) this.grow(Math.ceil(this.capacity * 1.5));
      slot = this.count++;
      this.storeId(slot, bytes, start, code);
      this.insertIntoTable(slot);
      this.live[slot] = 1;
      this.liveCount++;
    }
    this.scope[slot] = scope;
    this.context[slot] = contextHash;
    this.states[slot] = state;
    this.timeHi[slot] = hi;
    this.timeLo[slot] = lo;
  }

  /** Every live entry in its stored form (for rewriting the index file), without building objects. */
  forEachEncoded(
    visit: (
      bytes: Buffer,
      start: number,
      code: number,
      scope: string,
      contextHash: number,
      state: number,
      hi: number,
      lo: number,
    ) => void,
  ): void {
    for (let slot = 0; slot < this.count; slot++) {
      if (!this.live[slot]) continue;
      visit(
        this.idBytes,
        this.idStart[slot]!,
        this.idLength[slot]!,
        this.scopes[this.scope[slot]!]!,
        this.context[slot]!,
        this.states[slot]!,
        this.timeHi[slot]!,
        this.timeLo[slot]!,
      );
    }
  }

  /** Deletes an entry given in its stored form. */
  deleteEncoded(bytes: Buffer, start: number, code: number): void {
    const slot = this.findEncoded(bytes, start, code);
    if (slot >= 0) this.deleteSlot(slot);
  }

  /** Removes a task's entry (its slot is reclaimed by the next `compact()`). */
  delete(id: string): boolean {
    const slot = this.find(id);
    if (slot < 0) return false;
    this.deleteSlot(slot);
    return true;
  }

  private deleteSlot(slot: number): void {
    this.live[slot] = 0;
    this.liveCount--;
    this.removeFromTable(slot);
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  get(id: string): IndexedTask | undefined {
    const slot = this.find(id);
    return slot < 0 ? undefined : this.entryAt(slot);
  }

  /** Ids of the entries whose state `match` approves (and, with `before`, whose time is earlier). */
  idsWhere(match: (state: number) => boolean, before?: number): string[] {
    const hi = before === undefined ? 0 : timeHigh(before);
    const lo = before === undefined ? 0 : timeLow(before);
    const ids: string[] = [];
    for (let slot = 0; slot < this.count; slot++) {
      if (!this.live[slot] || !match(this.states[slot]!)) continue;
      if (before !== undefined && this.compareTime(slot, hi, lo) >= 0) continue;
      ids.push(this.idAt(slot));
    }
    return ids;
  }

  /** The `n` oldest entries `match(state)` approves, oldest first. */
  oldestWhere(match: (state: number) => boolean, n: number): string[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.count; slot++) {
      if (this.live[slot] && match(this.states[slot]!)) slots.push(slot);
    }
    return selectFirst(slots, n, (a, b) => this.olderFirst(a, b)).map((slot) => this.idAt(slot));
  }

  /**
   * Ids of the tasks in one scope matching the filters, newest status first (ties by id, descending),
   * starting after `cursor`: at most `limit` of them, plus how many match in total.
   */
  list(
    filter: { tenant: string; owner: string; contextId?: string; state?: number; after?: number },
    cursor: ListCursor | undefined,
    limit: number,
  ): { ids: string[]; total: number; more: boolean } {
    const scope = this.scopeIds.get(scopeKey(filter.tenant, filter.owner));
    if (scope === undefined) return { ids: [], total: 0, more: false };
    const contextHash = filter.contextId ? hash32(filter.contextId, CONTEXT_SEED) : 0;
    const newerFirst = (a: number, b: number) => this.olderFirst(b, a) || this.compareIds(b, a);
    const afterHi = filter.after === undefined ? 0 : timeHigh(filter.after);
    const afterLo = filter.after === undefined ? 0 : timeLow(filter.after);
    const cursorHi = cursor ? timeHigh(cursor.time) : 0;
    const cursorLo = cursor ? timeLow(cursor.time) : 0;
    // One pass, keeping only the best `limit + 1` (no array of every match: 100k tasks would make one).
    const page: number[] = [];
    let total = 0;
    for (let slot = 0; slot < this.count; slot++) {
      if (!this.live[slot] || this.scope[slot] !== scope) continue;
      if (filter.contextId && this.context[slot] !== contextHash) continue;
      if (filter.state !== undefined && this.states[slot] !== filter.state) continue;
      if (filter.after !== undefined && this.compareTime(slot, afterHi, afterLo) < 0) continue;
      total++;
      if (cursor) {
        const order = this.compareTime(slot, cursorHi, cursorLo);
        if (order > 0 || (order === 0 && this.compareIdTo(slot, cursor.id) >= 0)) continue;
      }
      insertBounded(page, slot, limit + 1, newerFirst);
    }
    const more = page.length > limit;
    return { ids: page.slice(0, limit).map((slot) => this.idAt(slot)), total, more };
  }

  private entryAt(slot: number): IndexedTask {
    const [tenant, owner] = splitScope(this.scopes[this.scope[slot]!]!);
    return {
      id: this.idAt(slot),
      tenant,
      owner,
      state: this.states[slot]!,
      time: this.timeHi[slot]! * TIME_SPLIT + this.timeLo[slot]!,
    };
  }

  /** Sign of (the slot's time − hi/lo). */
  private compareTime(slot: number, hi: number, lo: number): number {
    return this.timeHi[slot]! - hi || this.timeLo[slot]! - lo;
  }

  /** Negative when slot `a`'s time is earlier than `b`'s. */
  private olderFirst(a: number, b: number): number {
    return this.timeHi[a]! - this.timeHi[b]! || this.timeLo[a]! - this.timeLo[b]!;
  }

  private idAt(slot: number): string {
    const start = this.idStart[slot]!;
    const length = this.idLength[slot]!;
    if (length === PACKED_UUID) return unpackUuid(this.idBytes, start);
    return this.idBytes.toString("latin1", start, start + length);
  }

  private compareIds(a: number, b: number): number {
    const x = this.idAt(a);
    const y = this.idAt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private compareIdTo(slot: number, id: string): number {
    const x = this.idAt(slot);
    return x < id ? -1 : x > id ? 1 : 0;
  }

  private find(id: string): number {
    return this.findEncoded(this.scratch, 0, encodeId(id, this.scratch));
  }

  private findEncoded(bytes: Buffer, start: number, code: number): number {
    const size = code === PACKED_UUID ? 16 : code;
    const mask = this.table.length - 1;
    for (let bucket = hashBytes(bytes, start, size) & mask; ; bucket = (bucket + 1) & mask) {
      const value = this.table[bucket]!;
      if (value === 0) return -1;
      if (value > 0 && this.idLength[value - 1] === code && this.sameBytes(value - 1, bytes, start, size))
        return value - 1;
    }
  }

  /** Byte by byte: ids are short, and a native compare per probe costs more than the loop. */
  private sameBytes(slot: number, bytes: Buffer, start: number, size: number): boolean {
    const ids = this.idBytes;
    const at = this.idStart[slot]!;
    for (let i = 0; i < size; i++) if (ids[at + i] !== bytes[start + i]) return false;
    return true;
  }

  private hashOfSlot(slot: number): number {
    const code = this.idLength[slot]!;
    return hashBytes(this.idBytes, this.idStart[slot]!, code === PACKED_UUID ? 16 : code);
  }

  private insertIntoTable(slot: number): void {
    const mask = this.table.length - 1;
    let bucket = this.hashOfSlot(slot) & mask;
    while (this.table[bucket]! > 0) bucket = (bucket + 1) & mask;
    this.table[bucket] = slot + 1;
  }

  /** Marks the slot's bucket deleted (-1) so probing continues past it. */
  private removeFromTable(slot: number): void {
    const mask = this.table.length - 1;
    for (let bucket = this.hashOfSlot(slot) & mask; ; bucket = (bucket + 1) & mask) {
      const value = this.table[bucket]!;
      if (value === 0) return;
      if (value === slot + 1) {
        this.table[bucket] = -1;
        return;
      }
    }
  }

  private storeId(slot: number, bytes: Buffer, start: number, code: number): void {
    const size = code === PACKED_UUID ? 16 : code;
    if (this.idUsed + size > this.idBytes.length) {
      const bigger = Buffer.alloc(
        Math.max(Math.ceil(this.idBytes.length * 1.5), this.idUsed + size, 64 * 1024),
      );
      this.idBytes.copy(bigger, 0, 0, this.idUsed);
      this.idBytes = bigger;
    }
    // A loop, not Buffer#copy: that creates a view object per call (100k of them when an index loads).
    const ids = this.idBytes;
    for (let i = 0; i < size; i++) ids[this.idUsed + i] = bytes[start + i]!;
    this.idStart[slot] = this.idUsed;
    this.idLength[slot] = code;
    this.idUsed += size;
  }

  scopeId(tenant: string, owner: string): number {
    return this.scopeOfKey(scopeKey(tenant, owner));
  }

  /** The number of a scope given as `tenant + "\0" + owner` (the index file's form). */
  scopeOfKey(key: string): number {
    let id = this.scopeIds.get(key);
    if (id === undefined) {
      id = this.scopes.length;
      this.scopes.push(key);
      this.scopeIds.set(key, id);
    }
    return id;
  }

  private grow(capacity: number): void {
    const copy = <T extends Uint8Array | Uint32Array | Int32Array>(old: T, next: T): T => {
      next.set(old.subarray(0, Math.min(old.length, next.length)));
      return next;
    };
    this.idStart = copy(this.idStart, new Uint32Array(capacity));
    this.idLength = copy(this.idLength, new Uint8Array(capacity));
    this.scope = copy(this.scope, new Uint32Array(capacity));
    this.context = copy(this.context, new Int32Array(capacity));
    this.states = copy(this.states, new Uint8Array(capacity));
    this.timeHi = copy(this.timeHi, new Int32Array(capacity));
    this.timeLo = copy(this.timeLo, new Int32Array(capacity));
    this.live = copy(this.live, new Uint8Array(capacity));
    this.capacity = capacity;
    // The hash table stays at most three quarters full.
    this.table = new Int32Array(nextPowerOfTwo(Math.ceil((capacity * 4) / 3)));
    for (let slot = 0; slot < this.count; slot++) if (this.live[slot]) this.insertIntoTable(slot);
  }
}

function scopeKey(tenant: string, owner: string): string {
  return `${tenant}\u0000${owner}`;
}

function splitScope(key: string): [string, string] {
  const at = key.indexOf("\u0000");
  return [key.slice(0, at), key.slice(at + 1)];
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** FNV-1a over bytes, 32 bits (ids, as the index stores them). */
export function hashBytes(bytes: Buffer, start: number, length: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0; // signed: a small integer, never a boxed number
}

/** FNV-1a over UTF-16 code units, 32 bits (context ids). */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Times are kept as `hi * TIME_SPLIT + lo`, both small integers (ms since the epoch / 1e6 and the rest). */
export const TIME_SPLIT = 1_000_000;
export const timeHigh = (time: number): number => Math.floor(time / TIME_SPLIT);
export const timeLow = (time: number): number =>
  Math.round(time - Math.floor(time / TIME_SPLIT) * TIME_SPLIT);

/** Seed of the context-id hash (independent of the id hash). */
export const CONTEXT_SEED = 0x9747b28c;

/** Inserts `item` into `best` (sorted by `order`, at most `n` long) if it is among the first `n`. */
function insertBounded(
  best: number[],
  item: number,
  n: number,
  order: (a: number, b: number) => number,
): void {
  if (best.length === n && order(item, best[n - 1]!) >= 0) return;
  // Shifts in place (no splice: it allocates an array per call, 100k of them for a listing of 100k tasks).
  let at = best.length < n ? best.length : n - 1;
  if (best.length < n) best.push(item);
  while (at > 0 && order(item, best[at - 1]!) < 0) {
    best[at] = best[at - 1]!;
    at--;
  }
  best[at] = item;
}

/** The first `n` items in `order` without sorting them all (a page of 100 out of 100k). */
function selectFirst(items: number[], n: number, order: (a: number, b: number) => number): number[] {
  if (items.length <= n * 4) return items.sort(order).slice(0, n);
  const best: number[] = [];
  for (const item of items) {
    if (best.length < n) {
      best.push(item);
      if (best.length === n) best.sort(order);
      continue;
    }
    if (order(item, best[n - 1]!) >= 0) continue;
    let at = n - 1;
    while (at > 0 && order(item, best[at - 1]!) < 0) at--;
    best.splice(at, 0, item);
    best.pop();
  }
  return best.length < n ? best.sort(order) : best;
}
