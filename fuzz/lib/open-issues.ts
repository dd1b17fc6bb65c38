/**
 * Bugs the fuzz targets found that are not fixed in their package yet. While one is open, the targets step around
 * its exact symptom, so a long run goes on to find the next bug instead of this one again; the replay tests run
 * each saved input in strict mode and expect it to fail (`it.fails` in run.test.ts), so fixing the package flips
 * that test, and then the entry here and its tolerance go. OAKLOG_FUZZ_STRICT=1 turns every tolerance off.
 */
export const openIssues = {
  'viewlog-continuation-not-stable':
    'an indented MY COOKIE / HIS COOKIE line that does not read (9 bytes, junk after it) near an "Established IKE SA" is an unknown event in one parse and absorbed into the established event (its text dropped from the event data) when the canonical print is parsed again, so canonical printing loses that line',
} as const;
// Fixed so far, replayed from corpus/regressions/ as ordinary tests: pcap-read/time-past-2106-wraps-on-write.pcap
// (packages/pcap 876100a: the classic pcap writer wrapped seconds past 2^32 - 1), and (packages/pcap 8b3d4cd)
// ip-reassembly/held-piece-past-end.bin (RangeError when a last fragment ended below bytes already held) and
// pcap-read/truncated-offset-past-eof.pcap (a cut link-layer header reported an offset past the end of the file).

/** The id of an open issue. */
export type OpenIssue = keyof typeof openIssues;

let strict = process.env.OAKLOG_FUZZ_STRICT === '1';

/** Strict mode: no open issue is tolerated (the replay tests of saved inputs). */
export function setStrict(value: boolean): void {
  strict = value;
}

/** Whether a target may step around this open issue's symptom. */
export function tolerated(_issue: OpenIssue): boolean {
  return !strict;
}
