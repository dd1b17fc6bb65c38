/**
 * `oaklog synth` as a script runs it: the built binary writes the four files from a shipped scenario, and `oaklog view`
 * of the capture it wrote, with the keys it wrote, prints exactly the expected log it wrote.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '../dist/main.js');
const scenarios = join(here, '../../synth/scenarios');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('oaklog synth', () => {
  it('writes capture, keys and expected log; view of them prints the expected log exactly', () => {
    const out = mkdtempSync(join(tmpdir(), 'oaklog-synth-'));
    const made = cli(['synth', join(scenarios, 'qm-no-proposal-chosen.json'), '--out', out]);
    expect(made.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['capture.pcap', 'expected.log', 'ikev1_decryption_table', 'keys.json']);
    const view = cli(['view', join(out, 'capture.pcap'), '--keys', join(out, 'keys.json'), '--connection', 'Demo']);
    expect(view.code).toBe(0);
    expect(view.stdout).toBe(readFileSync(join(out, 'expected.log'), 'utf8'));
    expect(view.stdout).toContain('Exceeded retry attempts - deleting IPSec Security Association');
  });

  it('refuses a scenario file it cannot read (exit 2)', () => {
    const r = cli(['synth', join(here, 'fixtures', 'does-not-exist.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does-not-exist\.json/);
  });

  it('refuses a scenario it cannot play, naming the field, and writes nothing (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oaklog-synth-bad-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ seed: 1, ike: { cipher: 'des' } }));
    const out = join(dir, 'out');
    const r = cli(['synth', path, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: .*ike\.cipher/);
    expect(existsSync(out)).toBe(false);
  });
});
