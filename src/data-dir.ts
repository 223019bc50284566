// The data directory holds the embedded database (password hashes, attendees' and speakers' private
// data), the secret key and export files: only the server's own user may read it. PGlite asks for
// permissive modes (its files came out 0666) and leaves the rest to the umask, so the umask is
// tightened before anything is written; an existing directory that others can enter is closed, which
// closes everything under it.
import { chmodSync, mkdirSync, statSync } from 'node:fs';

/** New files 0600, new directories 0700, whatever mode the code creating them asks for. */
const OWNER_ONLY_UMASK = 0o077;

/**
 * Makes `dataDir` private before the database opens: sets the process umask (child processes, such as
 * PGlite's first initdb, inherit it), creates the directory 0700 or takes group and other access away
 * from an existing one. Returns a line for the log when an existing directory had to be tightened.
 */
export function secureDataDir(dataDir: string): string | null {
  process.umask(OWNER_ONLY_UMASK);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  chmodSync(dataDir, mode & 0o700);
  const octal = (value: number) => value.toString(8).padStart(4, '0');
  return `data directory ${dataDir} was open to other users (mode ${octal(mode)}); tightened to ${octal(mode & 0o700)}`;
}
