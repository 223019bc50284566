import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalStorage, HEADER_SIZE } from '../../src/storage/local.ts';
import { storageContract, uniqueKey } from './contract.ts';

const root = mkdtempSync(join(tmpdir(), 'openevent-storage-'));
const dir = join(root, 'exports');
const storage = createLocalStorage({ dir });
const temporaryFiles = () => readdirSync(dir).filter((name) => name.startsWith('.'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('local storage', () => {
  storageContract(async () => ({ storage, pending: async () => temporaryFiles().length }));

  it('keeps each file under its key, and nothing else once writes are done', async () => {
    const key = uniqueKey('named');
    await storage.write(key, ['hello']);
    expect(statSync(join(dir, key)).size).toBe(HEADER_SIZE + 5);
    expect(temporaryFiles()).toEqual([]);
  });

  it('refuses a damaged file instead of serving it', async () => {
    const key = uniqueKey('damaged');
    await storage.write(key, ['some bytes that get cut']);
    truncateSync(join(dir, key), HEADER_SIZE + 4);
    await expect(storage.open(key)).rejects.toThrow(/damaged/);
    await expect(storage.stat(key)).rejects.toThrow(/damaged/);
  });

  it('sweep removes temporary files left by a dead process, and only old ones', async () => {
    const stale = join(dir, '.tmp-dead');
    const fresh = join(dir, '.tmp-alive');
    writeFileSync(stale, 'half');
    writeFileSync(fresh, 'half');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    expect(await storage.sweep(60_000)).toBe(1);
    expect(temporaryFiles()).toEqual(['.tmp-alive']);
    rmSync(fresh);
  });

  it('sweep of a directory not created yet finds nothing', async () => {
    expect(await createLocalStorage({ dir: join(root, 'never') }).sweep(0)).toBe(0);
  });
});
