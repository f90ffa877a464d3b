/**
 * Minimal GGUF v3 encoder (ggml docs/gguf.md): header, metadata key/values, tensor infos,
 * then tensor data, each padded to `general.alignment`. Little-endian throughout.
 */

/** GGUF metadata value types. */
export const GgufType = {
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
} as const;

export type GgufScalarType = (typeof GgufType)[Exclude<keyof typeof GgufType, "ARRAY">];

export type GgufKeyValue =
  | { key: string; type: GgufScalarType; value: number | boolean | string }
  | { key: string; type: typeof GgufType.ARRAY; elementType: GgufScalarType; value: (number | string)[] };

/** ggml tensor element types used here. */
export const GgmlType = { F32: 0, F16: 1 } as const;

export interface GgufTensor {
  name: string;
  /** Dimensions in ggml order: `ne[0]` is the contiguous one. */
  ne: number[];
  type: (typeof GgmlType)[keyof typeof GgmlType];
  data: Buffer;
}

class ByteWriter {
  private readonly chunks: Buffer[] = [];
  size = 0;

  push(buf: Buffer): void {
    this.chunks.push(buf);
    this.size += buf.length;
  }
  u8(v: number): void {
    this.push(Buffer.from([v & 0xff]));
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v | 0);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, "utf8");
    this.u64(b.length);
    this.push(b);
  }
  pad(align: number): void {
    const rest = this.size % align;
    if (rest) this.push(Buffer.alloc(align - rest));
  }
  scalar(type: GgufScalarType, v: number | boolean | string): void {
    if (type === GgufType.UINT32) this.u32(Number(v));
    else if (type === GgufType.INT32) this.i32(Number(v));
    else if (type === GgufType.FLOAT32) this.f32(Number(v));
    else if (type === GgufType.BOOL) this.u8(v ? 1 : 0);
    else this.str(String(v));
  }
  result(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Encodes a whole GGUF v3 file. Tensor offsets are the running padded sizes, as llama.cpp requires. */
export function encodeGguf(kvs: GgufKeyValue[], tensors: GgufTensor[], alignment = 32): Buffer {
  const w = new ByteWriter();
  w.push(Buffer.from("GGUF", "ascii"));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kvs.length);
  for (const kv of kvs) {
    w.str(kv.key);
    w.u32(kv.type);
    if (kv.type === GgufType.ARRAY) {
      w.u32(kv.elementType);
      w.u64(kv.value.length);
      for (const item of kv.value) w.scalar(kv.elementType, item);
    } else {
      w.scalar(kv.type, kv.value);
    }
  }
  let offset = 0;
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.ne.length);
    for (const d of t.ne) w.u64(d);
    w.u32(t.type);
    w.u64(offset);
    offset += Math.ceil(t.data.length / alignment) * alignment;
  }
  w.pad(alignment);
  for (const t of tensors) {
    w.push(t.data);
    w.pad(alignment);
  }
  return w.result();
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** float32 → IEEE half bits, round to nearest even. */
export function toHalf(v: number): number {
  f32buf[0] = v;
  const x = u32buf[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (exp >= 0x1f) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = sign | (exp << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return h;
}
