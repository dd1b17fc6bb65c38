/** Every way a capture file can be structurally unreadable. */
export type CaptureErrorCode =
  | 'TRUNCATED'
  | 'BAD_MAGIC'
  | 'UNSUPPORTED_VERSION'
  | 'ABSURD_LENGTH'
  | 'BAD_BLOCK_LENGTH'
  | 'BLOCK_LENGTH_MISMATCH'
  | 'TOO_MANY_INTERFACES'
  | 'BAD_INPUT'
  | 'IO_ERROR';

/** A capture that cannot be read any further: `offset` is the file offset of the bad byte, `frame` the frame being read when known. */
export class CaptureError extends Error {
  /** What went wrong, as a stable string. */
  readonly code: CaptureErrorCode;
  /** Byte offset in the capture file (0-based). */
  readonly offset: number;
  /** 1-based frame number being read, when the error belongs to a frame. */
  readonly frame: number | undefined;

  constructor(code: CaptureErrorCode, offset: number, detail: string, frame?: number, cause?: unknown) {
    super(
      `${code} at byte ${offset}${frame === undefined ? '' : ` (frame ${frame})`}: ${detail}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'CaptureError';
    this.code = code;
    this.offset = offset;
    this.frame = frame;
  }
}
