/**
 * The synthesizer against two oracles it did not produce: `@oaklog/pipeline` (decode, decrypt with the exported keys,
 * render: what `oaklog view` runs) must print exactly the log the synthesizer's own client model wrote, and
 * `@oaklog/viewlog`'s `diagnose` must name each scenario's documented outcome.
 */
import { parseKeysJson, parseWiresharkKeyTable } from '@oaklog/crypto';
import { decode, HeaderFlag, PayloadType } from '@oaklog/isakmp';
import { readCaptureBytes } from '@oaklog/pcap';
import { diagnose, parse } from '@oaklog/viewlog';
import { describe, expect, it } from 'vitest';
import { normalizeScenario, ScenarioError, synthesize } from '../src/index';
import { allScenarios as all, features, shippedScenarios, viewed } from './helpers';

describe.each(all)('%s', (_name, scenario) => {
  const r = synthesize(scenario);

  it('oaklog view of the capture with its keys prints exactly the expected log', () => {
    expect(viewed(r)).toBe(r.expectedLog);
  });

  it('the expected log parses with no diagnostic', () => {
    const p = parse(r.expectedLog);
    expect(p.diagnostics).toEqual([]);
    expect(p.dialect).toBe('safenet');
  });

  it('is reproducible: the same scenario gives the same bytes', () => {
    const again = synthesize(scenario);
    expect(again.capture).toEqual(r.capture);
    expect(again.keys).toEqual(r.keys);
    expect(again.expectedLog).toBe(r.expectedLog);
  });

  it('claims keys exactly when both Diffie-Hellman values went on the wire', () => {
    const senders = new Set(
      [...readCaptureBytes(r.capture)]
        .filter((i) => i.kind === 'ike')
        .filter((d) => decode(d.bytes).payloads.some((p) => p.type === PayloadType.KE))
        .map((d) => d.src),
    );
    expect(r.keys !== undefined).toBe(senders.size === 2);
  });

  it.runIf(r.keys !== undefined)('both key files read back without diagnostics and name the same IKE SA', () => {
    if (r.keys === undefined) return;
    const json = parseKeysJson(r.keys.json);
    const table = parseWiresharkKeyTable(r.keys.wiresharkTable);
    expect(json.diagnostics).toEqual([]);
    expect(table.diagnostics).toEqual([]);
    expect(table.ikeSas.map((k) => k.encryptionKeys)).toEqual(json.ikeSas.map((k) => k.encryptionKeys));
  });

  it('every encrypted message is on the wire with the E flag and whole cipher blocks; resends are byte-identical', () => {
    const items = [...readCaptureBytes(r.capture)].filter((i) => i.kind === 'ike');
    expect(items).toHaveLength(r.frames.length);
    const seen = new Map<string, number>();
    items.forEach((d, i) => {
      const m = decode(d.bytes);
      const frame = r.frames[i]!;
      const key = Array.from(d.bytes).join(',');
      if (frame.resend) expect(seen.has(key)).toBe(true);
      seen.set(key, i);
      if (frame.plaintextTypes && m.payloads[0]?.type !== PayloadType.FRAGMENT) {
        expect(m.header.flags & HeaderFlag.ENCRYPTION).toBe(HeaderFlag.ENCRYPTION);
        expect((m.encrypted?.length ?? 0) % 8).toBe(0);
      }
    });
  });
});

describe('diagnose names the documented outcome', () => {
  const outcomes = (scenario: unknown) =>
    diagnose(parse(synthesize(scenario).expectedLog).events).map((d) => `${d.phase}:${d.outcome}`);
  it.each([
    ['main-mode-success', ['1:established', '2:established']],
    ['aggressive-mode-success', ['1:established']],
    ['peer-not-responding', ['1:peer-not-responding']],
    ['qm-no-proposal-chosen', ['1:established', '2:proposal-rejected']],
  ])('%s: %j', (name, expected) => {
    expect(outcomes(shippedScenarios.get(name))).toEqual(expected);
  });
  it('phase 1 NO_PROPOSAL_CHOSEN is a rejected proposal', () => {
    expect(outcomes(features['phase 1 NO_PROPOSAL_CHOSEN'])).toEqual(['1:proposal-rejected']);
  });
});

describe('scenario checks', () => {
  it.each([
    [{}, 'seed'],
    [{ seed: 1, ike: { cipher: 'des' } }, 'ike.cipher'],
    [{ seed: 1, mode: 'aggressive', responderPsk: 'x' }, 'responderPsk'],
    [{ seed: 1, informational: [{ from: 'initiator' }] }, 'informational[0]'],
    [{ seed: 1, quickMode: { initiatorId: '10.0.0.0/33' } }, 'quickMode.initiatorId'],
    [{ seed: 1, colour: 'red' }, 'colour'],
    [{ seed: 1, start: 'yesterday' }, 'start'],
  ])('%j is refused at %s', (input, path) => {
    try {
      normalizeScenario(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).path).toBe(path);
    }
  });
});
