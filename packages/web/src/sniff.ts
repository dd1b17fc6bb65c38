/**
 * What a dropped or picked file is. A capture is known by its magic number; a key file by its first characters (our
 * JSON opens with `{`, Wireshark's `ikev1_decryption_table` with a cookie and a comma); anything else is read as a View
 * Log, which the worker refuses in one sentence if it holds binary data.
 */
import { decodeLogBytes } from '@oaklog/viewlog';

/** First four bytes of pcap (either byte order, µs or ns) and pcapng files. */
const CAPTURE_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a];

export type FileKind = 'capture' | 'keys' | 'log';

/** Whether the first bytes of a file are a pcap or pcapng magic number. */
export function isCapture(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const magic = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
  return CAPTURE_MAGICS.includes(magic);
}

/** A Wireshark decryption table line: an initiator cookie (unquoted hex, quoted hex or `"\x.."` string), a comma. */
const TABLE_LINE = /^\s*"?(?:[0-9a-f]{16}|(?:\\x[0-9a-f]{2}){8})"?\s*,/i;

/**
 * What a file is, from its first bytes (a few KiB are enough): a capture, a key file, or (anything else) a log. A key
 * file is told from a log by its first non-blank, non-comment line.
 */
export function sniff(head: Uint8Array): FileKind {
  if (isCapture(head)) return 'capture';
  const { text } = decodeLogBytes(head);
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(body)) return 'keys';
  const first = body.split(/\r\n|\r|\n/).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return first !== undefined && TABLE_LINE.test(first) ? 'keys' : 'log';
}
