/** The README's sample View Log is what the bridge prints for the main mode scenario without keys. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createSession } from '../src/index';
import { mainModeScenario } from './scenarios';

it('the README sample is the rendered main mode scenario without plaintext', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## A capture as a View Log'));
  // The first fenced block without a language tag (fences toggle; the opening one of a sample is a bare ```).
  const sample: string[] = [];
  let state: 'out' | 'code' | 'sample' | 'done' = 'out';
  for (const line of section.split('\n')) {
    if (state === 'done') break;
    if (line.startsWith('```'))
      state = state === 'out' ? (line === '```' ? 'sample' : 'code') : state === 'sample' ? 'done' : 'out';
    else if (state === 'sample') sample.push(line);
  }
  expect(sample.length).toBeGreaterThan(5);
  const session = createSession(mainModeScenario.options);
  const lines = mainModeScenario.steps.flatMap((s) => session.push(s.datagram));
  expect(lines.slice(0, sample.length)).toEqual(sample);
});
