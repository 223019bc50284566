// What every route plugin gets: the database, settings, token service, job queue and mailer. Passed as plugin
// options rather than global decorators, so a plugin's dependencies are visible in its signature.
import type { Config } from '../config.ts';
import type { Database, Connection } from '../db/connection.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { PgBoss } from 'pg-boss';
import type { FileStorage } from '../storage/index.ts';
import type { Mailer } from '../mail/mailer.ts';

export interface AppContext {
  config: Config;
  connection: Connection;
  db: Database;
  tokens: TokenService;
  /** The job queue, for sending jobs; null only in tests that build the HTTP layer without one. */
  boss: PgBoss | null;
  /** Where export files are kept, for downloads. */
  storage: FileStorage;
  /** Sends account mail (verification, password reset): SMTP, or the outbox in DATA_DIR. */
  mailer: Mailer;
}
