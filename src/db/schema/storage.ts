// Files kept in the database (STORAGE=database), for API and worker processes that share only
// PostgreSQL. A file is a row plus its bytes in chunks; each write makes a new row (a version), so a
// reader that has found a version keeps reading the same bytes whatever happens to the key meanwhile.
import { sql } from 'drizzle-orm';
import { bigint, check, customType, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

/**
 * bytea as a Buffer. Values go in as hex text through decode(): PGlite's own bytea serializer walks
 * the bytes in JavaScript at a few MB/s, while a text parameter crosses at native speed (and costs
 * node-postgres little). For bulk reads select encode(column, 'hex') for the same reason; plain reads
 * get a Buffer from node-postgres and a Uint8Array from PGlite, made a Buffer here.
 */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => sql`decode(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}, 'hex')`,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
});

export const STORED_FILE_STATES = ['writing', 'ready', 'detached'] as const;
export type StoredFileState = (typeof STORED_FILE_STATES)[number];

export const storedFiles = pgTable(
  'stored_files',
  {
    id: uuid().primaryKey(),
    key: text().notNull(),
    /**
     * writing: chunks still arriving, invisible to readers. ready: the one version readers get for its
     * key. detached: replaced or deleted, kept for readers that opened it until a sweep removes it.
     */
    state: text({ enum: STORED_FILE_STATES }).notNull().default('writing'),
    size: bigint({ mode: 'number' }).notNull().default(0),
    /** Hex; known only once the last chunk is in. */
    sha256: text(),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** Last progress of a write, or when the version became ready or detached: what sweeps go by. */
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('stored_files_key_ready').on(table.key).where(sql`state = 'ready'`),
    index('stored_files_sweep').on(table.updatedAt).where(sql`state <> 'ready'`),
    check('stored_files_state', sql`state IN ('writing', 'ready', 'detached')`),
    check('stored_files_ready_sha256', sql`state = 'writing' OR sha256 IS NOT NULL`),
  ],
);

export const storedFileChunks = pgTable(
  'stored_file_chunks',
  {
    fileId: uuid('file_id')
      .notNull()
      .references(() => storedFiles.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (table) => [primaryKey({ columns: [table.fileId, table.seq] })],
);
