// A real schedule through the whole server: the Chaos Communication Camp 2019 schedule.json of ../shared/samples
// seeded as an event (its rooms, tracks, types, speakers and 79 talks written straight into the database), then
// exported as frab JSON over HTTP and checked against the C3VOC schedule JSON schema, talk for talk. Skips, with
// the reason printed, without ../shared.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CalendarSession } from '../../src/calendar/model.ts';
import { microlocations, sessionSpeakers, sessionTypes, sessions, speakers, tracks } from '../../src/db/schema/index.ts';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { createPublishedEvent, type User } from '../support/schedule.ts';
import { sharedDir } from '../support/shared.ts';
import { loadSample, type Sample } from '../calendar/frab-fixtures.ts';
import { frabJsonErrors } from '../calendar/frab-json-schema.ts';
import { exportAndDownload } from './support.ts';

/** Writes the sample's schedule into the event; returns nothing, the export reads it back. */
async function seed(t: TestApp, eventId: number, sample: Sample) {
  const db = t.database.connection.db;
  const { input } = sample;
  const idsOf = (rows: { id: number }[], from: { id: number }[]) => new Map(from.map((item, i) => [item.id, rows[i]!.id]));
  const roomIds = idsOf(
    await db.insert(microlocations).values(input.rooms.map((room, position) => ({ eventId, name: room.name, position }))).returning({ id: microlocations.id }),
    input.rooms,
  );
  const trackIds = idsOf(
    await db.insert(tracks).values(input.tracks.map((track) => ({ eventId, name: track.name, color: track.color }))).returning({ id: tracks.id }),
    input.tracks,
  );
  // loadSample builds the sessions as an array.
  const list = [...(input.sessions as Iterable<CalendarSession>)];
  const types = [...new Map(list.flatMap((s) => (s.sessionType ? [[s.sessionType.id, s.sessionType] as const] : []))).values()];
  const typeIds = idsOf(await db.insert(sessionTypes).values(types.map((type) => ({ eventId, name: type.name }))).returning({ id: sessionTypes.id }), types);
  const people = [...new Map(list.flatMap((s) => s.speakers.map((p) => [p.id, p] as const))).values()];
  const speakerIds = idsOf(await db.insert(speakers).values(people.map((p) => ({ eventId, name: p.name }))).returning({ id: speakers.id }), people);
  const rows = await db
    .insert(sessions)
    .values(
      list.map((s) => ({
        eventId,
        title: s.title,
        subtitle: s.subtitle,
        shortAbstract: s.shortAbstract,
        longAbstract: s.longAbstract,
        language: s.language,
        state: 'accepted' as const,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        microlocationId: s.room ? roomIds.get(s.room.id)! : null,
        trackId: s.track ? trackIds.get(s.track.id)! : null,
        sessionTypeId: s.sessionType ? typeIds.get(s.sessionType.id)! : null,
      })),
    )
    .returning({ id: sessions.id });
  const links = list.flatMap((s, i) => s.speakers.map((p) => ({ sessionId: rows[i]!.id, speakerId: speakerIds.get(p.id)! })));
  if (links.length) await db.insert(sessionSpeakers).values(links);
}

describe.skipIf(!sharedDir)('the Camp 2019 schedule, seeded as an event and exported as frab JSON', () => {
  let t: TestApp;
  let owner: User;
  let sample: Sample;
  let ev: string;

  beforeAll(async () => {
    t = await startTestApp({ worker: true });
    owner = await signUp(t);
    sample = loadSample('frab-camp2019.json');
    const { event } = sample.input;
    ev = (
      await createPublishedEvent(t, owner.token, {
        name: event.name,
        timezone: event.timezone,
        'starts-at': event.startsAt.toISOString(),
        'ends-at': event.endsAt.toISOString(),
      })
    ).id;
    await seed(t, Number(ev), sample);
  });

  it('validates against the C3VOC schedule JSON schema and holds every talk', async () => {
    const { response } = await exportAndDownload(t, owner.token, ev, 'frab-json');
    const doc = JSON.parse(response.text);
    expect(frabJsonErrors(doc)).toEqual([]);
    const talks = doc.schedule.conference.days.flatMap((day: { rooms: Record<string, { title: string }[]> }) => Object.values(day.rooms).flat());
    expect(talks).toHaveLength(79);
    expect(talks.map((talk: { title: string }) => talk.title).sort()).toEqual(sample.events.map((e) => e.title).sort());
    expect(doc.schedule.conference.time_zone_name).toBe('Europe/Berlin');
  });
});
