// Big events for the fault tests, inserted straight into the database: building thousands of sessions
// over HTTP would take minutes. No vitest imports, so scripts can use it too.
import type { Database } from '../../src/db/connection.ts';
import { microlocations, sessionSpeakers, sessionTypes, sessions, speakers, tracks } from '../../src/db/schema/index.ts';
import { touchSchedule } from '../../src/domain/schedule-version.ts';

/**
 * Adds `count` accepted, timed sessions to an event straight into the database (a thousand rows a
 * statement), spread over 10 tracks, 20 rooms and 3 types, each with one of 100 speakers; then bumps
 * the event's schedule version as the API would. For fault tests and big exports: building
 * thousands of sessions over HTTP would take minutes.
 */
export async function insertSessions(db: Database, eventId: number, count: number, { titlePrefix = 'Session' } = {}) {
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ eventId, name: `${prefix} ${i + 1}` }));
  const trackIds = (await db.insert(tracks).values(names('Track', 10)).returning({ id: tracks.id })).map((r) => r.id);
  const roomIds = (await db.insert(microlocations).values(names('Room', 20)).returning({ id: microlocations.id })).map((r) => r.id);
  const typeIds = (await db.insert(sessionTypes).values(names('Type', 3)).returning({ id: sessionTypes.id })).map((r) => r.id);
  const speakerIds = (
    await db
      .insert(speakers)
      .values(names('Speaker', 100).map((s, i) => ({ ...s, email: `speaker${i + 1}@example.org` })))
      .returning({ id: speakers.id })
  ).map((r) => r.id);
  const start = Date.parse('2026-06-01T07:00:00Z');
  const abstract = 'An abstract of about three hundred characters, with some <b>markup</b> & entities to escape. '.repeat(3);
  for (let from = 0; from < count; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - from) }, (_, k) => {
      const i = from + k;
      const at = start + Math.floor(i / 20) * 3_600_000;
      return {
        eventId,
        trackId: trackIds[i % trackIds.length]!,
        microlocationId: roomIds[i % roomIds.length]!,
        sessionTypeId: typeIds[i % typeIds.length]!,
        title: `${titlePrefix} ${i + 1}`,
        shortAbstract: abstract,
        state: (i % 2 ? 'accepted' : 'confirmed') as 'accepted' | 'confirmed',
        startsAt: new Date(at),
        endsAt: new Date(at + 45 * 60_000),
      };
    });
    const ids = await db.insert(sessions).values(rows).returning({ id: sessions.id });
    await db.insert(sessionSpeakers).values(ids.map(({ id }, k) => ({ sessionId: id, speakerId: speakerIds[(from + k) % speakerIds.length]! })));
  }
  await touchSchedule(db, eventId);
}
