import { listCaptures, readCorpusText } from '@oaklog/corpus';
import type { IkeSaKeys } from '@oaklog/crypto';
import { DecodeError, decodeAny, type FragmentPayload, isPayload, PayloadType } from '@oaklog/isakmp';
import { CaptureError, type IkeDatagram, readCaptureBytes } from '@oaklog/pcap';
import { createViewPipeline, type ViewItem } from '@oaklog/pipeline';
import { parse } from '@oaklog/viewlog';
import { check } from '../lib/bytes';
import { checkedKeysJson, checkedKeyTable } from '../lib/key-files-contract';

/**
 * The library pipeline `oaklog view` and the web page call (`@oaklog/pipeline`'s `createViewPipeline`), fed a
 * capture read by `readCaptureBytes`, with every key file of the corpus (keys route by cookie, so each corpus capture
 * and its mutations meet their own keys). Contract: only `CaptureError` escapes; the lines parse with
 * `@oaklog/viewlog` with zero diagnostics; the summary counts what the items show; and every IKE datagram is
 * accounted for once:
 * - by one message line (`(Retransmission)` included) and at most one problem (a partial message's line, ending in
 *   `UNREADABLE`, comes with its problem), or by one problem alone;
 * - or, for an IKE fragment, through its message (cookies, sender, fragment id): printed at the fragment that
 *   completed it, or reported (`INCOMPLETE_FRAGMENTS` at its last fragment read, when it never completed);
 * - or as IKEv2, which the summary counts and the View Log leaves out.
 */

function corpusKeys(): IkeSaKeys[] {
  const paths = new Set(listCaptures().flatMap((c) => [c.keys, c.wiresharkKeys].filter((p) => p !== undefined)));
  return [...paths].sort().flatMap((path) => {
    const text = readCorpusText(path);
    // The CLI's rule for telling the two formats apart (key-file.ts).
    return (text.trimStart().startsWith('{') ? checkedKeysJson(text) : checkedKeyTable(text)).ikeSas;
  });
}
const keys = corpusKeys();

/**
 * `icookie:rcookie:src:fragment id` of a datagram that is an IKE fragment (a fragment payload among those that decode,
 * as the pipeline reads it: a carrier may decode only in part), else undefined.
 */
function fragmentGroup(d: IkeDatagram): string | undefined {
  try {
    const any = decodeAny(d.bytes);
    if (any.version !== 1) return undefined;
    const m = any.message;
    const f = m.payloads.find((p): p is FragmentPayload => isPayload(p, PayloadType.FRAGMENT));
    if (!f) return undefined;
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex(m.header.initiatorCookie)}:${hex(m.header.responderCookie)}:${d.src}:${f.fragmentId}`;
  } catch (error) {
    if (error instanceof DecodeError) return undefined;
    throw error;
  }
}

function isIkev2(d: IkeDatagram): boolean {
  return d.bytes.length > 17 && (d.bytes[17] ?? 0) >> 4 === 2;
}

export function fuzz(data: Uint8Array): void {
  const pipeline = createViewPipeline({ keys });
  const datagrams: IkeDatagram[] = [];
  const items: ViewItem[] = [];
  try {
    for (const item of readCaptureBytes(data)) {
      if (item.kind === 'ike') datagrams.push(item);
      items.push(...pipeline.push(item));
    }
  } catch (error) {
    // The reader's typed error ends the capture early, as it ends `oaklog view`; anything else is a bug.
    if (error instanceof CaptureError) return;
    throw error;
  }
  items.push(...pipeline.finish());
  const summary = pipeline.summary;

  const text = items.flatMap((x) => (x.kind === 'event' ? x.lines.map((line) => `${line}\n`) : [])).join('');
  const { diagnostics } = parse(text);
  check(
    diagnostics.length === 0,
    () => `the View Log does not read back: ${diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`).join(', ')}`,
  );
  const problems = items.filter((x) => x.kind === 'problem');
  check(summary.datagrams === datagrams.length, () => `summary: ${summary.datagrams} datagrams of ${datagrams.length}`);
  check(summary.problems === problems.length, () => `summary: ${summary.problems} problems, items ${problems.length}`);
  const ikev2 = datagrams.filter(isIkev2).length;
  check(summary.ikev2 === ikev2, () => `summary: ${summary.ikev2} IKEv2 datagrams, the capture has ${ikev2}`);

  // Frame → datagram (the reader gives each IKE datagram its own frame: an IP-fragmented one, its last).
  const byFrame = new Map(datagrams.map((d) => [d.frame, d]));
  check(byFrame.size === datagrams.length, 'two IKE datagrams share a frame number');
  const lines = new Map<number, number>();
  const faults = new Map<number, number>();
  const accounted = new Set<string>();
  for (const x of items) {
    if (x.kind === 'event') {
      if (x.event.kind !== 'ike-message') continue;
      check(x.frame !== undefined && byFrame.has(x.frame), () => `a message line without its frame: ${x.lines[0]}`);
      lines.set(x.frame as number, (lines.get(x.frame as number) ?? 0) + 1);
      continue;
    }
    const d = byFrame.get(x.frame);
    check(d !== undefined, () => `a problem names frame ${x.frame}, which holds no IKE datagram`);
    if (x.code === 'INCOMPLETE_FRAGMENTS') {
      // An account of a message, at its last fragment: the fragments of that message are accounted for.
      const group = fragmentGroup(d as IkeDatagram);
      check(group !== undefined, () => `INCOMPLETE_FRAGMENTS at frame ${x.frame}, which is no IKE fragment`);
      accounted.add(group as string);
    } else faults.set(x.frame, (faults.get(x.frame) ?? 0) + 1);
  }
  const silent: IkeDatagram[] = [];
  for (const d of datagrams) {
    const l = lines.get(d.frame) ?? 0;
    const f = faults.get(d.frame) ?? 0;
    check(l <= 1 && f <= 1, () => `frame ${d.frame}: ${l} message lines and ${f} problems`);
    const group = fragmentGroup(d);
    if (l + f > 0 && group !== undefined) accounted.add(group);
    if (l + f === 0 && !isIkev2(d)) silent.push(d);
  }
  for (const d of silent) {
    const group = fragmentGroup(d);
    check(
      group !== undefined && accounted.has(group),
      () =>
        `frame ${d.frame} printed nothing and was reported nowhere${group ? ' (an IKE fragment of a message never shown)' : ''}`,
    );
  }
}
