/**
 * The built page in a real browser (Debian's Chromium, driven by playwright-core), held to the CLI: for corpus
 * captures (with and without keys) and corpus logs, the lines it shows are `oaklog view`'s output, its explanations
 * `oaklog explain`'s, its diagnosis `oaklog diagnose`'s, and its ladder has one arrow per SENDING/RECEIVED line. No
 * request leaves the page: the test's server logs what it receives, the browser context logs what the page asks for,
 * and a fetch the page tries is refused by its Content-Security-Policy.
 *
 * Without Chromium the suite is skipped with a message, except under CI (`CI` set), where it fails: .ci/run installs
 * Chromium with apt, and a green run that drove no browser would hide that it did not.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpusRoot, getCapture, getLog, readCorpusBytes, readCorpusText } from '@oaklog/corpus';
import { readCaptureBytes } from '@oaklog/pcap';
import { parse } from '@oaklog/viewlog';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oaklog } from './cli';
import {
  allRows,
  CHROMIUM,
  contrasts,
  type DroppedFile,
  drop,
  explainText,
  HAVE_CHROMIUM,
  INDEX,
  jobOf,
  type OpenPage,
  openPage,
  type PageServer,
  pick,
  SCREENSHOTS,
  servePage,
  settled,
  shownDiagnosis,
  shownLadders,
  shownLines,
  walkExplanations,
} from './harness';

const BLANK = 'Nothing to explain: a blank line.';
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

if (!HAVE_CHROMIUM && !inCi)
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set OAKLOG_CHROMIUM)`);

describe.runIf(!HAVE_CHROMIUM && inCi)('the browser', () => {
  it('is installed (CI must drive a real browser)', () => {
    throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get install chromium`);
  });
});

/** A corpus file as the page gets it. */
function corpusFile(relativePath: string, name = relativePath.split('/').pop() ?? relativePath): DroppedFile {
  return { name, bytes: readCorpusBytes(relativePath) };
}

