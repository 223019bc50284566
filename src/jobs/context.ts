// What jobs work with: the settings, the database and file storage.
import type { Config } from '../config.ts';
import type { Connection } from '../db/connection.ts';
import type { FileStorage } from '../storage/index.ts';

export interface JobContext {
  config: Config;
  connection: Connection;
  storage: FileStorage;
}
