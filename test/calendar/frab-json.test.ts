import { describe, expect, it } from 'vitest';
import { serializeFrabJson } from '../../src/calendar/frab-json.ts';
import { serializePentabarf } from '../../src/calendar/pentabarf.ts';
import type { CalendarSession } from '../../src/calendar/model.ts';
import { sharedDir } from '../support/shared.ts';
import { childText, children, collect, loadSample, makeInput, makeSession, parseXml } from './frab-fixtures.ts';

/** Every key of `sample` at each level (objects merged over array items), as dotted paths. */
function keyPaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) keyPaths(item, `${prefix}[]`, out);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      // Room names are data, not keys of the format.
      const name = prefix.endsWith('.rooms') && !Array.isArray(value) ? '<room>' : key;
      out.add(`${prefix}.${name}`);
      keyPaths(child, `${prefix}.${name}`, out);
    }
  }
  return out;
}

async function exportJson(...args: Parameters<typeof serializeFrabJson>) {
  const text = await collect(serializeFrabJson(...args));
  return { text, json: JSON.parse(text) };
}

function eventsOf(json: any): any[] {
  return json.schedule.conference.days.flatMap((day: any) =>
    Object.values(day.rooms).flatMap((events: any) => events.map((e: any) => ({ ...e, dayIndex: day.index }))),
  );
}

describe.skipIf(!sharedDir)('frab schedule JSON', () => {
  it('has every key of the published Camp 2019 schedule.json, at every level', async () => {
    const sample = loadSample('frab-camp2019.json');
    // The sample's links and attachments are frab-relative paths; give one session absolute ones of ours.
    const [first] = sample.input.sessions as CalendarSession[];
    first.slidesUrl = 'https://example.org/slides.pdf';
    first.videoUrl = 'https://example.org/video.mp4';
    const { json } = await exportJson(sample.input);
    const ours = keyPaths(json);
    const missing = [...keyPaths(sample.json)].filter((path) => !ours.has(path));
    expect(missing).toEqual([]);
    expect(json.schedule.conference.daysCount).toBe(json.schedule.conference.days.length);
  });

  it('is the same schedule as the Pentabarf XML', async () => {
    const sample = loadSample('frab-camp2019.json');
    const { json } = await exportJson(sample.input);
    const xml = parseXml(await collect(serializePentabarf(loadSample('frab-camp2019.json').input))).documentElement!;
    const fromXml = children(xml, 'day').flatMap((day) =>
      children(day, 'room').flatMap((room) =>
        children(room, 'event').map((e) => ({
          id: Number(e.getAttribute('id')),
          guid: e.getAttribute('guid'),
          dayIndex: Number(day.getAttribute('index')),
          room: room.getAttribute('name'),
          date: childText(e, 'date'),
          start: childText(e, 'start'),
          duration: childText(e, 'duration'),
          title: childText(e, 'title'),
          abstract: childText(e, 'abstract'),
          description: childText(e, 'description'),
          persons: children(children(e, 'persons')[0], 'person').map((p) => p.textContent),
        })),
      ),
    );
    const fromJson = eventsOf(json).map((e) => ({
      id: e.id,
      guid: e.guid,
      dayIndex: e.dayIndex,
      room: e.room,
      date: e.date,
      start: e.start,
      duration: e.duration,
      title: e.title,
      abstract: e.abstract,
      description: e.description,
      persons: e.persons.map((p: any) => p.public_name),
    }));
    expect(fromJson).toEqual(fromXml);
    expect(json.schedule.version).toBe(childText(xml, 'version'));
    expect(json.schedule.conference.days.map((d: any) => [d.index, d.date, d.day_start, d.day_end])).toEqual(
      children(xml, 'day').map((d) => [Number(d.getAttribute('index')), d.getAttribute('date'), d.getAttribute('start'), d.getAttribute('end')]),
    );
  });

  it('round-trips the published schedules: titles, starts, durations, rooms, persons, days', async () => {
    for (const [file, zone] of [['frab-camp2019.json', undefined], ['pretalx-rc3.json', 'Europe/Berlin']] as const) {
      const sample = loadSample(file, zone);
      const got = new Map(eventsOf((await exportJson(sample.input)).json).map((e) => [e.id, e]));
      expect(got.size).toBe(sample.events.length);
      for (const want of sample.events) {
        const e = got.get(want.id);
        expect({ ...e, persons: e.persons.map((p: any) => ({ id: p.id, public_name: p.public_name })) }).toMatchObject({
          title: want.title,
          date: want.date,
          start: want.start,
          duration: want.duration,
          room: want.room,
          track: want.track ?? '',
          type: want.type ?? '',
          persons: want.persons.map((p) => ({ id: p.id, public_name: p.public_name })),
          dayIndex: want.dayIndex,
        });
      }
    }
  });

  it('rooms with the same name stay apart (names are keys here), and hostile text is still valid JSON', async () => {
    const { text, json } = await exportJson(makeInput({
      rooms: [{ id: 1, name: 'Hall' }, { id: 2, name: 'Hall' }],
      sessions: [
        makeSession({ id: 1, room: { id: 1, name: 'Hall' }, title: 'a\u0000\ud800"\\</script>' }),
        makeSession({ id: 2, room: { id: 2, name: 'Hall' } }),
        makeSession({ id: 3 }),
      ],
    }));
    expect(Object.keys(json.schedule.conference.days[0].rooms)).toEqual(['Hall', 'Hall (2)', 'Unassigned']);
    expect(json.schedule.conference.rooms.map((r: any) => r.name)).toEqual(['Hall', 'Hall (2)', 'Unassigned']);
    expect(eventsOf(json).map((e) => e.room)).toEqual(['Hall', 'Hall (2)', 'Unassigned']);
    expect(eventsOf(json)[0].title).toBe('a"\\</script>');
    expect(text).not.toMatch(/\\u0000|\\ud800/);
  });
});
