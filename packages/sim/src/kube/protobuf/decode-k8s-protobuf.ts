import { formatTimestamp } from '../kube-types.ts';
import type { FieldSpec } from './k8s-messages.ts';
import { DECODABLE_KINDS, MESSAGES } from './k8s-messages.ts';
import type { RawField } from './proto-reader.ts';
import { readFields, toSigned } from './proto-reader.ts';

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

export type DecodeResult = { ok: true; object: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Decodes an `application/vnd.kubernetes.protobuf` body — what kubectl's typed commands (`create namespace`,
 * `create deployment`, `create service`) send — into the JSON object the rest of the sim understands. The
 * envelope is the `k8s\0` magic and a runtime.Unknown {typeMeta, raw}; `raw` is decoded by the message schema
 * for its kind. Zero scalars are dropped, as JSON's omitempty drops them.
 */
export function decodeK8sProtobuf(body: Uint8Array): DecodeResult {
  if (body.length < 4 || MAGIC.some((byte, i) => body[i] !== byte)) return { ok: false, reason: 'missing the k8s protobuf magic prefix' };
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array | undefined;
  try {
    for (const field of readFields(body.subarray(4))) {
      if (field.number === 1 && field.bytes) {
        for (const typeField of readFields(field.bytes)) {
          if (typeField.number === 1 && typeField.bytes) apiVersion = utf8(typeField.bytes);
          if (typeField.number === 2 && typeField.bytes) kind = utf8(typeField.bytes);
        }
      } else if (field.number === 2 && field.bytes) {
        raw = field.bytes;
      }
    }
    const message = DECODABLE_KINDS[`${apiVersion}/${kind}`];
    if (!message || !raw) return { ok: false, reason: `${apiVersion}/${kind} protobuf bodies are not decoded by the sim` };
    return { ok: true, object: { apiVersion, kind, ...decodeMessage(raw, message) } };
  } catch (err) {
    return { ok: false, reason: `malformed protobuf body: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function decodeMessage(bytes: Uint8Array, messageName: string): Record<string, unknown> {
  const schema = MESSAGES[messageName] ?? {};
  const out: Record<string, unknown> = {};
  for (const field of readFields(bytes)) {
    const spec = schema[field.number];
    if (!spec) continue;
    const value = decodeValue(field, spec);
    if (value === undefined) continue;
    if (spec.inline) Object.assign(out, value);
    else if (spec.repeated) {
      const list = Array.isArray(out[spec.name]) ? (out[spec.name] as unknown[]) : [];
      list.push(value);
      out[spec.name] = list;
    } else if (typeof spec.type === 'object' && 'map' in spec.type) out[spec.name] = { ...(out[spec.name] as object | undefined), ...(value as object) };
    else out[spec.name] = value;
  }
  return out;
}

function decodeValue(field: RawField, spec: FieldSpec): unknown {
  const { type } = spec;
  const keep = (value: unknown, zero: unknown) => (value === zero && !spec.keepZero && !spec.repeated ? undefined : value);
  if (typeof type === 'object') {
    if (!field.bytes) return undefined;
    if ('message' in type) return decodeMessage(field.bytes, type.message);
    let key = '';
    let value: unknown = '';
    for (const entry of readFields(field.bytes)) {
      if (entry.number === 1 && entry.bytes) key = utf8(entry.bytes);
      if (entry.number === 2 && entry.bytes) value = type.map === 'string' ? utf8(entry.bytes) : type.map === 'bytes' ? Buffer.from(entry.bytes).toString('base64') : quantity(entry.bytes);
    }
    return { [key]: value };
  }
  switch (type) {
    case 'string':
      return keep(field.bytes ? utf8(field.bytes) : '', '');
    case 'int32':
    case 'int64':
      return keep(field.varint === undefined ? 0 : toSigned(field.varint), 0);
    case 'bool':
      return keep(field.varint !== undefined && field.varint !== 0n, false);
    case 'Time': {
      const seconds = readFields(field.bytes ?? new Uint8Array()).find((f) => f.number === 1)?.varint;
      return seconds === undefined || seconds === 0n ? undefined : formatTimestamp(toSigned(seconds) * 1000);
    }
    case 'IntOrString': {
      const parts = readFields(field.bytes ?? new Uint8Array());
      const isString = parts.find((f) => f.number === 1)?.varint === 1n;
      if (isString) return utf8(parts.find((f) => f.number === 3)?.bytes ?? new Uint8Array());
      const intVal = parts.find((f) => f.number === 2)?.varint;
      return intVal === undefined ? 0 : toSigned(intVal);
    }
    case 'Quantity':
      return quantity(field.bytes ?? new Uint8Array());
    default: {
      const never: never = type;
      return never;
    }
  }
}

function quantity(bytes: Uint8Array): string {
  const text = readFields(bytes).find((f) => f.number === 1)?.bytes;
  return text ? utf8(text) : '';
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}
