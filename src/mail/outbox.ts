// The outbox: mail kept as files, one RFC 5322 message (.eml) each, named so that a directory listing
// is in the order they were written.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Writes the message and returns its path. Written under a temporary name and renamed, so a reader never sees half a mail. */
export async function writeOutbox(dir: string, message: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
  const file = join(dir, name);
  const temporary = join(dir, `.${name}.tmp`);
  await writeFile(temporary, message, { mode: 0o600 });
  await rename(temporary, file);
  return file;
}
