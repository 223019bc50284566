// Where export files live: one interface, a local directory or the database behind it (an
// S3-compatible store fits too). Keys are made by our code, never taken from a request.
import type { Readable } from 'node:stream';

export interface StoredFile {
  key: string;
  /** Bytes. */
  size: number;
  /** Hex SHA-256 of the bytes: a strong ETag, and a check on the copy. */
  sha256: string;
}

export interface OpenedFile extends StoredFile {
  /** The bytes; consume or destroy it, as it holds a file descriptor or reads chunks on demand. */
  stream: Readable;
}

export type FileContent = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export interface FileStorage {
  /**
   * Stores the content under key, replacing any file there, all at once: readers see the old file or
   * the new one, never part of one. If content throws, nothing is left behind and the error propagates.
   * Strings are written as UTF-8.
   */
  write(key: string, content: FileContent): Promise<StoredFile>;
  /** The file, or null when there is none. A reader keeps the version it opened, even if replaced. */
  open(key: string): Promise<OpenedFile | null>;
  stat(key: string): Promise<StoredFile | null>;
  /** Removes the file if there is one. */
  delete(key: string): Promise<void>;
  /**
   * Frees what no new reader can reach: writes that made no progress for olderThanMs (their process
   * died) and, in the database, replaced or deleted versions detached that long ago. Returns how many.
   */
  sweep(olderThanMs: number): Promise<number>;
}

/** Chunks the backends write and read at a time: bounds memory per transfer. */
export const CHUNK_SIZE = 256 * 1024;

const KEY = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export class InvalidKeyError extends Error {
  override name = 'InvalidKeyError';
  constructor(key: unknown) {
    super(`invalid storage key ${JSON.stringify(key)}: expected 1-128 of a-z 0-9 . _ - starting with a letter or digit`);
  }
}

/** Keys become file names: the strict shape leaves no room for paths, dot files or traversal. */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || !KEY.test(key) || key.includes('..')) throw new InvalidKeyError(key);
}

/**
 * Regroups content into fresh buffers of exactly `size` bytes (the last one shorter; none for empty
 * content), so the backends write few large pieces whatever the producer yields, and never hold more
 * than one chunk plus one piece.
 */
export async function* inChunks(content: FileContent, size: number): AsyncGenerator<Buffer> {
  let buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const piece of content) {
    let bytes: Uint8Array;
    if (typeof piece === 'string') bytes = Buffer.from(piece, 'utf8');
    else if (piece instanceof Uint8Array) bytes = piece;
    else throw new TypeError(`file content must be strings or bytes, got ${typeof piece}`);
    let offset = 0;
    while (offset < bytes.length) {
      const taken = Math.min(size - filled, bytes.length - offset);
      buffer.set(bytes.subarray(offset, offset + taken), filled);
      filled += taken;
      offset += taken;
      if (filled === size) {
        yield buffer;
        buffer = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
