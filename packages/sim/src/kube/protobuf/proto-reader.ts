/** One raw protobuf field: its number, and either a varint / fixed value or the bytes of a length-delimited one. */
export interface RawField {
  number: number;
  wireType: 0 | 1 | 2 | 5;
  varint?: bigint;
  bytes?: Uint8Array;
}

/** Splits a protobuf message into its fields (wire format only; meaning comes from a schema). */
export function readFields(buffer: Uint8Array): RawField[] {
  const fields: RawField[] = [];
  let offset = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (offset >= buffer.length) throw new Error('truncated varint');
      const byte = buffer[offset] ?? 0;
      offset += 1;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  };
  while (offset < buffer.length) {
    const key = Number(readVarint());
    const number = key >>> 3;
    const wireType = key & 7;
    switch (wireType) {
      case 0:
        fields.push({ number, wireType, varint: readVarint() });
        break;
      case 1:
        fields.push({ number, wireType, bytes: buffer.subarray(offset, offset + 8) });
        offset += 8;
        break;
      case 2: {
        const length = Number(readVarint());
        if (offset + length > buffer.length) throw new Error('truncated length-delimited field');
        fields.push({ number, wireType, bytes: buffer.subarray(offset, offset + length) });
        offset += length;
        break;
      }
      case 5:
        fields.push({ number, wireType, bytes: buffer.subarray(offset, offset + 4) });
        offset += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

/** A varint as a signed 64-bit number (int32/int64 fields encode negatives as 10-byte two's complement). */
export function toSigned(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}
