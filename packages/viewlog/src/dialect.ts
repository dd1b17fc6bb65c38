/** Dialect detection: which family a log is, from its first lines (a banner or head line, gateway rows, known messages). */
import { pasteOf, rowOf } from './frames';
import { matchKnown } from './knowledge';
import { lines } from './lines';
import type { Dialect } from './types';

/** A byte-order mark (Notepad's UTF-8) may open the first line: it is kept in `raw` and otherwise ignored. */
export const RECORD_HEAD =
  /^\uFEFF?[ \t]*(\d+)[ \t]+(\d{1,2}:\d{2}:\d{2}\.\d{1,3})[ \t]*(\d{1,2}\/\d{1,2}\/\d{2,4})[ \t]*Sev=([A-Za-z]+)\/(\d{1,3})[ \t]*([A-Za-z][A-Za-z0-9_]*)\/0x([0-9A-Fa-f]{1,8})/;
/** A Log Viewer banner line (the client version first). */
export const BANNER =
  /^\uFEFF?[ \t]*(?:Cisco Systems VPN Client Version[ \t]+(\S.*?)[ \t]*$|Copyright \(C\)|Client Type\(s\):|Running on:|Config file directory:)/;

/** Picks the dialect of a log from its first lines (first 64 lines are enough; the rest is not read). */
export function detectDialect(text: string | Iterable<string>): Dialect {
  let count = 0;
  let gateway = false;
  const source = typeof text === 'string' ? lineTexts(text, 64) : text;
  let client = false;
  for (const raw of source) {
    const paste = pasteOf(raw);
    const line = raw.slice(paste.lead.length, raw.length - paste.trail.length);
    if (BANNER.test(line) || RECORD_HEAD.test(line)) return 'cisco-vpnclient';
    if (line.includes('(InitCookie') || rowOf(line) !== undefined) gateway = true;
    else {
      // Without a banner, the family of the messages the knowledge table knows says it.
      const family = matchKnown(line)?.entry.family;
      if (family === 'sonicwall') gateway = true;
      else if (family !== undefined) client = true;
    }
    if (++count >= 64) break;
  }
  return client && !gateway ? 'cisco-vpnclient' : gateway ? 'gateway' : 'safenet';
}

function* lineTexts(text: string, max: number): Generator<string> {
  let k = 0;
  for (const l of lines(text)) {
    yield l.text;
    if (++k >= max) return;
  }
}
