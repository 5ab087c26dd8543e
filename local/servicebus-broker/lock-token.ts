import { randomUUID } from "node:crypto";

export interface LockToken {
  /** The token as the SDK shows it (`message.lockToken`) and sends it to `$management`. */
  token: string;
  /** The delivery tag: the same GUID in .NET byte order, which the SDK swaps back. */
  tag: Buffer;
}

export function newLockToken(): LockToken {
  const token = randomUUID();
  return { token, tag: swapGuidBytes(Buffer.from(token.replace(/-/g, ""), "hex")) };
}

/** .NET stores a GUID's first three fields little-endian; swapping is its own inverse. */
function swapGuidBytes(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt32LE(bytes.readUInt32BE(0), 0);
  out.writeUInt16LE(bytes.readUInt16BE(4), 4);
  out.writeUInt16LE(bytes.readUInt16BE(6), 6);
  return out;
}

/** A 16-byte AMQP uuid (as `$management` requests carry lock tokens) to its string form. */
export function uuidToString(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
