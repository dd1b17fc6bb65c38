/**
 * The codec's contract, checked on one datagram: decoding throws nothing but `DecodeError` (with a known code and
 * an offset inside the input), and whatever decodes re-encodes to exactly the input bytes, at any offset, with
 * `encodingLength` agreeing. An encrypted body is also decoded as if it were plaintext, so the payload decoders
 * see the bytes of every captured encrypted message too.
 */
import { equalBytes } from '@oaklog/common';
import {
  attributeNumber,
  type DataAttribute,
  DecodeError,
  decode,
  decodePlaintext,
  encode,
  encodeInto,
  encodePlaintext,
  encodingLength,
  idData,
  idValue,
  type Message,
  numberAttribute,
  type Payload,
  transformAttributes,
} from '@oaklog/isakmp';
import { CODE_SHAPE, ContractViolation, check, firstDifference, hex } from './bytes';

/** Runs `fn`; returns its result, or undefined when it threw a well-formed `DecodeError` about `input`. */
export function decodeOrError<T>(input: Uint8Array, offset: number, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof DecodeError)) {
      throw new ContractViolation(`decode threw ${describe(error)} instead of a DecodeError`, { cause: error });
    }
    check(CODE_SHAPE.test(error.code), () => `DecodeError with code ${error.code}`);
    check(
      Number.isInteger(error.offset) && error.offset >= offset && error.offset <= input.length,
      () => `DecodeError ${error.code} offset ${error.offset} outside [${offset}, ${input.length}]`,
    );
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function checkWarnings(warnings: Message['warnings'], offset: number, length: number): void {
  for (const w of warnings ?? []) {
    check(CODE_SHAPE.test(w.code), () => `warning with code ${w.code}`);
    check(
      Number.isInteger(w.offset) && w.offset >= offset && w.offset <= length,
      () => `warning ${w.code} offset ${w.offset} outside [${offset}, ${length}]`,
    );
  }
}

function sameBytes(what: string, actual: Uint8Array, expected: Uint8Array): void {
  check(equalBytes(actual, expected), () => {
    const at = firstDifference(actual, expected);
    return `${what} differs at byte ${at}: got ${hex(actual.subarray(at, at + 16))} (${actual.length} bytes), want ${hex(expected.subarray(at, at + 16))} (${expected.length} bytes)`;
  });
}

/** Checks the codec contract on one datagram; returns the decoded message when it decoded. */
export function checkDatagram(data: Uint8Array): Message | undefined {
  const message = decodeOrError(data, 0, () => decode(data));
  if (!message) return undefined;
  checkWarnings(message.warnings, 0, data.length);
  const out = encode(message);
  sameBytes('encode(decode(b))', out, data);
  check(encodingLength(message) === out.length, () => `encodingLength ${encodingLength(message)} != ${out.length}`);

  // The same datagram at an offset inside a bigger buffer decodes to the same bytes, and encodeInto writes them there.
  const shifted = new Uint8Array(data.length + 3);
  shifted.set(data, 3);
  const again = decode(shifted, 3);
  sameBytes('encode(decode(b, 3))', encode(again), data);
  const into = new Uint8Array(data.length + 5);
  check(encodeInto(message, into, 5) === data.length, 'encodeInto returned a different length');
  sameBytes('encodeInto', into.subarray(5), data);

  let tooSmall: unknown;
  try {
    encodeInto(message, new Uint8Array(data.length - 1));
  } catch (error) {
    tooSmall = error;
  }
  check(tooSmall instanceof RangeError, 'encodeInto into a buffer one byte short did not throw a RangeError');

  checkViews(message.payloads);
  if (message.encrypted && message.encrypted.length > 0) checkPlaintext(message.encrypted, message.header.nextPayload);
  return message;
}

/** Checks the decrypted-body codec on a body whose first payload has type `first`. */
export function checkPlaintext(body: Uint8Array, first: number): void {
  const plain = decodeOrError(body, 0, () => decodePlaintext(body, first));
  if (!plain) return;
  checkWarnings(plain.warnings, 0, body.length);
  sameBytes('encodePlaintext(decodePlaintext(b))', encodePlaintext(plain), body);
  checkViews(plain.payloads);
}

/** A numeric attribute survives `numberAttribute`, whatever form it arrived in. */
function checkAttributes(attributes: readonly DataAttribute[]): void {
  for (const a of attributes) {
    const n = attributeNumber(a);
    const rebuilt = attributeNumber(numberAttribute(a.type, n));
    check(rebuilt === n, () => `attribute ${a.type}: numberAttribute(${n}) reads back as ${rebuilt}`);
  }
}

/** The typed views of decoded payloads never throw, and an ID's typed value writes back to the same data. */
function checkViews(payloads: readonly Payload[]): void {
  for (const p of payloads) {
    if ('raw' in p) continue;
    if (p.type === 1) {
      for (const proposal of p.proposals) {
        for (const t of proposal.transforms) {
          checkAttributes(t.attributes);
          transformAttributes(proposal.protocolId, t.attributes);
        }
      }
    } else if (p.type === 5) {
      const value = idValue(p.idType, p.data);
      check(JSON.stringify(value) === JSON.stringify(p.value), 'ID payload value differs from idValue(idType, data)');
      if (value) {
        const back = idData(p.idType, value);
        check(
          equalBytes(back, p.data),
          () => `ID type ${p.idType}: idData(${JSON.stringify(value)}) = ${hex(back)}, data ${hex(p.data)}`,
        );
      }
    } else if (p.type === 11 && p.attributes) {
      checkAttributes(p.attributes);
    } else if (p.type === 14) {
      checkAttributes(p.attributes);
    }
  }
}
