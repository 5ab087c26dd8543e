// Just enough of the AMQP 1.0 type system to split a message into its sections and rebuild the
// header and annotations without touching the other bytes (re-encoding a decoded message loses types).

export const SECTION = {
  header: 0x70,
  deliveryAnnotations: 0x71,
  messageAnnotations: 0x72,
  properties: 0x73,
  applicationProperties: 0x74,
  data: 0x75,
  footer: 0x78,
} as const;

export interface Section {
  code: number;
  /** The whole section, descriptor included. */
  bytes: Buffer;
  /** The described value only. */
  value: Buffer;
}

function need(buf: Buffer, end: number): number {
  if (end > buf.length) throw new Error("truncated AMQP value");
  return end;
}

/** Offset just past the encoded value starting at `pos`. */
function skipValue(buf: Buffer, pos: number): number {
  const code = buf[pos];
  if (code === undefined) throw new Error("truncated AMQP value");
  if (code === 0x00) return skipValue(buf, skipValue(buf, pos + 1));
  const fixed = [0, 1, 2, 4, 8, 16][(code >> 4) - 4];
  if (fixed !== undefined) return need(buf, pos + 1 + fixed);
  if ((code & 0xf0) === 0xa0 || (code & 0xf0) === 0xc0 || (code & 0xf0) === 0xe0) {
    need(buf, pos + 2);
    return need(buf, pos + 2 + (buf[pos + 1] ?? 0));
  }
  if ((code & 0xf0) === 0xb0 || (code & 0xf0) === 0xd0 || (code & 0xf0) === 0xf0) {
    need(buf, pos + 5);
    return need(buf, pos + 5 + buf.readUInt32BE(pos + 1));
  }
  throw new Error(`unknown AMQP type code 0x${code.toString(16)}`);
}

export function splitSections(buf: Buffer): Section[] {
  const sections: Section[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] !== 0x00) throw new Error("message section is not described");
    const descEnd = skipValue(buf, pos + 1);
    const end = skipValue(buf, descEnd);
    sections.push({
      code: descriptorCode(buf, pos + 1),
      bytes: buf.subarray(pos, end),
      value: buf.subarray(descEnd, end),
    });
    pos = end;
  }
  return sections;
}

function descriptorCode(buf: Buffer, pos: number): number {
  const code = buf[pos];
  if (code === 0x53) return buf[pos + 1] ?? -1;
  if (code === 0x80) return Number(buf.readBigUInt64BE(pos + 1) & 0xffffffffn);
  return -1;
}

/** Items of a list or map value (a map yields key, value, key, value...). */
export function compoundItems(value: Buffer): Buffer[] {
  const code = value[0];
  let count: number;
  let pos: number;
  if (code === 0x45) return [];
  if (code === 0xc0 || code === 0xc1) {
    count = value[2] ?? 0;
    pos = 3;
  } else if (code === 0xd0 || code === 0xd1) {
    count = value.readUInt32BE(5);
    pos = 9;
  } else {
    throw new Error(`not a list or map: 0x${code?.toString(16)}`);
  }
  const items: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const end = skipValue(value, pos);
    items.push(value.subarray(pos, end));
    pos = end;
  }
  return items;
}

/** A string or symbol value, else undefined. */
function readString(buf: Buffer, pos = 0): string | undefined {
  const code = buf[pos];
  if (code === 0xa1 || code === 0xa3) return buf.toString("utf8", pos + 2, pos + 2 + (buf[pos + 1] ?? 0));
  if (code === 0xb1 || code === 0xb3)
    return buf.toString("utf8", pos + 5, pos + 5 + buf.readUInt32BE(pos + 1));
  return undefined;
}

/** Key/value pairs of a map value, keys decoded. */
export function mapEntries(value: Buffer): Array<[string, Buffer]> {
  const items = compoundItems(value);
  const entries: Array<[string, Buffer]> = [];
  for (let i = 0; i + 1 < items.length; i += 2) {
    const key = items[i];
    const val = items[i + 1];
    if (key && val) entries.push([readString(key) ?? key.toString("hex"), val]);
  }
  return entries;
}

function compound(code: number, items: Buffer[]): Buffer {
  const body = Buffer.concat(items);
  const head = Buffer.alloc(9);
  head[0] = code;
  head.writeUInt32BE(body.length + 4, 1);
  head.writeUInt32BE(items.length, 5);
  return Buffer.concat([head, body]);
}

export const encode = {
  list: (items: Buffer[]): Buffer => compound(0xd0, items),
  map: (entries: Array<[string, Buffer]>, symbolKeys: boolean): Buffer =>
    compound(
      0xd1,
      entries.flatMap(([k, v]) => [symbolKeys ? encode.symbol(k) : encode.string(k), v]),
    ),
  section: (code: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([0x00, 0x53, code]), value]),
  null: (): Buffer => Buffer.from([0x40]),
  boolean: (b: boolean): Buffer => Buffer.from([b ? 0x41 : 0x42]),
  uint: (n: number): Buffer => fixed(0x70, 4, (b) => b.writeUInt32BE(n, 1)),
  int: (n: number): Buffer => fixed(0x71, 4, (b) => b.writeInt32BE(n, 1)),
  long: (n: number): Buffer => fixed(0x81, 8, (b) => b.writeBigInt64BE(BigInt(n), 1)),
  double: (n: number): Buffer => fixed(0x82, 8, (b) => b.writeDoubleBE(n, 1)),
  timestamp: (ms: number): Buffer => fixed(0x83, 8, (b) => b.writeBigInt64BE(BigInt(ms), 1)),
  string: (s: string): Buffer => variable(0xa1, Buffer.from(s, "utf8")),
  symbol: (s: string): Buffer => variable(0xa3, Buffer.from(s, "ascii")),
  binary: (b: Buffer): Buffer => variable(0xa0, b),
  /** Best effort for values that arrive decoded (properties to modify). */
  value(v: unknown): Buffer {
    if (typeof v === "string") return encode.string(v);
    if (typeof v === "boolean") return encode.boolean(v);
    if (typeof v === "number") {
      return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? encode.int(v) : encode.double(v);
    }
    if (v instanceof Date) return encode.timestamp(v.getTime());
    if (Buffer.isBuffer(v)) return encode.binary(v);
    if (v === null || v === undefined) return encode.null();
    return encode.string(JSON.stringify(v));
  },
};

function fixed(code: number, width: number, write: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(1 + width);
  b[0] = code;
  write(b);
  return b;
}

function variable(code8: number, data: Buffer): Buffer {
  if (data.length <= 255) return Buffer.concat([Buffer.from([code8, data.length]), data]);
  const head = Buffer.alloc(5);
  head[0] = code8 + 0x10;
  head.writeUInt32BE(data.length, 1);
  return Buffer.concat([head, data]);
}
