import { splitLines } from '@oaklog/viewlog';

/** Splitting a log into lines must keep every byte, whatever the text. */
export function fuzz(data: Uint8Array): void {
  const text = new TextDecoder().decode(data);
  if (splitLines(text).join('') !== text) throw new Error('splitLines lost bytes');
}
