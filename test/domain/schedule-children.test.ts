// The schedule's child resources in the domain, on the test database: what deleting or renaming a
// track, room or session type does to the sessions that use it, and who may write them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/connection.ts';
import { eventRoles, events, microlocations, sessionTypes, sessions, tracks, users } from '../../src/db/schema/index.ts';
import { findChild } from '../../src/domain/event-child/read.ts';
import { createChild, deleteChild, updateChild, writableChild, writableEvent } from '../../src/domain/event-child/write.ts';
import { ForbiddenError, InvalidError, NotFoundError, UnauthenticatedError } from '../../src/domain/errors.ts';
import { microlocationModel } from '../../src/domain/schedule/microlocations.ts';
import { sessionModel } from '../../src/domain/schedule/sessions.ts';
import { sessionTypeModel } from '../../src/domain/schedule/session-types.ts';
import { trackModel } from '../../src/domain/schedule/tracks.ts';
import type { User } from '../../src/domain/users.ts';
import { testDatabase, type TestDatabase } from '../support/app.ts';

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await testDatabase();
  db = database.connection.db;
});
afterAll(() => database.drop());

async function newUser(): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ email: `${randomBytes(4).toString('hex')}@example.org`, passwordHash: 'not a real hash' })
    .returning();
  return user!;
}

async function newEvent(state: 'draft' | 'published' = 'published') {
  const [event] = await db
    .insert(events)
    .values({
      identifier: randomBytes(4).toString('hex'),
      name: 'FOSSASIA Summit',
      startsAt: new Date('2027-03-10T09:00:00Z'),
      endsAt: new Date('2027-03-12T18:00:00Z'),
      state,
    })
    .returning();
  return event!;
}

async function scheduleVersion(eventId: number): Promise<number> {
  const [event] = await db.select({ version: events.scheduleVersion }).from(events).where(eq(events.id, eventId));
  return event!.version;
}

async function sessionById(id: number) {
  const [session] = await db.select().from(sessions).where(eq(sessions.id, id));
  return session!;
}

/** An event with a track, a room and a type, two sessions using all three and one using none. */
async function scheduleWithGroupings() {
  const event = await newEvent();
  const eventId = event.id;
  const [track] = await db.insert(tracks).values({ eventId, name: 'Databases' }).returning();
  const [room] = await db.insert(microlocations).values({ eventId, name: 'Hall A' }).returning();
  const [type] = await db.insert(sessionTypes).values({ eventId, name: 'Talk' }).returning();
  const grouped = { eventId, trackId: track!.id, microlocationId: room!.id, sessionTypeId: type!.id };
  const rows = await db
    .insert(sessions)
    .values([
      { ...grouped, title: 'Postgres in WASM' },
      { ...grouped, title: 'Row-level security' },
      { eventId, title: 'Lightning talks' },
    ])
    .returning();
  return { eventId, track: track!, room: room!, type: type!, sessions: rows };
}

const groupings = [
  { what: 'track', model: trackModel, key: 'trackId', pick: (s: Awaited<ReturnType<typeof scheduleWithGroupings>>) => s.track },
  { what: 'room', model: microlocationModel, key: 'microlocationId', pick: (s: Awaited<ReturnType<typeof scheduleWithGroupings>>) => s.room },
  { what: 'session type', model: sessionTypeModel, key: 'sessionTypeId', pick: (s: Awaited<ReturnType<typeof scheduleWithGroupings>>) => s.type },
] as const;

