/**
 * Driving the built page in Debian's Chromium through playwright-core: a static server on 127.0.0.1 that logs every
 * request it gets, files dropped as a person drops them (a `drop` event with a real `DataTransfer`), and readers of
 * what the page shows (the rows of its virtual list, the diagnosis, the ladder) in the words the CLI prints.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const INDEX = `${DIST}index.html`;
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** Debian's Chromium (`apt-get install chromium`), or the one `OAKLOG_CHROMIUM` names. */
export const CHROMIUM = process.env.OAKLOG_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** The built page over HTTP on the loopback address, with the log of every request it received. */
export interface PageServer {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function servePage(): Promise<PageServer> {
  const requests: string[] = [];
  const html = readFileSync(INDEX);
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A page in a fresh context, with the requests it made and the errors it threw. */
export interface OpenPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every request the context saw (the page's and its worker's), as `METHOD url`. */
  readonly requests: string[];
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openPage(browser: Browser, url: string): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  const errors: string[] = [];
  const log = (r: Request) => requests.push(`${r.method()} ${r.url()}`);
  context.on('request', log);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`)));
  await page.goto(url);
  await page.waitForSelector('#tz option', { state: 'attached' });
  return { page, context, requests, errors, close: () => context.close() };
}

export interface DroppedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Drops files on the page, as dragging them from a file manager does. */
export async function drop(page: Page, files: readonly DroppedFile[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    return dt;
  }, payload);
  await page.dispatchEvent('body', 'drop', { dataTransfer });
}

/** Picks files through the page's own "Open" button and file chooser. */
export async function pick(page: Page, button: '#open' | '#open-keys', files: readonly DroppedFile[]): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(button)]);
  await chooser.setFiles(
    files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: Buffer.from(f.bytes) })),
  );
}

/** The job number the page is at (each read of an input is one). */
export async function jobOf(page: Page): Promise<number> {
  return Number((await page.getAttribute('body', 'data-job')) ?? 0);
}

/** Waits until a job after `after` has finished (done or failed), and returns its state. */
export async function settled(page: Page, after: number): Promise<'done' | 'failed'> {
  await page.waitForFunction(
    (n) => Number(document.body.dataset.job ?? 0) > n && ['done', 'failed'].includes(document.body.dataset.state ?? ''),
    after,
    { timeout: 50_000 },
  );
  return (await page.getAttribute('body', 'data-state')) as 'done' | 'failed';
}

export interface ShownRow {
  readonly line: number;
  readonly text: string;
  readonly classes: string;
}

/** Every row of the log list, scrolling through it (only the rows in sight are in the document). */
export async function allRows(page: Page): Promise<ShownRow[]> {
  return page.evaluate(async () => {
    const log = document.getElementById('log') as HTMLElement;
    const n = Number(log.dataset.rows ?? 0);
    const got = new Map<number, { line: number; text: string; classes: string }>();
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    log.scrollTop = 0;
    for (let guard = 0; guard < 100_000; guard++) {
      await frame();
      for (const r of log.querySelectorAll<HTMLElement>('.row'))
        got.set(Number(r.dataset.position), {
          line: Number(r.dataset.line),
          text: r.querySelector('.tx')?.textContent ?? '',
          classes: r.className,
        });
      if (got.size >= n || log.scrollTop + log.clientHeight >= log.scrollHeight - 1) break;
      log.scrollTop += log.clientHeight;
    }
    log.scrollTop = 0;
    return [...got.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  });
}

/** The lines of the log the page shows (rows that are lines, not problems). */
export async function shownLines(page: Page): Promise<string[]> {
  return (await allRows(page)).filter((r) => r.line > 0).map((r) => r.text);
}

/** The diagnosis as `oaklog diagnose` prints it, read from the page's cards in the diagnoser's order. */
export async function shownDiagnosis(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const out: string[] = [];
    const verdict = document.querySelector('#diagnosis .verdict');
    if (verdict?.textContent) out.push(verdict.textContent);
    const cards = [...document.querySelectorAll<HTMLElement>('#diagnosis .diag')].sort(
      (a, b) => Number(a.dataset.index) - Number(b.dataset.index),
    );
    for (const c of cards) {
      out.push(`${c.dataset.who} ${c.querySelector('h4')?.textContent ?? ''}`);
      out.push(`  ${c.querySelector('.summary')?.textContent ?? ''}`);
      const reason = c.querySelector('.reason');
      if (reason) out.push(`  ${reason.textContent}`);
      for (const e of c.querySelectorAll('.evidence-line')) out.push(`  ${e.textContent}`);
      const omitted = c.querySelector('.omitted');
      if (omitted) out.push(`  ${omitted.textContent}`);
      out.push(`  ${c.querySelector('.next')?.textContent ?? ''}`);
    }
    const more = document.querySelector('#diagnosis .omitted-attempts');
    if (more?.textContent) out.push(more.textContent);
    return out.join('\n');
  });
  return text.split('\n');
}

/** Each ladder: its group and the line (title) of each arrow, top to bottom. */
export async function shownLadders(page: Page): Promise<{ group: string; arrows: string[] }[]> {
  return page.$$eval('#ladders figure', (figures) =>
    figures.map((f) => ({
      group: (f as HTMLElement).dataset.group ?? '',
      arrows: [...f.querySelectorAll('g.arrow')].map((a) => a.querySelector('title')?.textContent ?? ''),
    })),
  );
}

/**
 * Walks the log with the keyboard (Home, then the down arrow) and reads, for each row, the entries the detail panel
 * names and their meanings: the page's explanation of every line.
 */
export async function walkExplanations(
  page: Page,
): Promise<{ line: number; text: string; first: number; last: number; meanings: string[] }[]> {
  await page.focus('#log');
  await page.keyboard.press('Home');
  const n = Number((await page.getAttribute('#log', 'data-rows')) ?? 0);
  const out: { line: number; text: string; first: number; last: number; meanings: string[] }[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) await page.keyboard.press('ArrowDown');
    out.push(
      await page.evaluate((position) => {
        const active = document.querySelector<HTMLElement>('#log .row.active');
        const detail = document.getElementById('detail') as HTMLElement;
        if (active?.dataset.position !== String(position)) throw new Error(`row ${position} is not the active one`);
        return {
          line: Number(active.dataset.line),
          text: active.querySelector('.tx')?.textContent ?? '',
          first: Number(detail.dataset.first),
          last: Number(detail.dataset.last),
          meanings: [...detail.querySelectorAll('.meaning')].map((m) => m.textContent ?? ''),
        };
      }, i),
    );
  }
  return out;
}

/** `oaklog explain`'s output rebuilt from what the page explains (logs whose events each own whole lines). */
export function explainText(walk: Awaited<ReturnType<typeof walkExplanations>>, blank: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < walk.length; ) {
    const head = walk[i]!;
    let j = i + 1;
    while (j < walk.length && walk[j]!.first === head.first && head.first === head.last) j++;
    out.push(`${String(head.line).padStart(5)}  ${head.text}`);
    for (let k = i + 1; k < j; k++) out.push(walk[k]!.text);
    for (const m of head.meanings) if (m !== blank) out.push(`       ${m}`);
    i = j;
  }
  return out;
}

/**
 * The contrast ratio (WCAG 2) of every visible text on the page against the background it sits on, lowest first:
 * each element's own text, and each SVG text's fill against the ladder's white.
 */
export async function contrasts(page: Page): Promise<{ ratio: number; what: string }[]> {
  return page.evaluate(() => {
    const rgb = (c: string): [number, number, number, number] => {
      const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 1];
      return [m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, m[3] ?? 1];
    };
    const luminance = ([r, g, b]: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r ?? 0) + 0.7152 * f(g ?? 0) + 0.0722 * f(b ?? 0);
    };
    const ratio = (a: number[], b: number[]) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
      return (x + 0.05) / (y + 0.05);
    };
    const background = (e: Element | null): number[] => {
      for (let n = e; n !== null; n = n.parentElement) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c[3] > 0.5) return c;
      }
      return [255, 255, 255];
    };
    const out: { ratio: number; what: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t !== null; t = walker.nextNode()) {
      const e = t.parentElement;
      if (e === null || (t.textContent ?? '').trim() === '' || e.closest('[hidden], dialog:not([open]), svg')) continue;
      const box = e.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(e);
      if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
      out.push({
        ratio: ratio(rgb(style.color), background(e)),
        what: `${e.tagName}.${e.className}: ${(t.textContent ?? '').trim().slice(0, 40)}`,
      });
    }
    for (const t of document.querySelectorAll('svg text')) {
      const fill = t.getAttribute('fill') ?? '#000000';
      const hex = fill.match(/^#(..)(..)(..)$/);
      if (hex === null) continue;
      const c = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
      out.push({ ratio: ratio(c, [255, 255, 255]), what: `svg text: ${(t.textContent ?? '').slice(0, 40)}` });
    }
    return out.sort((a, b) => a.ratio - b.ratio);
  });
}