/** The CLI's stdout for `view`, and the path of a file holding it (to run `diagnose` and `explain` on). */
function cliView(dir: string, capture: string, ...options: string[]): { lines: string[]; file: string } {
  const lines = oaklog('view', join(corpusRoot, capture), ...options).stdout;
  const file = join(dir, `view-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return { lines, file };
}

/** SENDING/RECEIVED lines of a log text, as `@oaklog/viewlog` reads them. */
function messageLines(text: string): string[] {
  return parse(text)
    .events.filter((e) => e.kind === 'ike-message')
    .map((e) => (e.source?.raw ?? '').replace(/(?:\r\r\n|\r\n|\n|\r)$/, '').trim());
}

/** CLI output lines without the carriage returns a CRLF log leaves inside a multi-line event. */
function plain(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/\r$/, ''));
}

describe.skipIf(!HAVE_CHROMIUM)('the page in Chromium', () => {
  let browser: Browser;
  let server: PageServer;
  let dir: string;
  const pages: OpenPage[] = [];

  beforeAll(async () => {
    readFileSync(INDEX); // the build comes first (turbo runs it before the tests)
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'oaklog-web-'));
    server = await servePage();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => {});
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function fresh(url = server.url): Promise<OpenPage> {
    const p = await openPage(browser, url);
    pages.push(p);
    return p;
  }

  /** Requests a page made that are not its own document or the blob: its worker was started from. */
  function foreign(p: OpenPage, document: string): string[] {
    return p.requests.filter((r) => r !== `GET ${document}` && !/^GET blob:/.test(r));
  }

  it('shows a capture decrypted with its key file as oaklog view does, explained, diagnosed and drawn', async () => {
    const c = getCapture('strongswan-mm-psk-mismatch');
    const p = await fresh();
    const before = await jobOf(p.page);
    await drop(p.page, [corpusFile(c.path, 'mismatch.pcap'), corpusFile(c.keys!)]);
    expect(await settled(p.page, before)).toBe('done');
    const cli = cliView(dir, c.path, '--keys', join(corpusRoot, c.keys!));
    expect(await shownLines(p.page)).toEqual(cli.lines);
    expect(await shownDiagnosis(p.page)).toEqual(oaklog('diagnose', cli.file).stdout);
    // Every line explained as `oaklog explain` explains the same log.
    expect(explainText(await walkExplanations(p.page), BLANK)).toEqual(oaklog('explain', cli.file).stdout);
    // One arrow per SENDING/RECEIVED line, in order, each titled with its line.
    const ladders = await shownLadders(p.page);
    expect(ladders.flatMap((l) => l.arrows)).toEqual(messageLines(cli.lines.join('\n')));
    // The evidence lines are marked in the log.
    const rows = await allRows(p.page);
    const evidence = rows.filter((r) => /evidence-(fail|ok|info)/.test(r.classes)).map((r) => r.line);
    const cited = await p.page.$$eval('#diagnosis .evidence-line', (bs) =>
      bs.map((b) => Number((b as HTMLElement).dataset.line)),
    );
    expect(evidence.length).toBeGreaterThan(0);
    for (const line of cited) expect(evidence).toContain(line);
    await p.page
      .locator('#ladders figure')
      .first()
      .screenshot({ path: join(SCREENSHOTS, 'ladder.png') });
    expect(p.errors).toEqual([]);
    expect(foreign(p, server.url)).toEqual([]);
  });

  it('opens the decoded tree of a clicked message, decrypted with the keys and worded as oaklog decode', async () => {
    const c = getCapture('strongswan-mm-psk-3des-sha1-modp1024');
    const p = await fresh();
    let before = await jobOf(p.page);
    await drop(p.page, [corpusFile(c.path)]);
    expect(await settled(p.page, before)).toBe('done');
    expect(await shownLines(p.page)).toEqual(oaklog('view', join(corpusRoot, c.path), '--no-keys').stdout);
    const decode = oaklog('decode', join(corpusRoot, c.path)).stdout;
    const mm5 = p.page.locator('#log .row', { hasText: 'SENDING>>>> ISAKMP OAK MM *(ID)' });
    await mm5.click();
    await p.page.waitForFunction(() => document.querySelector('#tree summary')?.textContent?.startsWith('#'));
    const root = (await p.page.textContent('#tree summary')) ?? '';
    expect(decode).toContain(root);
    expect(await p.page.textContent('#tree')).toContain('Not decrypted: no key file given');
    // The Wireshark table through the Key file button: the same capture, decrypted.
    before = await jobOf(p.page);
    await pick(p.page, '#open-keys', [corpusFile(c.wiresharkKeys!)]);
    expect(await settled(p.page, before)).toBe('done');
    const cli = oaklog('view', join(corpusRoot, c.path), '--keys', join(corpusRoot, c.wiresharkKeys!)).stdout;
    expect(await shownLines(p.page)).toEqual(cli);
    await p.page.locator('#log .row', { hasText: 'SENDING>>>> ISAKMP OAK MM *(ID, HASH' }).click();
    await p.page.waitForFunction(() => document.getElementById('tree')?.textContent?.includes('Decrypted payloads'));
    const tree = (await p.page.textContent('#tree')) ?? '';
    expect(tree).toContain('Decryption: 3des-cbc, IV from phase1');
    expect(tree).toMatch(/ID: ID\(\{"name":/);
    // Hover explains a line too.
    await p.page.mouse.move(0, 0);
    await p.page.waitForSelector('#tooltip', { state: 'hidden' });
    await p.page.locator('#log .row', { hasText: 'Established IKE SA' }).hover();
    await p.page.waitForFunction(() => {
      const t = document.getElementById('tooltip') as HTMLElement;
      return !t.hidden && t.textContent?.includes('the IKE SA is established');
    });
    await p.page.screenshot({ path: join(SCREENSHOTS, 'capture.png'), fullPage: false });
    // Readable: every text on the page (log, detail, tree, diagnosis, notices, ladder) at least 4.5:1 (WCAG AA).
    await p.page.mouse.move(0, 0);
    const measured = await contrasts(p.page);
    expect(measured.length).toBeGreaterThan(100);
    expect(measured.some((m) => m.what.startsWith('svg text'))).toBe(true);
    const lowest = measured.slice(0, 3);
    console.log(`lowest contrast on the page: ${lowest[0]?.ratio.toFixed(2)} (${lowest[0]?.what})`);
    expect(lowest[0]!.ratio, JSON.stringify(lowest)).toBeGreaterThanOrEqual(4.5);
    expect(p.errors).toEqual([]);
    expect(foreign(p, server.url)).toEqual([]);
  });

  it('filters one conversation, switches to the responder side and to another time zone, as the CLI options do', async () => {
    const c = getCapture('strongswan-rekey');
    const p = await fresh();
    let before = await jobOf(p.page);
    await pick(p.page, '#open', [corpusFile(c.path), corpusFile(c.keys!)]);
    expect(await settled(p.page, before)).toBe('done');
    const path = join(corpusRoot, c.path);
    const keys = ['--keys', join(corpusRoot, c.keys!)];
    expect(await shownLines(p.page)).toEqual(oaklog('view', path, ...keys).stdout);
    const conversations = await p.page.$$eval('#group option', (os) =>
      os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? '' })),
    );
    expect(conversations.length).toBe(3);
    const second = conversations[2]!;
    const cookie = /· ([0-9a-f]{16})$/.exec(second.label)?.[1];
    expect(cookie).toBeDefined();
    before = await jobOf(p.page);
    await p.page.selectOption('#group', second.value);
    expect(await settled(p.page, before)).toBe('done');
    const filtered = oaklog('view', path, ...keys, '--cookie', cookie!).stdout;
    expect(await shownLines(p.page)).toEqual(filtered);
    expect((await shownLadders(p.page)).map((l) => l.group)).toEqual([second.value]);
    // The responder's side of that conversation.
    const responder = /→ (\S+) ·/.exec(second.label)?.[1];
    before = await jobOf(p.page);
    await p.page.check('#side input[value="responder"]');
    expect(await settled(p.page, before)).toBe('done');
    const cliResponder = cliView(dir, c.path, ...keys, '--cookie', cookie!, '--local', responder!);
    expect(await shownLines(p.page)).toEqual(cliResponder.lines);
    expect(await shownDiagnosis(p.page)).toEqual(oaklog('diagnose', cliResponder.file).stdout);
    // Two hours east of UTC.
    before = await jobOf(p.page);
    await p.page.selectOption('#tz', '120');
    expect(await settled(p.page, before)).toBe('done');
    const cliShifted = oaklog('view', path, ...keys, '--cookie', cookie!, '--local', responder!, '--utc-offset', '120');
    expect(await shownLines(p.page)).toEqual(cliShifted.stdout);
    expect(p.errors).toEqual([]);
    expect(foreign(p, server.url)).toEqual([]);
  });

  it.each([
    'safenet-qm-no-proposal-chosen-timed',
    'vpnclient-log-pastebin-peer-not-responding',
    'cisco-vpnclient-ag-xauth',
    'sonicwall-export-id-mismatch',
  ])('reads the corpus log %s as oaklog explain and diagnose do, with its ladder', async (name) => {
    const log = getLog(name);
    const p = await fresh();
    const before = await jobOf(p.page);
    await drop(p.page, [corpusFile(log.path)]);
    expect(await settled(p.page, before)).toBe('done');
    const text = readCorpusText(log.path);
    const fileLines = text.split(/\r\r\n|\r\n|\n|\r/);
    if (fileLines.at(-1) === '') fileLines.pop();
    expect(await shownLines(p.page)).toEqual(fileLines);
    const path = join(corpusRoot, log.path);
    expect(await shownDiagnosis(p.page)).toEqual(oaklog('diagnose', path).stdout);
    expect(explainText(await walkExplanations(p.page), BLANK)).toEqual(plain(oaklog('explain', path).stdout));
    expect((await shownLadders(p.page)).flatMap((l) => l.arrows)).toEqual(messageLines(text));
    if (name === 'cisco-vpnclient-ag-xauth') {
      await p.page.locator('#diagnosis .diag h4 button').first().click();
      await p.page.screenshot({ path: join(SCREENSHOTS, 'log.png'), fullPage: false });
    }
    expect(p.errors).toEqual([]);
    expect(foreign(p, server.url)).toEqual([]);
  });

  it('reads a pasted log, run-on lines included, and draws its ladder', async () => {
    const runOn =
      'Demo - RECEIVED<<< ISAKMP OAK INFO *(HASH, NOTIFY:NO_PROPOSAL_CHOSEN) Received NO_PROPOSAL_CHOSEN message ' +
      'Demo - SENDING>>>> ISAKMP OAK QM *(Retransmission) Exceeded retry attempts - deleting IPSec Security Association';
    const pasted = `${readCorpusText(getLog('safenet-mm-psk').path)}${runOn}\n`;
    const p = await fresh();
    const before = await jobOf(p.page);
    await p.page.click('#paste');
    await p.page.fill('#paste-text', pasted);
    await p.page.click('#paste-read');
    expect(await settled(p.page, before)).toBe('done');
    const lines = pasted.split(/\r\n|\n/).slice(0, -1);
    expect(await shownLines(p.page)).toEqual(lines);
    const file = join(dir, 'pasted.log');
    writeFileSync(file, pasted);
    expect(await shownDiagnosis(p.page)).toEqual(oaklog('diagnose', file).stdout);
    // The run-on line holds four events: the page explains all four, as `oaklog explain` does.
    const walk = await walkExplanations(p.page);
    const last = walk.at(-1)!;
    expect(last.last - last.first).toBe(3);
    const cli = oaklog('explain', file).stdout;
    const meanings = cli.slice(cli.findIndex((l) => l.startsWith(`${String(lines.length).padStart(5)}  `)));
    expect(last.meanings).toEqual(meanings.filter((l) => l.startsWith('       ')).map((l) => l.slice(7)));
    // An arrow's title is the line that holds its message (the run-on line holds two).
    const arrows = (await shownLadders(p.page)).flatMap((l) => l.arrows);
    const messages = messageLines(pasted);
    expect(arrows.length).toBe(messages.length);
    for (const [i, a] of arrows.entries()) expect(a).toContain(messages[i]);
    expect(p.errors).toEqual([]);
    expect(foreign(p, server.url)).toEqual([]);
  });

  it('says in one sentence why a file cannot be read', async () => {
    const p = await fresh();
    const cases: [DroppedFile[], RegExp][] = [
      [
        [{ name: 'photo.bin', bytes: Uint8Array.from({ length: 2000 }, (_, i) => (i * 37) % 256) }],
        /^photo\.bin is neither a packet capture \(pcap, pcapng\) nor a View Log: it holds binary data/,
      ],
      [
        [{ name: 'cut.pcap', bytes: Uint8Array.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0]) }],
        /^cut\.pcap is not a readable pcap or pcapng capture: .+\.$/,
      ],
      [
        [
          corpusFile(getCapture('strongswan-mm-psk-mismatch').path),
          { name: 'keys.json', bytes: new TextEncoder().encode('{"ikeSas": [{"initiatorCookie": "zz"}]}') },
        ],
        /^keys\.json has errors, so none of its keys are used\./,
      ],
    ];
    for (const [files, message] of cases) {
      const before = await jobOf(p.page);
      await drop(p.page, files);
      expect(await settled(p.page, before)).toBe('failed');
      const text = (await p.page.textContent('#error')) ?? '';
      expect(text).toMatch(message);
      expect(text.split(/(?<=\.)\s+(?=[A-Z])/).length).toBeLessThanOrEqual(2);
    }
    // A text that is no log at all reads, and says so at the top in one sentence (oaklog diagnose's verdict).
    const prose = 'Dear support,\nthe tunnel is down again since Monday.\nRegards, Pat\n';
    let before = await jobOf(p.page);
    await drop(p.page, [{ name: 'mail.txt', bytes: new TextEncoder().encode(prose) }]);
    expect(await settled(p.page, before)).toBe('done');
    const file = join(dir, 'mail.txt');
    writeFileSync(file, prose);
    expect(await p.page.textContent('#notices li')).toBe(oaklog('diagnose', file).stdout[0]);
    // The refused key file is not used again: the capture dropped alone reads, without keys.
    const c = getCapture('strongswan-mm-psk-mismatch');
    before = await jobOf(p.page);
    await drop(p.page, [corpusFile(c.path)]);
    expect(await settled(p.page, before)).toBe('done');
    expect(await p.page.isHidden('#error')).toBe(true);
    expect(await shownLines(p.page)).toEqual(oaklog('view', join(corpusRoot, c.path), '--no-keys').stdout);
    expect(foreign(p, server.url)).toEqual([]);
  });

  it('reads a large capture in its worker with progress, without blocking the page', async () => {
    // 4000 copies of a whole negotiation, one second apart: about 56,000 datagrams, 20 MB.
    const c = getCapture('strongswan-mm-psk-3des-sha1-modp1024');
    const items = [...readCaptureBytes(readCorpusBytes(c.path))];
    const frames = items.length;
    const source = readCorpusBytes(c.path);
    const records: Uint8Array[] = [];
    for (let off = 24; off < source.length; ) {
      const len = new DataView(source.buffer, source.byteOffset).getUint32(off + 8, true);
      records.push(source.subarray(off, off + 16 + len));
      off += 16 + len;
    }
    expect(records.length).toBe(frames);
    const copies = 4000;
    const big = new Uint8Array(24 + copies * records.reduce((n, r) => n + r.length, 0));
    big.set(source.subarray(0, 24));
    let at = 24;
    for (let k = 0; k < copies; k++)
      for (const r of records) {
        big.set(r, at);
        const view = new DataView(big.buffer, at);
        view.setUint32(0, view.getUint32(0, true) + k, true);
        at += r.length;
      }
    const file = join(dir, 'big.pcap');
    writeFileSync(file, big);
    const p = await fresh();
    await p.page.evaluate(() => {
      const w = window as unknown as { progress: number[]; longest: number };
      w.progress = [];
      w.longest = 0;
      new MutationObserver(() => w.progress.push(Number(document.body.dataset.progress))).observe(document.body, {
        attributes: true,
        attributeFilter: ['data-progress'],
      });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longest = Math.max(w.longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const before = await jobOf(p.page);
    await drop(p.page, [{ name: 'big.pcap', bytes: big }]);
    // The page answers while the worker reads.
    const started = Date.now();
    await p.page.evaluate(() => 1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await settled(p.page, before)).toBe('done');
    const { progress, longest } = await p.page.evaluate(() => {
      const w = window as unknown as { progress: number[]; longest: number };
      return { progress: w.progress, longest: w.longest };
    });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(big.length);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    // No task on the page's thread took long (the reading is in the worker; the list draws only what is in sight).
    console.log(`longest task on the page: ${Math.round(longest)} ms`);
    expect(longest).toBeLessThan(2_000);
    const cli = oaklog('view', file, '--no-keys').stdout;
    const rows = Number(await p.page.getAttribute('#log', 'data-rows'));
    expect(rows).toBe(cli.length);
    expect(await p.page.locator('#log .row').count()).toBeLessThan(200);
    await p.page.focus('#log');
    await p.page.keyboard.press('End');
    await p.page.waitForSelector(`#log .row.active[data-line="${cli.length}"]`);
    expect(await p.page.textContent('#log .row.active .tx')).toBe(cli.at(-1));
    expect(foreign(p, server.url)).toEqual([]);
  });

  it('opens from disk (file://) with its worker, and makes no request but its own file', async () => {
    const c = getCapture('strongswan-qm-no-proposal-chosen');
    const url = pathToFileURL(INDEX).href;
    const p = await fresh(url);
    const before = await jobOf(p.page);
    await drop(p.page, [corpusFile(c.path), corpusFile(c.wiresharkKeys!)]);
    expect(await settled(p.page, before)).toBe('done');
    const cli = cliView(dir, c.path, '--keys', join(corpusRoot, c.wiresharkKeys!));
    expect(await shownLines(p.page)).toEqual(cli.lines);
    expect(await shownDiagnosis(p.page)).toEqual(oaklog('diagnose', cli.file).stdout);
    expect(p.errors).toEqual([]);
    expect(foreign(p, url)).toEqual([]);
  });

  it('cannot make a network request: its policy refuses one, and nothing reached the server but the page itself', async () => {
    const p = await fresh();
    const refused = await p.page.evaluate(async (target) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const attempts = [
        fetch(`${target}leak`).then(
          () => 'fetched',
          () => 'refused',
        ),
        new Promise<string>((resolve) => {
          const img = new Image();
          img.onload = () => resolve('loaded');
          img.onerror = () => resolve('refused');
          img.src = `${target}leak.png`;
        }),
      ];
      const outcomes = await Promise.all(attempts);
      await new Promise((r) => setTimeout(r, 100));
      return { outcomes, violations };
    }, server.url);
    expect(refused.outcomes).toEqual(['refused', 'refused']);
    expect(refused.violations).toEqual(expect.arrayContaining(['connect-src', 'img-src']));
    // Across every page of this suite, the server received only requests for the page itself.
    expect(server.requests.filter((r) => r !== 'GET /')).toEqual([]);
    expect(server.requests.length).toBeGreaterThanOrEqual(pages.filter((q) => q.page.url().startsWith('http')).length);
  });
});
