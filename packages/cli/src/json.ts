/**
 * The one converter from decoded `@oaklog/isakmp` values to JSON-safe values: bytes as lowercase hex strings, bigints
 * as decimal strings, and next to each registry number its name (`exchangeType` and `exchangeTypeName`, a payload's
 * `type` and `typeName`, a notify's `messageType` and `messageTypeName`, attributes by their proposal's protocol...).
 * `oaklog decode --json` writes what it returns; the text tree (`tree`) is printed from the same value, so the two
 * never disagree.
 */
import { toHex } from '@oaklog/crypto';
import {
  attributeName,
  attributeValueName,
  cfgAttributeName,
  cfgMessageTypeName,
  doiName,
  exchangeTypeName,
  HeaderFlag,
  Ikev2HeaderFlag,
  idTypeName,
  ikev2ExchangeTypeName,
  ikev2NotifyTypeName,
  ikev2PayloadTypeName,
  notifyTypeName,
  payloadTypeName,
  protocolIdName,
  transformIdName,
} from '@oaklog/isakmp';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a value sits: which registries name its numbers. */
interface Context {
  /** IKE major version: IKEv2 numbers are named from RFC 7296's registries. */
  readonly version: 1 | 2;
  /** What the object is: a payload, a transform, an attribute, a header. */
  readonly what?: 'header' | 'payload' | 'proposal' | 'transform' | 'attribute' | 'cfg-attribute';
  /** The protocol of the proposal (transform IDs and attribute types are named per protocol). */
  readonly protocolId?: number;
}

function lookup(map: ReadonlyMap<number, string>, value: number): string | undefined {
  return map.get(value);
}

/** Header flag names, in bit order. */
function flagNames(flags: number, version: 1 | 2): string[] {
  const registry: Record<string, number> = version === 2 ? Ikev2HeaderFlag : HeaderFlag;
  return Object.entries(registry)
    .filter(([, bit]) => typeof bit === 'number' && (flags & bit) !== 0)
    .map(([name]) => name);
}

/** The name of the number `value` at `key` of an object in `ctx`, if a registry has one. */
function nameOf(key: string, value: number, ctx: Context, object: Record<string, unknown>): string | undefined {
  const v2 = ctx.version === 2;
  switch (key) {
    case 'exchangeType':
      return lookup(v2 ? ikev2ExchangeTypeName : exchangeTypeName, value);
    case 'nextPayload':
    case 'firstPayload':
      return lookup(v2 ? ikev2PayloadTypeName : payloadTypeName, value);
    case 'type':
      if (ctx.what === 'payload') return lookup(v2 ? ikev2PayloadTypeName : payloadTypeName, value);
      if (ctx.what === 'attribute' && ctx.protocolId !== undefined) return attributeName(ctx.protocolId, value);
      if (ctx.what === 'cfg-attribute') return lookup(cfgAttributeName, value);
      return undefined;
    case 'messageType':
      if (ctx.what === 'payload' && object.type === 14) return lookup(cfgMessageTypeName, value);
      return lookup(v2 ? ikev2NotifyTypeName : notifyTypeName, value);
    case 'protocolId':
      return lookup(protocolIdName, value);
    case 'doi':
      return lookup(doiName, value);
    case 'idType':
      return lookup(idTypeName, value);
    case 'id':
      return ctx.what === 'transform' && ctx.protocolId !== undefined
        ? transformIdName(ctx.protocolId, value)
        : undefined;
    case 'value':
      return ctx.what === 'attribute' && ctx.protocolId !== undefined && typeof object.type === 'number'
        ? attributeValueName(ctx.protocolId, object.type, value)
        : undefined;
    default:
      return undefined;
  }
}

