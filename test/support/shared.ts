// Locates ../shared (standards, vectors, samples). Its files are not ours to commit: tests read them in
// place and skip, with a printed reason, when the folder is absent (a clone elsewhere).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const projectRoot = resolve(import.meta.dirname, '..', '..');

export const sharedDir: string | null = (() => {
  const dir = process.env.OPENEVENT_SHARED_DIR ?? resolve(projectRoot, '..', 'shared');
  return existsSync(resolve(dir, 'README.md')) ? dir : null;
})();

if (!sharedDir) {
  console.warn(
    `[shared] skipping tests that need ../shared: not found (set OPENEVENT_SHARED_DIR to its path)`,
  );
}

/** Absolute path of a file under the shared folder; only call inside a test guarded by `sharedDir`. */
export function sharedPath(...parts: string[]): string {
  if (!sharedDir) throw new Error('shared folder is absent');
  return resolve(sharedDir, ...parts);
}
