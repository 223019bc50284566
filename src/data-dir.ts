// The data directory holds the embedded database (password hashes, attendees' and speakers' private
// data), the secret key and export files: only the server's own user may read any of it. The umask is
// tightened before anything is written; the embedded Postgres masks with a umask of its own, so its
// directory is closed again once it is up (connection.ts); and a directory left open by an earlier
// version is closed at start, with a line in the log.
import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

/** New files 0600, new directories 0700, whatever mode the code creating them asks for. */
const OWNER_ONLY_UMASK = 0o077;

/** Takes group and other access away from `path` and everything under it; returns how many entries had any. */
export function closeToOthers(path: string): number {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0;
  let closed = 0;
  if (stat.mode & 0o077) {
    chmodSync(path, stat.mode & 0o700);
    closed++;
  }
  if (stat.isDirectory()) for (const name of readdirSync(path)) closed += closeToOthers(join(path, name));
  return closed;
}

/**
 * Makes `dataDir` private before the database opens: sets the process umask (child processes, such as
 * PGlite's first initdb, inherit it), creates the directory 0700, and closes an existing one. Returns a
 * line for the log when something had been open to other users.
 */
export function secureDataDir(dataDir: string): string | null {
  process.umask(OWNER_ONLY_UMASK);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Through a symbolic link to the directory it names (the walk below does not follow links).
  const dir = realpathSync(dataDir);
  const mode = lstatSync(dir).mode & 0o777;
  const closed = closeToOthers(dir);
  if (closed === 0) return null;
  const entries = closed === 1 ? '1 entry' : `${closed} entries`;
  return `data directory ${dataDir} was open to other users (mode ${mode.toString(8).padStart(4, '0')}; ${entries} in all): now owner only`;
}
