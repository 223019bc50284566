// Every frab JSON export validates against the C3VOC schedule JSON schema (issue 16): a rich event with
// everything optional both present and absent, and the published frab and pretalx schedules of
// ../shared/samples read into our model and exported again. Skips, with the reason printed, without ../shared.
import { describe, expect, it } from 'vitest';
import { serializeFrabJson } from '../../src/calendar/frab-json.ts';
import type { CalendarTrack } from '../../src/calendar/model.ts';
import { sharedDir } from '../support/shared.ts';
import { frabJsonErrors } from './frab-json-schema.ts';
import { collect, loadSample, makeEvent, makeInput, makeSession } from './frab-fixtures.ts';

const web: CalendarTrack = { id: 1, name: 'Web', color: '#336699' };
const noColor: CalendarTrack = { id: 2, name: 'Data & Science', color: null };
const oddName: CalendarTrack = { id: 3, name: '★', color: 'teal' };
const roomA = { id: 1, name: 'Room A' };

function richInput(logoUrl: string | null) {
  return makeInput({
    event: makeEvent({ logoUrl, timezone: 'Europe/Berlin' }),
    tracks: [web, noColor, oddName],
    rooms: [roomA],
    sessions: [
      makeSession({
        id: 1,
        title: 'Opening',
        subtitle: 'Welcome',
        shortAbstract: '<p>About <b>it</b></p>',
        longAbstract: 'Longer',
        language: 'en',
        track: web,
        room: roomA,
        sessionType: { id: 1, name: 'Talk' },
        speakers: [{ id: 7, name: 'Ada Lovelace' }, { id: 8, name: 'Grace Hopper' }],
        slidesUrl: 'https://example.org/slides.pdf',
        videoUrl: 'https://example.org/video.mp4',
        audioUrl: 'https://example.org/audio.ogg',
      }),
      // No room, track, type or speakers; after midnight, on the evening's day.
      makeSession({ id: 2, title: 'Q&A: <late> "night"', startsAt: new Date('2024-06-01T23:30:00Z'), endsAt: new Date('2024-06-02T00:30:00Z') }),
      makeSession({ id: 3, title: 'X', track: noColor, room: roomA, startsAt: new Date('2024-06-02T08:00:00Z'), endsAt: new Date('2024-06-02T09:00:00Z') }),
      makeSession({ id: 4, title: 'Stars', track: oddName, room: roomA, startsAt: new Date('2024-06-02T10:00:00Z'), endsAt: new Date('2024-06-02T11:00:00Z') }),
    ],
  });
}

const exported = async (input: ReturnType<typeof makeInput>) => JSON.parse(await collect(serializeFrabJson(input)));

describe.skipIf(!sharedDir)('frab JSON against the C3VOC schedule schema', () => {
  it('validates for a rich event without a logo, leaving out what it does not have instead of writing null', async () => {
    const doc = await exported(richInput(null));
    expect(frabJsonErrors(doc)).toEqual([]);
    expect(doc.schedule.conference).not.toHaveProperty('logo');
    const tracks = doc.schedule.conference.tracks;
    expect(tracks.find((track: { name: string }) => track.name === 'Data & Science')).toEqual({ name: 'Data & Science', slug: 'data-science' });
    expect(tracks.find((track: { name: string }) => track.name === '★')).toEqual({ name: '★' });
  });

  it('validates with a logo, which it then names', async () => {
    const doc = await exported(richInput('https://example.org/logo.png'));
    expect(frabJsonErrors(doc)).toEqual([]);
    expect(doc.schedule.conference.logo).toBe('https://example.org/logo.png');
  });

  it('is a real check: a null conference logo is refused', async () => {
    const doc = await exported(richInput(null));
    doc.schedule.conference.logo = null;
    expect(frabJsonErrors(doc)).toEqual([expect.stringMatching(/^\/schedule\/conference\/logo must be string/)]);
  });

  // rc3's schedule names no time zone: read in the zone it was held in, as the other frab tests do.
  it.each([
    ['frab-camp2019.json', undefined],
    ['pretalx-rc3.json', 'Europe/Berlin'],
    ['pretalx-democon.json', undefined],
  ] as const)('validates for the schedule of %s', async (file, zone) => {
    const sample = loadSample(file, zone);
    const doc = await exported(sample.input);
    expect(frabJsonErrors(doc)).toEqual([]);
    const sessions = doc.schedule.conference.days.flatMap((day: { rooms: Record<string, unknown[]> }) => Object.values(day.rooms).flat());
    expect(sessions).toHaveLength(sample.events.length);
  });
});
