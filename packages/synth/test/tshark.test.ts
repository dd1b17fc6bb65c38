/**
 * Wireshark as the independent oracle: tshark decodes every synthesized capture with the exported
 * `ikev1_decryption_table`, finds nothing malformed, and decrypts each encrypted message to the payload chain the
 * synthesizer encrypted. Skipped where /usr/bin/tshark is missing (CI installs it). tshark's known weakness, a
 * retransmitted encrypted message shown as malformed once keys are loaded, is left out of the malformed check.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../src/index';
import { allScenarios } from './helpers';

const TSHARK = '/usr/bin/tshark';
const scratch = mkdtempSync(join(tmpdir(), 'oaklog-synth-tshark-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!existsSync(TSHARK)).each(allScenarios)('tshark reads %s', (name, scenario) => {
  it('decodes every frame, nothing malformed, and decrypts each encrypted message to what was encrypted', () => {
    const r = synthesize(scenario);
    const dir = join(scratch, name.replace(/[^a-z0-9-]/gi, '_'));
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(join(dir, 'capture.pcap'), r.capture);
    // Wireshark takes one key per initiator cookie: the initiator's, the first line (with a wrong PSK only the
    // initiator encrypts; the second line is the gateway's key).
    if (r.keys !== undefined)
      writeFileSync(join(dir, 'config', 'ikev1_decryption_table'), `${r.keys.wiresharkTable.split('\n')[0]}\n`);
    const out = execFileSync(
      TSHARK,
      [
        '-r',
        join(dir, 'capture.pcap'),
        '-T',
        'fields',
        '-E',
        'separator=;',
        '-e',
        'frame.number',
        '-e',
        'isakmp.typepayload',
        '-e',
        '_ws.malformed',
        '-e',
        '_ws.expert.severity',
      ],
      {
        env: { ...process.env, WIRESHARK_CONFIG_DIR: join(dir, 'config') },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const rows = out
      .trim()
      .split('\n')
      .map((l) => l.split(';'));
    for (const f of r.frames) {
      const [, types = '', malformed = '', severity = ''] = rows[f.frame - 1] ?? [];
      const resentCiphertext = f.resend && f.plaintextTypes !== undefined;
      if (!resentCiphertext)
        expect({ frame: f.frame, malformed, severity }).toEqual({ frame: f.frame, malformed: '', severity: '' });
      if (f.plaintextTypes === undefined || f.resend) continue;
      // tshark lists the proposals (2) and transforms (3) inside an SA among the payload types: not chain members.
      const list = types
        .split(',')
        .map(Number)
        .filter((t) => t !== 2 && t !== 3);
      // A fragment's own frame lists 132; the one completing the message adds the reassembled, decrypted chain.
      const chain = list[0] === 132 ? list.slice(1) : list;
      if (list[0] === 132 && chain.length === 0) continue;
      expect({ frame: f.frame, chain }).toEqual({ frame: f.frame, chain: [...f.plaintextTypes] });
    }
  });
});
