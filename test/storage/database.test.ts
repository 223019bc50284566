import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.ts';
import { storedFileChunks, storedFiles } from '../../src/db/schema/index.ts';
import { AbandonedWriteError, createDatabaseStorage } from '../../src/storage/database.ts';
import { CHUNK_SIZE, type FileStorage } from '../../src/storage/storage.ts';
import { testDatabase, type TestDatabase } from '../support/app.ts';
import { gatedSource, readAll, storageContract, uniqueKey } from './contract.ts';

let database: TestDatabase;
let db: Database;
let storage: FileStorage;

beforeAll(async () => {
  database = await testDatabase();
  db = database.connection.db;
  storage = createDatabaseStorage(db);
});
afterAll(() => database?.drop());

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const result = (await db.execute(query)) as unknown as { rows: { n: number | string }[] };
  return Number(result.rows[0].n);
}

/** Rows of versions still writing, and their chunks. */
const pending = () =>
  count(sql`SELECT (SELECT count(*) FROM stored_files WHERE state = 'writing')
    + (SELECT count(*) FROM stored_file_chunks c JOIN stored_files f ON f.id = c.file_id WHERE f.state = 'writing') AS n`);

async function versionsOf(key: string) {
  return db.select({ id: storedFiles.id, state: storedFiles.state }).from(storedFiles).where(eq(storedFiles.key, key));
}

describe('database storage', () => {
  storageContract(async () => ({ storage, pending }));

  it('keeps a file as chunks of at most CHUNK_SIZE bytes, in order', async () => {
    const key = uniqueKey('chunks');
    const bytes = randomBytes(CHUNK_SIZE * 4 + 10);
    await storage.write(key, [bytes]);
    const [version] = await versionsOf(key);
    const chunks = await db
      .select({ seq: storedFileChunks.seq, size: sql<number>`length(${storedFileChunks.data})` })
      .from(storedFileChunks)
      .where(eq(storedFileChunks.fileId, version.id))
      .orderBy(storedFileChunks.seq);
    expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(chunks.map((c) => Number(c.size))).toEqual([CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE, 10]);
  });

  it('holds no transaction while a write streams: other transactions run meanwhile', async () => {
    const key = uniqueKey('no-long-transaction');
    const gated = gatedSource(randomBytes(CHUNK_SIZE * 2), randomBytes(10));
    const writing = storage.write(key, gated.source);
    await gated.atGate;
    // On PGlite, with its single connection, this would wait for the write if it held a transaction.
    const inside = await db.transaction(async (tx) => tx.select({ id: storedFiles.id }).from(storedFiles).where(eq(storedFiles.key, key)));
    expect(inside).toHaveLength(1);
    gated.release();
    await writing;
  });

  it('an overwrite or delete detaches the old version; sweep frees it', async () => {
    const key = uniqueKey('versions');
    await storage.write(key, [randomBytes(CHUNK_SIZE + 1)]);
    await storage.write(key, ['second']);
    expect((await versionsOf(key)).map((v) => v.state).sort()).toEqual(['detached', 'ready']);
    await storage.delete(key);
    expect((await versionsOf(key)).map((v) => v.state)).toEqual(['detached', 'detached']);

    expect(await storage.sweep(3_600_000)).toBe(0);
    expect(await storage.sweep(0)).toBeGreaterThanOrEqual(2);
    expect(await versionsOf(key)).toEqual([]);
    expect(await count(sql`SELECT count(*) AS n FROM stored_file_chunks c LEFT JOIN stored_files f ON f.id = c.file_id WHERE f.id IS NULL`)).toBe(0);
  });

  it('a reader whose version is swept mid-read fails instead of ending early', async () => {
    const key = uniqueKey('swept-while-read');
    await storage.write(key, [randomBytes(CHUNK_SIZE * 12)]);
    const opened = await storage.open(key);
    await storage.delete(key);
    const iterator = opened!.stream[Symbol.asyncIterator]();
    await iterator.next();
    await storage.sweep(0);
    const rest = async () => {
      while (!(await iterator.next()).done);
    };
    await expect(rest()).rejects.toThrow(/removed while being read/);
  });

  it('sweep removes writes abandoned by a dead process, chunks and all', async () => {
    const id = randomUUID();
    await db.insert(storedFiles).values({ id, key: 'abandoned.bin', state: 'writing', updatedAt: new Date(Date.now() - 3_600_000) });
    await db.insert(storedFileChunks).values({ fileId: id, seq: 0, data: Buffer.from('half') });
    expect(await storage.sweep(60_000)).toBeGreaterThanOrEqual(1);
    expect(await versionsOf('abandoned.bin')).toEqual([]);
    expect(await pending()).toBe(0);
  });

  it('a write swept as abandoned fails and leaves nothing', async () => {
    const key = uniqueKey('swept-write');
    const gated = gatedSource(randomBytes(CHUNK_SIZE + 1), randomBytes(CHUNK_SIZE));
    const writing = storage.write(key, gated.source);
    await gated.atGate;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await storage.sweep(0)).toBeGreaterThanOrEqual(1);
    gated.release();
    await expect(writing).rejects.toThrow(AbandonedWriteError);
    expect(await storage.stat(key)).toBeNull();
    expect(await versionsOf(key)).toEqual([]);
  });

  it('reads bytea back as Buffers on this driver', async () => {
    const key = uniqueKey('bytea');
    const bytes = Buffer.from([0, 1, 2, 0x5c, 0x78, 255, 0]);
    await storage.write(key, [bytes]);
    const opened = await storage.open(key);
    const parts: unknown[] = [];
    for await (const part of opened!.stream) parts.push(part);
    expect(parts.every((part) => Buffer.isBuffer(part))).toBe(true);
    expect(Buffer.concat(parts as Buffer[]).equals(bytes)).toBe(true);
  });
});
