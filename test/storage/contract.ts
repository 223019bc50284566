// What every FileStorage must do, run against each backend by its own test file.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, InvalidKeyError, type FileStorage, type OpenedFile } from '../../src/storage/storage.ts';

export interface Harness {
  storage: FileStorage;
  /** Traces of unfinished writes: temporary files, or rows and chunks of versions still writing. */
  pending(): Promise<number>;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const uniqueKey = (name: string) => `${name}-${randomUUID()}.bin`;

export async function readAll(file: OpenedFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of file.stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** The bytes in pieces of uneven sizes, some smaller and some larger than a chunk. */
export async function* uneven(bytes: Buffer): AsyncGenerator<Uint8Array> {
  const sizes = [1, 7, 65_536, CHUNK_SIZE - 3, 600_000, 13, CHUNK_SIZE];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    yield new Uint8Array(bytes.subarray(offset, offset + size));
    offset += size;
    await Promise.resolve();
  }
}

/**
 * A source that yields `before`, then waits at a gate until released, then yields `after`: lets a test
 * look at the storage while a write is half done.
 */
export function gatedSource(before: Buffer, after: Buffer) {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const atGate = new Promise<void>((resolve) => (reached = resolve));
  async function* source() {
    yield* uneven(before);
    reached();
    await gate;
    yield* uneven(after);
  }
  return { source: source(), atGate, release };
}

async function* failing(bytes: Buffer, error: Error): AsyncGenerator<Uint8Array> {
  yield* uneven(bytes);
  throw error;
}

export function storageContract(setup: () => Promise<Harness>) {
  let storage: FileStorage;
  let harness: Harness;
  beforeAll(async () => {
    harness = await setup();
    storage = harness.storage;
  });

  async function expectContent(key: string, bytes: Buffer) {
    const stat = await storage.stat(key);
    expect(stat).toEqual({ key, size: bytes.length, sha256: sha256(bytes) });
    const opened = await storage.open(key);
    expect(opened).not.toBeNull();
    expect({ key: opened!.key, size: opened!.size, sha256: opened!.sha256 }).toEqual(stat);
    const read = await readAll(opened!);
    expect(read.length).toBe(bytes.length);
    expect(read.equals(bytes)).toBe(true);
  }

  describe('round trip', () => {
    it('stores an empty file', async () => {
      const key = uniqueKey('empty');
      const stored = await storage.write(key, []);
      expect(stored).toEqual({ key, size: 0, sha256: sha256(Buffer.alloc(0)) });
      await expectContent(key, Buffer.alloc(0));
    });

    it('stores a multi-chunk file given in uneven pieces, with its size and SHA-256', async () => {
      const key = uniqueKey('large');
      const bytes = randomBytes(3 * 1024 * 1024 + 12_345);
      const stored = await storage.write(key, uneven(bytes));
      expect(stored).toEqual({ key, size: bytes.length, sha256: sha256(bytes) });
      await expectContent(key, bytes);
    });

    it('stores files of exactly one and two chunks, and one byte', async () => {
      for (const size of [CHUNK_SIZE, 2 * CHUNK_SIZE, 1]) {
        const key = uniqueKey(`exact-${size}`);
        const bytes = randomBytes(size);
        await storage.write(key, [bytes]);
        await expectContent(key, bytes);
      }
    });

    it('writes strings as UTF-8 and takes a Readable as content', async () => {
      const text = ['Grüße aus ', '東京', ' 🎉\n'];
      const key = uniqueKey('text');
      await storage.write(key, text);
      await expectContent(key, Buffer.from(text.join(''), 'utf8'));

      const bytes = randomBytes(500_000);
      const fromStream = uniqueKey('readable');
      await storage.write(fromStream, Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]));
      await expectContent(fromStream, bytes);
    });

    it('answers null for a key with no file, and deleting it is not an error', async () => {
      const key = uniqueKey('missing');
      expect(await storage.open(key)).toBeNull();
      expect(await storage.stat(key)).toBeNull();
      await storage.delete(key);
    });
  });

  describe('keys', () => {
    const invalid = ['', '../x', 'a/b', '/etc/passwd', '..', '.', '.tmp-x', 'a..b', 'A.xcs', 'a\\b', 'a b', 'a\u0000b', 'é.xcs', '-a', 'x'.repeat(129)];

    it.each(invalid)('rejects %j without reading the content', async (key) => {
      let pulled = false;
      async function* source() {
        pulled = true;
        yield 'x';
      }
      await expect(storage.write(key, source())).rejects.toThrow(InvalidKeyError);
      expect(pulled).toBe(false);
      await expect(storage.open(key)).rejects.toThrow(InvalidKeyError);
      await expect(storage.stat(key)).rejects.toThrow(InvalidKeyError);
      await expect(storage.delete(key)).rejects.toThrow(InvalidKeyError);
    });

    it('accepts the keys our code makes', async () => {
      for (const key of ['a', 'x'.repeat(128), `${randomUUID()}.xcs`, 'event-12_v3.ics']) {
        await storage.write(key, ['ok']);
        await expectContent(key, Buffer.from('ok'));
      }
    });
  });

  describe('atomicity', () => {
    it('a source that throws midway leaves nothing behind, and its error propagates', async () => {
      const key = uniqueKey('failing');
      const error = new Error('renderer failed');
      await expect(storage.write(key, failing(randomBytes(CHUNK_SIZE * 3 + 5), error))).rejects.toBe(error);
      expect(await storage.open(key)).toBeNull();
      expect(await storage.stat(key)).toBeNull();
      expect(await harness.pending()).toBe(0);
    });

    it('a failing overwrite keeps the old file', async () => {
      const key = uniqueKey('keep');
      const old = randomBytes(CHUNK_SIZE + 1);
      await storage.write(key, [old]);
      await expect(storage.write(key, failing(randomBytes(CHUNK_SIZE * 2), new Error('no')))).rejects.toThrow('no');
      await expectContent(key, old);
      expect(await harness.pending()).toBe(0);
    });

    it('a reader during a write sees no file until it is complete', async () => {
      const key = uniqueKey('concurrent');
      const before = randomBytes(CHUNK_SIZE * 2 + 100);
      const after = randomBytes(CHUNK_SIZE * 2);
      const whole = Buffer.concat([before, after]);
      const gated = gatedSource(before, after);
      const writing = storage.write(key, gated.source);
      await gated.atGate;
      expect(await storage.open(key)).toBeNull();
      expect(await storage.stat(key)).toBeNull();

      // Readers racing the rest of the write: each sees nothing or all of it.
      let done = false;
      const readers = (async () => {
        const seen: string[] = [];
        while (!done) {
          const opened = await storage.open(key);
          if (!opened) {
            seen.push('none');
          } else {
            expect(opened.size).toBe(whole.length);
            expect((await readAll(opened)).equals(whole)).toBe(true);
            seen.push('whole');
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
        return seen;
      })();
      gated.release();
      await writing;
      done = true;
      const seen = await readers;
      expect(seen.every((s) => s === 'none' || s === 'whole')).toBe(true);
      await expectContent(key, whole);
    });

    it('an overwrite is atomic, and a reader keeps the version it opened', async () => {
      const key = uniqueKey('overwrite');
      const v1 = randomBytes(CHUNK_SIZE * 3 + 17);
      const v2 = randomBytes(CHUNK_SIZE * 2 + 99);
      await storage.write(key, uneven(v1));
      const early = await storage.open(key);

      const gated = gatedSource(v2.subarray(0, CHUNK_SIZE + 5), v2.subarray(CHUNK_SIZE + 5));
      const writing = storage.write(key, gated.source);
      await gated.atGate;
      await expectContent(key, v1);
      gated.release();
      expect(await writing).toEqual({ key, size: v2.length, sha256: sha256(v2) });
      await expectContent(key, v2);

      expect((await readAll(early!)).equals(v1)).toBe(true);
    });

    it('concurrent writers of one key: one of them wins, whole', async () => {
      const key = uniqueKey('race');
      const versions = Array.from({ length: 20 }, (_, i) => randomBytes(CHUNK_SIZE + i * 1000));
      const results = await Promise.all(versions.map((bytes) => storage.write(key, uneven(bytes))));
      const stat = await storage.stat(key);
      const winner = versions.find((bytes) => sha256(bytes) === stat?.sha256);
      expect(winner).toBeDefined();
      expect(results.map((r) => r.sha256)).toContain(stat!.sha256);
      await expectContent(key, winner!);
      expect(await harness.pending()).toBe(0);
    });
  });

  describe('delete and sweep', () => {
    it('delete removes the file for new readers; one already reading gets it whole', async () => {
      const key = uniqueKey('delete');
      const bytes = randomBytes(CHUNK_SIZE * 2 + 1);
      await storage.write(key, [bytes]);
      const reading = await storage.open(key);
      await storage.delete(key);
      expect(await storage.open(key)).toBeNull();
      expect(await storage.stat(key)).toBeNull();
      await storage.delete(key);
      expect((await readAll(reading!)).equals(bytes)).toBe(true);

      await storage.write(key, ['again']);
      await expectContent(key, Buffer.from('again'));
    });

    it('sweep keeps ready files and writes in progress', async () => {
      const kept = uniqueKey('kept');
      await storage.write(kept, ['kept']);
      const key = uniqueKey('in-progress');
      const gated = gatedSource(randomBytes(CHUNK_SIZE + 1), randomBytes(10));
      const writing = storage.write(key, gated.source);
      await gated.atGate;
      await storage.sweep(60_000);
      gated.release();
      await writing;
      expect(await storage.stat(key)).not.toBeNull();
      await storage.sweep(0);
      await expectContent(kept, Buffer.from('kept'));
    });
  });
}
