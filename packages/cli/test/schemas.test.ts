/**
 * The NDJSON of `view`, `check`, `explain` and `diagnose` against their JSON Schemas (schema/*.v1.json): every object
 * each command writes for every corpus capture and log validates, the schemas' closed lists (event kinds, diagnostic
 * codes, outcomes) are the grammar's own, and each schema rejects an object that breaks it, so a passing validation
 * means something.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusPath, listCaptures, listLogs } from '@oaklog/corpus';
import { DiagnosticCodes, parse } from '@oaklog/viewlog';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { toJson } from '../src/json';
import { oaklog } from './run-cli';

const here = dirname(fileURLToPath(import.meta.url));
const ajv = new Ajv({ allErrors: true });
function compile(name: string): { schema: Record<string, unknown>; validate: ValidateFunction } {
  const schema = JSON.parse(readFileSync(join(here, `../schema/${name}.v1.json`), 'utf8'));
  return { schema, validate: ajv.compile(schema) };
}
const view = compile('view');
const check = compile('check');
const explain = compile('explain');
const diagnose = compile('diagnose');

/** Every object of an NDJSON output, each checked by `validate`; returns them parsed. */
function validObjects(lines: readonly string[], validate: ValidateFunction): Record<string, unknown>[] {
  return lines.map((line) => {
    const object = JSON.parse(line);
    expect(validate(object), `${line.slice(0, 200)}\n${JSON.stringify(validate.errors)}`).toBe(true);
    return object;
  });
}

/** The string literals of `kind:` (or another field) in a viewlog source file: the lists the schemas must close over. */
function literalsOf(file: string, pattern: RegExp): string[] {
  const text = readFileSync(join(here, '../../viewlog/src', file), 'utf8');
  return [...text.matchAll(pattern)].map((m) => m[1] as string);
}

const captures = listCaptures();
const logs = listLogs();

describe('view --json and diagnose --json of every corpus capture', () => {
  it.each(captures.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const keys = c.keys === undefined ? ['--no-keys'] : ['--keys', corpusPath(c.keys)];
    const viewed = validObjects(
      (await oaklog('view', '--json', '--strict', ...keys, corpusPath(c.path))).stdout,
      view.validate,
    );
    expect(viewed.at(-1)?.type).toBe('summary');
    expect(viewed.slice(0, -1).every((o) => o.type === 'event')).toBe(true);
    const diagnosed = validObjects(
      (await oaklog('diagnose', '--json', ...keys, corpusPath(c.path))).stdout,
      diagnose.validate,
    );
    expect(diagnosed.length).toBeGreaterThan(0);
  });
});

describe('check, explain and diagnose --json of every corpus log', () => {
  it.each(logs.map((l) => [l.name, l] as const))('%s', async (_n, l) => {
    const path = corpusPath(l.path);
    const checked = validObjects((await oaklog('check', '--json', path)).stdout, check.validate);
    expect(checked.at(-1)?.type).toBe('summary');
    const explained = validObjects((await oaklog('explain', '--json', path)).stdout, explain.validate);
    expect(explained.length).toBeGreaterThan(0);
    const diagnosed = validObjects((await oaklog('diagnose', '--json', path)).stdout, diagnose.validate);
    expect(diagnosed.at(-1)?.type).toBe('summary');
  });
});

describe('the event schema reads every event the grammar makes of the corpus logs', () => {
  const validateEvent = ajv.compile({ definitions: view.schema.definitions, $ref: '#/definitions/event' });
  it.each(logs.map((l) => [l.name, l] as const))('%s', (_n, l) => {
    const { events } = parse(readFileSync(corpusPath(l.path), 'utf8'));
    for (const event of events) {
      const object = toJson({ ...event, source: undefined });
      expect(validateEvent(object), `${JSON.stringify(object)}\n${JSON.stringify(validateEvent.errors)}`).toBe(true);
    }
  });
});

