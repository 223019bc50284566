// `openevent export` as an operator runs it: straight from the database to a file, the same bytes
// every time for an unchanged schedule.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ICAL from 'ical.js';
import { openDatabase, openPglite } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createUser } from '../../src/domain/users.ts';
import { createEvent } from '../../src/domain/events.ts';
import { sessions } from '../../src/db/schema/index.ts';
import { currentBackend, testDatabase } from '../support/app.ts';

const cli = resolve(import.meta.dirname, '..', '..', 'src', 'cli.ts');

describe('openevent export', () => {
  it('writes the event as iCalendar to a file, identical on a second run', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openevent-export-'));
    const env: Record<string, string> = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, PUBLIC_URL: 'https://events.example.org' };
    delete env.DATABASE_URL;
    const database = currentBackend() === 'postgres' ? await testDatabase() : null;
    const connection = database?.connection ?? (await openDatabase({ databaseUrl: null, dataDir, pglite: await openPglite(join(dataDir, 'pglite')) }));
    if (database) env.DATABASE_URL = database.url!;
    try {
      await migrate(connection);
      const user = await createUser(connection.db, { email: 'cli@example.org', password: 'password1' });
      const event = await createEvent(connection.db, user, {
        name: 'CLI Conf',
        startsAt: new Date('2026-05-01T08:00:00Z'),
        endsAt: new Date('2026-05-01T18:00:00Z'),
        timezone: 'Europe/Berlin',
      });
      await connection.db.insert(sessions).values([
        { eventId: event.id, title: 'Kept', state: 'accepted', startsAt: new Date('2026-05-01T09:00:00Z'), endsAt: new Date('2026-05-01T10:00:00Z') },
        { eventId: event.id, title: 'Draft', state: 'draft', startsAt: new Date('2026-05-01T11:00:00Z'), endsAt: new Date('2026-05-01T12:00:00Z') },
      ]);
      if (!database) await (connection as { pglite: { close(): Promise<void> } }).pglite.close();

      const run = (out: string) =>
        spawnSync(process.execPath, [cli, 'export', event.identifier, '--format', 'ical', '-o', out], { env, encoding: 'utf8', timeout: 60_000 });
      const first = run(join(dataDir, 'a.ics'));
      expect(first.status, first.stderr).toBe(0);
      const text = readFileSync(join(dataDir, 'a.ics'), 'utf8');
      const calendar = new ICAL.Component(ICAL.parse(text));
      expect(calendar.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('summary'))).toEqual(['Kept']);
      const second = run(join(dataDir, 'b.ics'));
      expect(second.status, second.stderr).toBe(0);
      expect(readFileSync(join(dataDir, 'b.ics'), 'utf8')).toBe(text);

      const unknown = spawnSync(process.execPath, [cli, 'export', 'nosuchev', '--format', 'ical'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('no event "nosuchev"');
      const badFormat = spawnSync(process.execPath, [cli, 'export', event.identifier, '--format', 'pdf'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(badFormat.status).toBe(2);
      expect(badFormat.stderr).toContain('unknown format "pdf"');
    } finally {
      await database?.drop();
    }
  }, 120_000);
});
