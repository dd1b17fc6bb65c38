/**
 * What is not a whole IKEv1 message: a message whose later payload is malformed keeps its line, with the payloads that
 * decoded and the UNREADABLE mark, and its fault reported once; an IKEv2 message prints nothing and is no problem
 * (the clients never logged IKEv2; `@oaklog/pipeline` counts them); a version neither 1 nor 2 is a problem.
 */
import { build, encode } from '@oaklog/isakmp';
import { parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { createSession, type SessionProblem, UNREADABLE } from '../src/index';

const A = '10.1.1.1';
const B = '10.2.2.2';
const IC = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

/** MM1 with an SA, a vendor ID and a last vendor ID whose length field is 0 (malformed). */
function malformedLast(): Uint8Array {
  const bytes = encode(
    build.message({
      initiatorCookie: IC,
      exchangeType: 2,
      payloads: [
        build.sa({ proposals: [] }),
        build.vendorId(Uint8Array.of(9, 9, 9, 9)),
        build.vendorId(Uint8Array.of(1, 2, 3, 4)),
      ],
    }),
  );
  bytes[bytes.length - 6] = 0;
  bytes[bytes.length - 5] = 0;
  return bytes;
}

/** An IKE_SA_INIT request header and one generic payload, as IKEv2 puts it on port 500. */
function ikev2Init(): Uint8Array {
  const b = new Uint8Array(28 + 8);
  b.set(IC, 0);
  b[16] = 33; // SA
  b[17] = 0x20; // version 2.0
  b[18] = 34; // IKE_SA_INIT
  b[19] = 0x08; // initiator
  b[27] = b.length;
  b[30] = 0;
  b[31] = 8;
  return b;
}

describe('a message whose last payload is malformed', () => {
  const problems: SessionProblem[] = [];
  const s = createSession({ local: A, onProblem: (p) => problems.push(p) });
  const lines = s.push({ bytes: malformedLast(), src: A, dst: B, frame: 7 });

  it('keeps its line: the payloads that decoded, then the mark', () => {
    expect(lines).toContain(`${B} - SENDING>>>> ISAKMP OAK MM (SA, VID, ${UNREADABLE})`);
  });

  it('reports the fault once, with its frame and byte offset', () => {
    expect(problems).toEqual([expect.objectContaining({ frame: 7, code: 'BAD_LENGTH', offset: expect.any(Number) })]);
    expect(problems[0]?.offset).toBeGreaterThan(28);
  });

  it('reads back as a message line: no error, the mark as the last payload word', () => {
    const r = parse(`${lines.join('\n')}\n`);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const message = r.events.find((e) => e.kind === 'ike-message');
    expect(message?.kind === 'ike-message' && message.items.at(-1)?.payload).toBe(UNREADABLE);
  });
});

describe('an IKEv2 message', () => {
  it('prints nothing, is no problem, and does not decide who "we" are', () => {
    const problems: SessionProblem[] = [];
    const s = createSession({ onProblem: (p) => problems.push(p) });
    expect(s.push({ bytes: ikev2Init(), src: B, dst: A })).toEqual([]);
    expect(s.read({ bytes: ikev2Init(), src: B, dst: A }).kind).toBe('ikev2');
    expect(problems).toEqual([]);
    const mm1 = encode(
      build.message({ initiatorCookie: IC, exchangeType: 2, payloads: [build.sa({ proposals: [] })] }),
    );
    expect(s.push({ bytes: mm1, src: A, dst: B })).toContain(`${B} - SENDING>>>> ISAKMP OAK MM (SA)`);
  });

  it('never prints as an IKEv1 exchange', () => {
    const s = createSession({ local: A });
    const text = [...s.push({ bytes: ikev2Init(), src: A, dst: B }), ...s.finish()].join('\n');
    expect(text).not.toMatch(/EXCHANGE_34|PAYLOAD_33/);
  });
});

describe('a major version neither 1 nor 2', () => {
  it('is a problem at the version byte, and prints nothing', () => {
    const b = ikev2Init();
    b[17] = 0x30;
    const problems: SessionProblem[] = [];
    const s = createSession({ onProblem: (p) => problems.push(p) });
    expect(s.push({ bytes: b, src: A, dst: B, frame: 3 })).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ frame: 3, code: 'UNSUPPORTED_VERSION', offset: 17 })]);
  });
});