/** The context of the values inside `key` of an object in `ctx`. */
function inner(key: string, ctx: Context, object: Record<string, unknown>): Context {
  const protocolId = typeof object.protocolId === 'number' ? object.protocolId : ctx.protocolId;
  switch (key) {
    case 'header':
      return { version: ctx.version, what: 'header' };
    case 'payloads':
      return { version: ctx.version, what: 'payload' };
    case 'proposals':
      return { version: ctx.version, what: 'proposal' };
    case 'transforms':
      return { version: ctx.version, what: 'transform', ...(protocolId === undefined ? {} : { protocolId }) };
    case 'attributes':
      if (ctx.what === 'payload' && object.type === 14) return { version: ctx.version, what: 'cfg-attribute' };
      return { version: ctx.version, what: 'attribute', ...(protocolId === undefined ? {} : { protocolId }) };
    default:
      return { version: ctx.version, ...(protocolId === undefined ? {} : { protocolId }) };
  }
}

/**
 * `value` as JSON: `Uint8Array` → hex string, `bigint` → decimal string, `undefined` left out, and each number a
 * registry names followed by `<key>Name` (header `flags` by `flagNames`). `what` says what `value` is.
 */
export function toJson(value: unknown, ctx: Context = { version: 1 }): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((x) => toJson(x, ctx));
  if (typeof value !== 'object') return String(value);
  const object = value as Record<string, unknown>;
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(object)) {
    if (v === undefined || typeof v === 'function') continue;
    // Only objects and arrays read the context: a scalar's is not made (most keys of a decoded message are scalars).
    out[key] = toJson(
      v,
      typeof v === 'object' && v !== null && !(v instanceof Uint8Array) ? inner(key, ctx, object) : ctx,
    );
    if (typeof v === 'number') {
      if (key === 'flags' && ctx.what === 'header') out.flagNames = flagNames(v, ctx.version);
      else {
        const name = nameOf(key, v, ctx, object);
        if (name !== undefined) out[`${key}Name`] = name;
      }
    }
  }
  return out;
}

/** JSON of a decoded header (IKEv1 or IKEv2). */
export function headerJson(header: object, version: 1 | 2): Json {
  return toJson(header, { version, what: 'header' });
}

/** JSON of a payload chain (IKEv1 or IKEv2). */
export function payloadsJson(payloads: readonly object[], version: 1 | 2): Json[] {
  return payloads.map((p) => toJson(p, { version, what: 'payload' }));
}

function scalar(value: Json): string {
  return typeof value === 'string' ? (value === '' ? '(empty)' : value) : JSON.stringify(value);
}

/**
 * The indented text tree of a JSON value, as `tshark -V` shows a packet: `key: value` a line, a number followed by its
 * name shown as `NAME (number)`, each object and array item indented under its key (payloads titled by type name).
 */
export function tree(value: Json, indent = '    ', depth = 1): string[] {
  const lines: string[] = [];
  treeInto(value, indent, indent.repeat(depth), lines);
  return lines;
}

/** `tree`'s lines of `value` at the indentation `pad`, added to `lines` (one list for the whole tree, not one a level). */
function treeInto(value: Json, indent: string, pad: string, lines: string[]): void {
  if (Array.isArray(value)) {
    const deeper = pad + indent;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as Json;
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
        const title = item.typeName ?? item.type;
        lines.push(`${pad}[${i}]${title === undefined ? '' : ` ${scalar(title)}`}`);
        treeInto(item, indent, deeper, lines);
      } else lines.push(`${pad}[${i}] ${scalar(item)}`);
    }
    return;
  }
  if (value === null || typeof value !== 'object') {
    lines.push(`${pad}${scalar(value)}`);
    return;
  }
  for (const key in value) {
    if (key.endsWith('Name') && key !== 'Name' && key.slice(0, -4) in value) continue;
    const v = value[key] as Json;
    const name = key === 'flags' ? value.flagNames : value[`${key}Name`];
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v) && v.length === 0) lines.push(`${pad}${key}: (none)`);
      else {
        lines.push(`${pad}${key}:`);
        treeInto(v, indent, pad + indent, lines);
      }
    } else if (name !== undefined && name !== null)
      lines.push(`${pad}${key}: ${Array.isArray(name) ? name.join(', ') || '(none)' : scalar(name)} (${scalar(v)})`);
    else lines.push(`${pad}${key}: ${scalar(v)}`);
  }
}