describe('detaching sessions', () => {
  for (const { what, model, key, pick } of groupings) {
    it(`takes a deleted ${what} off its sessions, which stay, with a new SEQUENCE`, async () => {
      const schedule = await scheduleWithGroupings();
      const grouping = pick(schedule);
      const before = await Promise.all(schedule.sessions.map((session) => sessionById(session.id)));
      const version = await scheduleVersion(schedule.eventId);

      await deleteChild(db, model, grouping);

      const after = await Promise.all(schedule.sessions.map((session) => sessionById(session.id)));
      for (const [index, session] of after.slice(0, 2).entries()) {
        expect(session[key]).toBeNull();
        expect(session.deletedAt).toBeNull();
        expect(session.sequence).toBe(before[index]!.sequence + 1);
        expect(session.lastModifiedAt.getTime()).toBeGreaterThanOrEqual(before[index]!.lastModifiedAt.getTime());
      }
      // The session without it is not touched; the other groupings stay on the sessions.
      expect(after[2]).toEqual(before[2]);
      for (const other of groupings.filter((g) => g.key !== key)) expect(after[0]![other.key]).toBe(before[0]![other.key]);
      expect(await scheduleVersion(schedule.eventId)).toBe(version + 1);
      const [gone] = await db.select().from(model.table).where(eq(model.table.id, grouping.id));
      expect(gone!.deletedAt).toBeInstanceOf(Date);
    });

    it(`keeps a renamed ${what} on its sessions and gives them a new SEQUENCE`, async () => {
      const schedule = await scheduleWithGroupings();
      const grouping = pick(schedule);
      const before = await sessionById(schedule.sessions[0]!.id);

      const renamed = await updateChild(db, model, grouping, { name: 'Renamed' }, new Map());

      expect(renamed.name).toBe('Renamed');
      const after = await sessionById(schedule.sessions[0]!.id);
      expect(after[key]).toBe(grouping.id);
      expect(after.sequence).toBe(before.sequence + 1);
      expect((await sessionById(schedule.sessions[2]!.id)).sequence).toBe(schedule.sessions[2]!.sequence);
    });
  }
});

describe('writing schedule rows', () => {
  it('checks relationships against the event and the session rules before writing anything', async () => {
    const schedule = await scheduleWithGroupings();
    const elsewhere = await scheduleWithGroupings();
    const owner = await newUser();
    await db.insert(eventRoles).values({ userId: owner.id, eventId: schedule.eventId, roleName: 'owner' });
    const access = await writableEvent(db, sessionModel, schedule.eventId, owner);
    const version = await scheduleVersion(schedule.eventId);

    const foreignTrack = createChild(db, sessionModel, access, owner, { title: 'X' }, new Map([['track', [elsewhere.track.id]]]));
    await expect(foreignTrack).rejects.toThrow(InvalidError);
    await expect(foreignTrack).rejects.toMatchObject({ field: { relationship: 'track' } });
    const halfTimed = createChild(db, sessionModel, access, owner, { title: 'X', startsAt: new Date() }, new Map());
    await expect(halfTimed).rejects.toMatchObject({ field: { attribute: 'ends-at' } });
    expect(await scheduleVersion(schedule.eventId)).toBe(version);

    const created = await createChild(db, sessionModel, access, owner, { title: 'Kept' }, new Map([['track', [schedule.track.id]]]));
    expect(created).toMatchObject({ title: 'Kept', trackId: schedule.track.id, creatorId: owner.id, eventId: schedule.eventId });
    expect(await scheduleVersion(schedule.eventId)).toBe(version + 1);
  });

  it('refuses strangers: 404 where they cannot see, 403 where they can, 401 when anonymous', async () => {
    const published = await scheduleWithGroupings();
    const draft = await newEvent('draft');
    const stranger = await newUser();

    await expect(writableEvent(db, trackModel, draft.id, stranger)).rejects.toThrow(NotFoundError);
    await expect(writableEvent(db, trackModel, published.eventId, stranger)).rejects.toThrow(ForbiddenError);
    await expect(writableEvent(db, trackModel, published.eventId, null)).rejects.toThrow(UnauthenticatedError);
    await expect(writableChild(db, trackModel, published.track.id, stranger)).rejects.toThrow(ForbiddenError);
    // A track organizer edits sessions, not tracks.
    const trackOrganizer = await newUser();
    await db.insert(eventRoles).values({ userId: trackOrganizer.id, eventId: published.eventId, roleName: 'track_organizer' });
    await expect(writableChild(db, trackModel, published.track.id, trackOrganizer)).rejects.toThrow(ForbiddenError);
    await expect(writableChild(db, sessionModel, published.sessions[0]!.id, trackOrganizer)).resolves.toMatchObject({
      row: { id: published.sessions[0]!.id },
    });
  });

  it('hides draft sessions from the public and deleted rows from everyone', async () => {
    const schedule = await scheduleWithGroupings();
    await expect(findChild(db, sessionModel, schedule.sessions[0]!.id, null)).rejects.toThrow(NotFoundError);
    await db.update(sessions).set({ state: 'accepted' }).where(eq(sessions.id, schedule.sessions[0]!.id));
    await expect(findChild(db, sessionModel, schedule.sessions[0]!.id, null)).resolves.toMatchObject({ row: { title: 'Postgres in WASM' } });
    await deleteChild(db, trackModel, schedule.track);
    await expect(findChild(db, trackModel, schedule.track.id, null)).rejects.toThrow(NotFoundError);
  });
});
