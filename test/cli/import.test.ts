// `openevent import` as an operator runs it: a schedule file into an event, the format guessed from the file,
// a summary on stdout (OES's whole-event zip adds its records to the event); a dry run writes nothing; a broken file stops with its line and exit status 2.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { ZipFile } from 'yazl';
import { openDatabase, openPglite } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createUser } from '../../src/domain/users.ts';
import { createEvent } from '../../src/domain/events.ts';
import { sessions } from '../../src/db/schema/index.ts';
import { currentBackend, testDatabase } from '../support/app.ts';
import { sharedPath } from '../support/shared.ts';

function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => done(Buffer.concat(chunks)));
    zip.outputStream.on('error', fail);
  });
}

const cli = resolve(import.meta.dirname, '..', '..', 'src', 'cli.ts');

describe('openevent import', () => {
  it('imports frab JSON into an event, a dry run of it again changes nothing, a broken file is refused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openevent-import-'));
    const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, PUBLIC_URL: 'https://events.example.org' };
    delete env.DATABASE_URL;
    const database = currentBackend() === 'postgres' ? await testDatabase() : null;
    const open = async () => database?.connection ?? (await openDatabase({ databaseUrl: null, dataDir, pglite: await openPglite(join(dataDir, 'pglite')) }));
    let connection = await open();
    if (database) env.DATABASE_URL = database.url!;
    const closeLocal = async () => {
      if (!database) await (connection as { pglite: { close(): Promise<void> } }).pglite.close();
    };
    try {
      await migrate(connection);
      const user = await createUser(connection.db, { email: 'cli@example.org', password: 'password1' });
      const event = await createEvent(connection.db, user, {
        name: 'Camp',
        startsAt: new Date('2019-08-20T00:00:00Z'),
        endsAt: new Date('2019-08-26T00:00:00Z'),
        timezone: 'Europe/Berlin',
      });
      await closeLocal();
      const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'import', ...args], { env, encoding: 'utf8', timeout: 60_000 });

      const first = run(event.identifier, sharedPath('samples', 'frab-camp2019.json'));
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/^imported:\nsessions +79 created, 0 updated, 0 unchanged, 0 withdrawn$/m);

      const dry = run(String(event.id), sharedPath('samples', 'frab-camp2019.json'), '--format', 'frab-json', '--dry-run');
      expect(dry.status, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('dry run: nothing was written');
      expect(dry.stdout).toMatch(/sessions +0 created, 0 updated, 79 unchanged, 0 withdrawn/);

      // OES's whole-event zip, format guessed from its bytes: its records are added to the event.
      const archive = join(dataDir, 'event.zip');
      writeFileSync(
        archive,
        await zipOf({
          event: JSON.stringify({ name: 'Elsewhere', starts_at: '2019-08-21T10:00:00+00:00', ends_at: '2019-08-22T10:00:00+00:00', timezone: 'UTC' }),
          tracks: '[{"id": 1, "name": "Zipped track"}]',
          sessions: '[{"id": 2, "title": "Zipped talk", "state": "accepted", "track_id": 1, "starts_at": "2019-08-21T12:00:00+00:00", "ends_at": "2019-08-21T13:00:00+00:00"}]',
          sponsors: '[{"id": 3, "name": "Zip Inc"}]',
        }),
      );
      const zipped = run(event.identifier, archive);
      expect(zipped.status, zipped.stderr).toBe(0);
      expect(zipped.stdout).toMatch(/^sessions +1 created, 0 updated, 0 unchanged, 0 withdrawn$/m);
      expect(zipped.stdout).toMatch(/^tracks +1 created/m);
      expect(zipped.stdout).toMatch(/^sponsors +1 created/m);

      const broken = join(dataDir, 'broken.xml');
      writeFileSync(broken, '<schedule>\n<day>\n</schedule>\n');
      const refused = run(event.identifier, broken);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/broken\.xml: The file is not well-formed XML.*\(line 3\)/);

      const unknown = run('nosuchev', broken);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('no event "nosuchev"');

      connection = await open();
      const [row] = await connection.db.select({ n: count() }).from(sessions).where(eq(sessions.eventId, event.id));
      expect(row!.n).toBe(80);
      await closeLocal();
    } finally {
      await database?.drop();
    }
  }, 180_000);
});
