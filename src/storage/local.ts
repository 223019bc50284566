// Files in a local directory (STORAGE=local, the default): for one machine.
//
// Each file starts with a small header holding its size and SHA-256, so the bytes and what we know
// about them are published together by one rename, and stat() needs no second file that could
// disagree with the first. A write goes to a temporary name in the same directory, is fsynced, then
// renamed over the key: readers see the old file or the new one. A reader that has opened a file keeps
// reading it even if it is replaced or deleted meanwhile (POSIX keeps the old inode alive).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, lstat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CHUNK_SIZE, checkKey, inChunks, type FileContent, type FileStorage, type OpenedFile, type StoredFile } from './storage.ts';

/** Temporary names start with a dot, which no key can. */
const TEMP_PREFIX = '.tmp-';
const MAGIC = Buffer.from('OEFILE01', 'latin1');
/** magic (8) + sha256 (32) + size as uint64 (8). */
export const HEADER_SIZE = MAGIC.length + 32 + 8;

export interface LocalStorageOptions {
  /** Created on first write. */
  dir: string;
  chunkSize?: number;
}

export function createLocalStorage(options: LocalStorageOptions): FileStorage {
  const { dir } = options;
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;

  async function openFile(key: string): Promise<{ file: FileHandle; stored: StoredFile } | null> {
    let file: FileHandle;
    try {
      file = await open(join(dir, key), 'r');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return null;
      throw error;
    }
    try {
      return { file, stored: await readHeader(file, key) };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  return {
    async write(key: string, content: FileContent): Promise<StoredFile> {
      checkKey(key);
      await mkdir(dir, { recursive: true });
      const temp = join(dir, TEMP_PREFIX + randomBytes(12).toString('hex'));
      const file = await open(temp, 'wx', 0o600);
      let fileOpen = true;
      try {
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of inChunks(content, chunkSize)) {
          hash.update(chunk);
          await writeAll(file, chunk, HEADER_SIZE + size);
          size += chunk.length;
        }
        const sha256 = hash.digest();
        await writeAll(file, header(sha256, size), 0);
        await file.sync();
        fileOpen = false;
        await file.close();
        await rename(temp, join(dir, key));
        await syncDirectory(dir);
        return { key, size, sha256: sha256.toString('hex') };
      } catch (error) {
        if (fileOpen) await file.close().catch(() => {});
        await rm(temp, { force: true }).catch(() => {});
        throw error;
      }
    },

    async open(key: string): Promise<OpenedFile | null> {
      checkKey(key);
      const opened = await openFile(key);
      if (!opened) return null;
      const stream = opened.file.createReadStream({ start: HEADER_SIZE, highWaterMark: chunkSize, autoClose: true });
      return { ...opened.stored, stream };
    },

    async stat(key: string): Promise<StoredFile | null> {
      checkKey(key);
      const opened = await openFile(key);
      if (!opened) return null;
      await opened.file.close();
      return opened.stored;
    },

    async delete(key: string): Promise<void> {
      checkKey(key);
      await rm(join(dir, key), { force: true });
    },

    async sweep(olderThanMs: number): Promise<number> {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if (isCode(error, 'ENOENT')) return 0;
        throw error;
      }
      // A live write touches its file with every chunk, so only abandoned ones are this old.
      const cutoff = Date.now() - olderThanMs;
      let removed = 0;
      for (const name of names) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const path = join(dir, name);
        try {
          if ((await lstat(path)).mtimeMs >= cutoff) continue;
          await rm(path, { force: true });
          removed++;
        } catch (error) {
          if (!isCode(error, 'ENOENT')) throw error;
        }
      }
      return removed;
    },
  };
}

function header(sha256: Buffer, size: number): Buffer {
  const bytes = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(bytes, 0);
  sha256.copy(bytes, MAGIC.length);
  bytes.writeBigUInt64BE(BigInt(size), MAGIC.length + 32);
  return bytes;
}

async function readHeader(file: FileHandle, key: string): Promise<StoredFile> {
  const bytes = Buffer.alloc(HEADER_SIZE);
  const { bytesRead } = await file.read(bytes, 0, HEADER_SIZE, 0);
  const { size: fileSize } = await file.stat();
  const size = Number(bytes.readBigUInt64BE(MAGIC.length + 32));
  if (bytesRead !== HEADER_SIZE || !bytes.subarray(0, MAGIC.length).equals(MAGIC) || fileSize !== HEADER_SIZE + size) {
    throw new Error(`stored file "${key}" is damaged: its header does not match its length`);
  }
  return { key, size, sha256: bytes.subarray(MAGIC.length, MAGIC.length + 32).toString('hex') };
}

async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written, position + written);
    written += bytesWritten;
  }
}

/** Makes the rename itself durable. Not possible everywhere (Windows cannot open a directory). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file's bytes are synced; at worst a crash right now forgets the rename, never half a file.
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}