describe('the schemas close over the grammar', () => {
  const enumAt = (schema: unknown, path: readonly (string | number)[]): unknown[] =>
    // biome-ignore lint/suspicious/noExplicitAny: walking a parsed JSON document
    path.reduce((node: any, key) => node[key], schema) as unknown[];

  it('lists every event kind of @oaklog/viewlog, and no other', () => {
    const kinds = literalsOf('types.ts', /readonly kind: '([a-z0-9-]+)'/g);
    expect(new Set(kinds).size).toBeGreaterThan(15);
    const listed = enumAt(view.schema, ['definitions', 'event', 'properties', 'kind', 'enum']);
    expect([...listed].sort()).toEqual([...new Set(kinds)].sort());
    expect([...enumAt(explain.schema, ['properties', 'kind', 'enum'])].sort()).toEqual([...listed].sort());
  });

  it('lists every diagnostic code, and every diagnosis outcome', () => {
    expect(enumAt(check.schema, ['oneOf', 0, 'properties', 'code', 'enum'])).toEqual(Object.keys(DiagnosticCodes));
    const outcomeType = readFileSync(join(here, '../../viewlog/src/diagnose-model.ts'), 'utf8').match(
      /export type Outcome =([^;]+);/,
    )?.[1];
    const outcomes = [...(outcomeType ?? '').matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
    expect(outcomes.length).toBeGreaterThan(5);
    expect([...enumAt(diagnose.schema, ['oneOf', 1, 'properties', 'outcome', 'enum'])].sort()).toEqual(outcomes.sort());
  });
});

describe('the schemas ship with the package', () => {
  it('resolves oaklog/schema/<name>.v1.json to the files the tests read', () => {
    const require = createRequire(import.meta.url);
    for (const name of ['decode', 'view', 'check', 'explain', 'diagnose'])
      expect(require.resolve(`oaklog/schema/${name}.v1.json`)).toBe(join(here, '..', 'schema', `${name}.v1.json`));
  });
});

describe('each schema rejects what breaks it', () => {
  const demo = captures.find((c) => c.name === 'strongswan-mm-psk-3des-sha1-modp1024');

  it('view: an unknown kind, a missing field, a field the kind does not have', async () => {
    if (demo === undefined) throw new Error('the demo capture is not in the manifest');
    const objects = (await oaklog('view', '--json', corpusPath(demo.path))).stdout.map((l) => JSON.parse(l));
    const message = objects.find((o) => o.kind === 'ike-message');
    expect(view.validate(message)).toBe(true);
    expect(view.validate({ ...message, event: { ...message.event, kind: 'nonsense' } })).toBe(false);
    const { direction: _dropped, ...withoutDirection } = message.event;
    expect(view.validate({ ...message, event: withoutDirection })).toBe(false);
    expect(view.validate({ ...message, event: { ...message.event, messageId: 1 } })).toBe(false);
    expect(view.validate({ ...message, lines: [] })).toBe(false);
    const summary = objects.at(-1);
    expect(view.validate({ ...summary, shown: -1 })).toBe(false);
  });

  it('check, explain and diagnose: wrong codes, severities, outcomes and evidence', () => {
    const diagnostic = {
      schema: 'oaklog.check/1',
      type: 'diagnostic',
      file: 'a.log',
      line: 1,
      column: 1,
      offset: 0,
      length: 0,
      severity: 'warning',
      code: 'UNKNOWN_LINE',
      message: 'no rule reads this line',
    };
    expect(check.validate(diagnostic)).toBe(true);
    expect(check.validate({ ...diagnostic, code: 'NO_SUCH_CODE' })).toBe(false);
    expect(check.validate({ ...diagnostic, severity: 'info' })).toBe(false);
    expect(check.validate({ ...diagnostic, line: 0 })).toBe(false);
    const event = {
      schema: 'oaklog.explain/1',
      type: 'event',
      file: '-',
      line: 1,
      kind: 'blank',
      text: '',
      meaning: null,
    };
    expect(explain.validate(event)).toBe(true);
    expect(explain.validate({ ...event, kind: 'nonsense' })).toBe(false);
    expect(explain.validate({ ...event, schema: 'oaklog.explain/2' })).toBe(false);
    const diagnosis = {
      schema: 'oaklog.diagnose/1',
      type: 'diagnosis',
      connection: null,
      peer: '192.0.2.2',
      phase: 1,
      outcome: 'established',
      failed: false,
      implied: false,
      notify: null,
      summary: 'Phase 1 (IKE SA) was established.',
      reason: null,
      evidence: [{ frame: 3, text: 'x' }],
      omittedEvidence: 0,
      nextStep: 'read on',
    };
    expect(diagnose.validate(diagnosis)).toBe(true);
    expect(diagnose.validate({ ...diagnosis, outcome: 'up' })).toBe(false);
    expect(diagnose.validate({ ...diagnosis, phase: 3 })).toBe(false);
    expect(diagnose.validate({ ...diagnosis, evidence: [{ text: 'x' }] })).toBe(false);
    expect(diagnose.validate({ ...diagnosis, nextStep: undefined })).toBe(false);
  });
});
