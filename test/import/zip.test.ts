// The bounded zip reader on its own (src/import/zip.ts): it reads the entries asked for into memory and lists the
// rest, and refuses, before reading, an archive past any of its bounds or with a name leaving the archive. Each
// bound is exercised with small limits, so the test does not need archives of the real sizes.
import { describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { ImportError } from '../../src/import/model.ts';
import { guessImportFormat } from '../../src/import/registry.ts';
import { ZIP_LIMITS, readZip, unsafeEntryName } from '../../src/import/zip.ts';

function makeZip(entries: [name: string, content: string | Buffer, compress?: boolean][]): Promise<Buffer> {
  const z = new ZipFile();
  for (const [name, content, compress = true] of entries) z.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { compress });
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}

const small = { ...ZIP_LIMITS, maxEntries: 3, maxEntryBytes: 1000, maxTotalBytes: 1500, maxRatio: 10, ratioFloorBytes: 100 };

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImportError);
  return (error as Error).message;
}

describe('readZip', () => {
  it('reads the entries asked for and lists every entry with its size', async () => {
    const zip = await makeZip([['event', '{"a": 1}'], ['images/logo.png', Buffer.from([1, 2, 3])], ['sessions', '[]', false]]);
    const read = await readZip(zip, (name) => !name.startsWith('images/'));
    expect(read.entries).toEqual([
      { name: 'event', size: 8, directory: false },
      { name: 'images/logo.png', size: 3, directory: false },
      { name: 'sessions', size: 2, directory: false },
    ]);
    expect([...read.files].map(([name, bytes]) => [name, bytes.toString()])).toEqual([
      ['event', '{"a": 1}'],
      ['sessions', '[]'],
    ]);
  });

  it('refuses each bound: entries, one entry, all entries, the inflation ratio', async () => {
    const random = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + 13) % 251));
    expect(await refusal(readZip(await makeZip([['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]), () => true, small))).toMatch(/holds 4 entries, more than the 3/);
    expect(await refusal(readZip(await makeZip([['a', random(1001)]]), () => true, small))).toMatch(/"a" inflates to 1001 bytes, more than the 1000/);
    expect(await refusal(readZip(await makeZip([['a', random(900)], ['b', random(700)]]), () => true, small))).toMatch(/more than the 1500 bytes/);
    expect(await refusal(readZip(await makeZip([['a', Buffer.alloc(900, 0x61)]]), () => true, small))).toMatch(/"a" inflates \d+ times its size/);
    // Not read, not counted: an entry nobody asked for is only listed.
    await expect(readZip(await makeZip([['a', random(1001)]]), () => false, small)).resolves.toMatchObject({ entries: [{ name: 'a', size: 1001 }] });
  });

  it('refuses names that leave the archive, and bytes that are no zip', async () => {
    expect(unsafeEntryName('../x')).toMatch(/climbs out/);
    expect(unsafeEntryName('a/../../x')).toMatch(/climbs out/);
    expect(unsafeEntryName('/etc/passwd')).toMatch(/absolute/);
    expect(unsafeEntryName('C:/x')).toMatch(/absolute/);
    expect(unsafeEntryName('a/b..c')).toBeNull();
    const zip = await makeZip([['aa/bb', 'x']]);
    // A backslash is read as a folder separator, so `..\` climbs out too.
    const backslashed = Buffer.from(zip.toString('latin1').replaceAll('aa/bb', '..\\bb'), 'latin1');
    expect(await refusal(readZip(backslashed, () => false))).toMatch(/"\.\.\/bb" has a path that climbs out/);
    expect(await refusal(readZip(Buffer.from('hello'), () => true))).toMatch(/not a zip archive/);
    expect(await refusal(readZip(Buffer.concat([zip.subarray(0, 40)]), () => true))).toMatch(/not a readable zip archive/);
  });

  it('is what a file starting as a zip is taken for', () => {
    expect(guessImportFormat('event.zip', 'PK\u0003\u0004rest')?.id).toBe('event-json');
    expect(guessImportFormat(null, 'PK\u0003\u0004rest')?.id).toBe('event-json');
  });
});
