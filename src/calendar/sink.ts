// Where serializers write: UTF-8 bytes straight into ~64 KB chunks. Each value is escaped (text.ts) and encoded as
// it is written: no string of the document, not even of a session, is built, so there is no rope to flatten, no
// garbage that outlives a young-generation GC, and the consumer (a file, a socket, gzip) gets bytes as they are.

export const CHUNK_BYTES = 64 * 1024;

export class ByteSink {
  /** Full chunks, ready to be handed out. */
  readonly ready: Uint8Array[] = [];
  buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  pos = 0;

  /**
   * Makes room for `n` more bytes, handing out the current chunk first if they do not fit. What is written up to
   * the next `reserve` lands in one chunk, contiguous: writers rely on it to roll back or copy what they wrote.
   */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /** Hands out what the current chunk holds, however little. */
  flush(): void {
    if (this.pos === 0) return;
    this.ready.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
  }

  /** ASCII text that needs no escaping (markup, names of properties, numbers); room must be reserved. */
  ascii(s: string): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    this.pos = pos;
  }

  /** Bytes made before (markup, see `bytes`); room must be reserved. A native copy: far cheaper than `ascii`. */
  put(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Bytes written before (see `Repeats`); reserves room itself. */
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

const encoder = new TextEncoder();

/** Markup and other constant text, encoded once at load time for `put`. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Remembers the bytes written for one object, and copies them when asked to write the same object again: the
 * builder passes a single `{ tzid }` to every local DATE-TIME of an export. Room must be reserved by the caller.
 */
export class SameAsLast {
  private key: object | undefined;
  private bytes: Uint8Array | undefined;

  write(sink: ByteSink, key: object, write: () => void): void {
    if (key === this.key && this.bytes) {
      sink.put(this.bytes);
      return;
    }
    const start = sink.pos;
    write();
    this.key = key;
    this.bytes = sink.buf.slice(start, sink.pos);
  }
}
