// Files in the database (STORAGE=database): for API and worker processes on different machines that
// share only PostgreSQL.
//
// Every write is a new version row in state 'writing', invisible to readers; its chunks go in one
// statement each, outside any transaction, because on PGlite (one connection) a transaction held
// across the whole stream would stall every other query, the job queue included. One short
// transaction then detaches the key's current version and makes the new one 'ready'. Readers look up
// the ready version once and then read its chunks by version id, so they see one whole version even
// if the key is replaced or deleted while they read; detached versions wait for sweep().
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, asc, eq, gte, lt, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { storedFileChunks, storedFiles } from '../db/schema/index.ts';
import { CHUNK_SIZE, checkKey, inChunks, type FileContent, type FileStorage, type OpenedFile, type StoredFile } from './storage.ts';

/** The first half of the advisory lock key that serialises commits to one key; any fixed number. */
const COMMIT_LOCK_CLASS = 0x6f657366;
/** Chunks fetched per query while reading: fewer round trips, still a bounded amount in memory. */
const CHUNKS_PER_READ = 4;

export class AbandonedWriteError extends Error {
  override name = 'AbandonedWriteError';
}

export interface DatabaseStorageOptions {
  chunkSize?: number;
}

export function createDatabaseStorage(db: Database, options: DatabaseStorageOptions = {}): FileStorage {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;

  /** The key's ready version: its id to read chunks by, and what callers see. */
  async function ready(key: string): Promise<{ id: string; file: StoredFile } | null> {
    const [row] = await db
      .select({ id: storedFiles.id, size: storedFiles.size, sha256: storedFiles.sha256 })
      .from(storedFiles)
      .where(and(eq(storedFiles.key, key), eq(storedFiles.state, 'ready')));
    return row ? { id: row.id, file: { key, size: row.size, sha256: row.sha256 ?? '' } } : null;
  }

  async function* chunksOf(id: string, file: StoredFile): AsyncGenerator<Buffer> {
    // Chunks vanish only when a sweep removes the version; then fail rather than serve part of it.
    const removed = () => new Error(`stored file "${file.key}" was removed while being read`);
    let next = 0;
    let read = 0;
    while (read < file.size) {
      const rows = await db
        .select({ seq: storedFileChunks.seq, hex: sql<string>`encode(${storedFileChunks.data}, 'hex')` })
        .from(storedFileChunks)
        .where(and(eq(storedFileChunks.fileId, id), gte(storedFileChunks.seq, next)))
        .orderBy(asc(storedFileChunks.seq))
        .limit(CHUNKS_PER_READ);
      if (rows.length === 0) throw removed();
      for (const row of rows) {
        if (row.seq !== next) throw removed();
        const data = Buffer.from(row.hex, 'hex');
        next++;
        read += data.length;
        yield data;
      }
    }
    if (read !== file.size) throw removed();
  }

  return {
    async write(key: string, content: FileContent): Promise<StoredFile> {
      checkKey(key);
      const id = randomUUID();
      await db.insert(storedFiles).values({ id, key, state: 'writing' });
      try {
        const hash = createHash('sha256');
        let size = 0;
        let seq = 0;
        for await (const chunk of inChunks(content, chunkSize)) {
          // Marks progress, so a sweep only takes writes whose process died, and learns of a sweep.
          const alive = await db
            .update(storedFiles)
            .set({ updatedAt: sql`now()` })
            .where(and(eq(storedFiles.id, id), eq(storedFiles.state, 'writing')))
            .returning({ id: storedFiles.id });
          if (alive.length === 0) throw new AbandonedWriteError(`the write of "${key}" was swept as abandoned`);
          hash.update(chunk);
          await db.insert(storedFileChunks).values({ fileId: id, seq: seq++, data: chunk });
          size += chunk.length;
        }
        const sha256 = hash.digest('hex');
        await db.transaction(async (tx) => {
          // Two writers committing one key at once would otherwise both find no ready version to
          // detach, and the second would break the one-ready-version-per-key index.
          await tx.execute(sql`SELECT pg_advisory_xact_lock(${COMMIT_LOCK_CLASS}::integer, hashtext(${key}))`);
          await tx
            .update(storedFiles)
            .set({ state: 'detached', updatedAt: sql`now()` })
            .where(and(eq(storedFiles.key, key), eq(storedFiles.state, 'ready')));
          const committed = await tx
            .update(storedFiles)
            .set({ state: 'ready', size, sha256, updatedAt: sql`now()` })
            .where(and(eq(storedFiles.id, id), eq(storedFiles.state, 'writing')))
            .returning({ id: storedFiles.id });
          if (committed.length === 0) throw new AbandonedWriteError(`the write of "${key}" was swept as abandoned`);
        });
        return { key, size, sha256 };
      } catch (error) {
        // Chunks go with their row. If even this fails (database gone), sweep() takes them later.
        await db
          .delete(storedFiles)
          .where(and(eq(storedFiles.id, id), ne(storedFiles.state, 'ready')))
          .catch(() => {});
        throw error;
      }
    },

    async open(key: string): Promise<OpenedFile | null> {
      checkKey(key);
      const found = await ready(key);
      if (!found) return null;
      const stream = Readable.from(chunksOf(found.id, found.file), { objectMode: false, highWaterMark: chunkSize });
      return { ...found.file, stream };
    },

    async stat(key: string): Promise<StoredFile | null> {
      checkKey(key);
      return (await ready(key))?.file ?? null;
    },

    async delete(key: string): Promise<void> {
      checkKey(key);
      await db
        .update(storedFiles)
        .set({ state: 'detached', updatedAt: sql`now()` })
        .where(and(eq(storedFiles.key, key), eq(storedFiles.state, 'ready')));
    },

    async sweep(olderThanMs: number): Promise<number> {
      // The database's clock, not ours: writers on other machines stamped updated_at with it.
      const removed = await db
        .delete(storedFiles)
        .where(
          and(
            ne(storedFiles.state, 'ready'),
            lt(storedFiles.updatedAt, sql`now() - ${Math.max(0, olderThanMs)}::double precision * interval '1 millisecond'`),
          ),
        )
        .returning({ id: storedFiles.id });
      return removed.length;
    },
  };
}
