// The storage the config asks for. Everything else takes a FileStorage and does not care which.
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Connection } from '../db/connection.ts';
import { createDatabaseStorage } from './database.ts';
import { createLocalStorage } from './local.ts';
import type { FileStorage } from './storage.ts';

export type { FileContent, FileStorage, OpenedFile, StoredFile } from './storage.ts';
export { InvalidKeyError, checkKey } from './storage.ts';

/** Where local storage keeps files: beside PGlite's data and the secret key. */
export function localStorageDir(dataDir: string): string {
  return join(dataDir, 'exports');
}

export function createStorage(config: Pick<Config, 'storage' | 'dataDir'>, connection: Pick<Connection, 'db'>): FileStorage {
  switch (config.storage) {
    case 'database':
      return createDatabaseStorage(connection.db);
    case 'local':
      return createLocalStorage({ dir: localStorageDir(config.dataDir) });
  }
}
