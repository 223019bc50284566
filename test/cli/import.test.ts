// `openevent import` as an operator runs it: a schedule file into an event, the format guessed from the file,
// a summary on stdout; a dry run writes nothing; a broken file stops with its line and exit status 2.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { openDatabase, openPglite } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createUser } from '../../src/domain/users.ts';
import { createEvent } from '../../src/domain/events.ts';
import { sessions } from '../../src/db/schema/index.ts';
import { currentBackend, testDatabase } from '../support/app.ts';
import { sharedPath } from '../support/shared.ts';

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
      expect(row!.n).toBe(79);
      await closeLocal();
    } finally {
      await database?.drop();
    }
  }, 180_000);
});
