import type { Element } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropXmlForbidden } from '../../src/calendar/plain-text.ts';
import type { CalendarSession } from '../../src/calendar/model.ts';
import { serializePentabarf } from '../../src/calendar/pentabarf.ts';
import { sharedDir } from '../support/shared.ts';
import {
  childText,
  children,
  collect,
  loadSample,
  makeEvent,
  makeInput,
  makeSession,
  parseXml,
  validateSchedule,
  type Sample,
} from './frab-fixtures.ts';

// Any UTF-16 code unit (lone surrogates and C0 controls included), astral characters, and markup-like pieces.
const hostileUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom(']]>', '<', '&', '"', '\r\n', '\r', '😀', '&amp;'),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function exportXml(...args: Parameters<typeof serializePentabarf>) {
  const xml = await collect(serializePentabarf(...args));
  const result = await validateSchedule(xml);
  expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  expect(result.valid).toBe(true);
  return { xml, doc: parseXml(xml).documentElement! };
}

interface ExportedEvent {
  el: Element;
  day: Element;
  roomEl: Element;
  id: number;
  guid: string;
  get: (name: string) => string | null;
}

function eventsOf(schedule: Element): ExportedEvent[] {
  const out: ExportedEvent[] = [];
  for (const day of children(schedule, 'day')) {
    for (const roomEl of children(day, 'room')) {
      for (const el of children(roomEl, 'event')) {
        out.push({
          el,
          day,
          roomEl,
          id: Number(el.getAttribute('id')),
          guid: el.getAttribute('guid')!,
          get: (name) => childText(el, name),
        });
      }
    }
  }
  return out;
}

function personsOf(el: Element) {
  const persons = children(el, 'persons')[0];
  return persons
    ? children(persons, 'person').map((p) => ({ id: Number(p.getAttribute('id')), name: p.textContent }))
    : [];
}

function conference(schedule: Element) {
  return children(schedule, 'conference')[0];
}

describe.skipIf(!sharedDir)('Pentabarf XML', () => {
  async function roundTrip(sample: Sample) {
    const { doc } = await exportXml(sample.input);
    const exported = new Map(eventsOf(doc).map((e) => [e.id, e]));
    expect(exported.size).toBe(sample.events.length);
    for (const want of sample.events) {
      const got = exported.get(want.id)!;
      expect(got, `event ${want.id}`).toBeDefined();
      expect(got.get('title')).toBe(want.title);
      expect(new Date(got.get('date')!).getTime()).toBe(new Date(want.date).getTime());
      expect(got.get('date')!.slice(-6)).toBe(want.date.slice(-6)); // same local offset
      expect(got.get('start')).toBe(want.start);
      expect(got.get('duration')).toBe(want.duration);
      expect(got.get('room')).toBe(want.room);
      expect(got.roomEl.getAttribute('name')).toBe(want.room);
      expect(got.get('track')).toBe(want.track ?? '');
      expect(got.get('type')).toBe(want.type ?? '');
      expect(got.get('language')).toBe(want.language ?? '');
      expect(personsOf(got.el)).toEqual(want.persons.map((p) => ({ id: p.id, name: p.public_name })));
      expect(Number(got.day.getAttribute('index'))).toBe(want.dayIndex);
      expect(got.guid).toMatch(UUID);
    }
    return doc;
  }

  it('exports the Camp 2019 schedule: schema-valid, all 79 events round-trip, days as published', async () => {
    const sample = loadSample('frab-camp2019.json');
    expect(sample.events).toHaveLength(79);
    const doc = await roundTrip(sample);
    const conf = conference(doc);
    const days = children(doc, 'day');
    expect(days.map((d) => d.getAttribute('date'))).toEqual(
      sample.json.schedule.conference.days.map((d: any) => d.date),
    );
    expect(childText(conf, 'days')).toBe(String(days.length));
    expect(childText(conf, 'acronym')).toBe('camp2019');
    expect(childText(conf, 'time_zone_name')).toBe('Europe/Berlin');
    expect(childText(conf, 'start')).toBe('2019-08-21');
    expect(childText(conf, 'end')).toBe('2019-08-25');
    expect(days[0].getAttribute('start')).toBe('2019-08-21T04:00:00+02:00');
    expect(days[0].getAttribute('end')).toBe('2019-08-22T04:00:00+02:00');
    expect(children(conf, 'track').map((t) => t.getAttribute('name'))).toContain('Ethics, Society & Politics');
    expect(children(conf, 'track').every((t) => /^#[0-9a-f]{6}$/.test(t.getAttribute('color')!))).toBe(true);
  });

  it('exports the rC3 channels schedule (pretalx) schema-valid with every event', async () => {
    await roundTrip(loadSample('pretalx-rc3.json', 'Europe/Berlin'));
  });

  it('abstracts are plain text: plain ones unchanged, HTML ones without tags', async () => {
    const sample = loadSample('frab-camp2019.json');
    const { doc } = await exportXml(sample.input);
    const exported = new Map(eventsOf(doc).map((e) => [e.id, e]));
    const hasTag = /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i;
    for (const want of sample.events) {
      const got = exported.get(want.id)!;
      for (const [field, text] of [['abstract', want.abstract], ['description', want.description]] as const) {
        if (text && !hasTag.test(text) && !/&\w+;/.test(text)) {
          expect(got.get(field)).toBe(text.replace(/\r\n?/g, '\n'));
        }
        expect(got.get(field)).not.toMatch(hasTag);
      }
    }
    const quiz = exported.get(10344)!.get('description')!;
    expect(quiz).toContain('Die große Datenschutz- und DSGVO-Show vermittelt');
    expect(quiz).toMatch(/\n- Welche Verschlüsselungs-V[^\n]*\n- Erfüllt/);
    const links = exported.get(10346)!.get('description')!;
    expect(links).toContain('Image by ElisaRiva from');
  });

  it('the schema check rejects what the schema forbids (the validator is not a no-op)', async () => {
    const sample = loadSample('frab-camp2019.json');
    const xml = await collect(serializePentabarf(sample.input));
    const broken = xml.replace('<duration>00:30</duration>', '<duration>0:3</duration>');
    expect(broken).not.toBe(xml);
    expect((await validateSchedule(broken)).valid).toBe(false);
  });

  it('guids are UUIDv5, unique, and the same in every export of the same schedule', async () => {
    const a = eventsOf((await exportXml(loadSample('frab-camp2019.json').input)).doc);
    const b = eventsOf((await exportXml(loadSample('frab-camp2019.json').input)).doc);
    expect(a.map((e) => e.guid)).toEqual(b.map((e) => e.guid));
    expect(new Set(a.map((e) => e.guid)).size).toBe(a.length);
    const roomGuids = (events: ExportedEvent[]) => events.map((e) => e.roomEl.getAttribute('guid'));
    expect(roomGuids(a)).toEqual(roomGuids(b));
    const personGuids = (events: ExportedEvent[]) =>
      events.flatMap((e) => children(children(e.el, 'persons')[0], 'person').map((p) => p.getAttribute('guid')));
    expect(personGuids(a)).toEqual(personGuids(b));
    expect(personGuids(a).every((g) => UUID.test(g!))).toBe(true);
  });

  describe('days in the event time zone', () => {
    const ny = makeEvent({
      timezone: 'America/New_York',
      startsAt: new Date('2024-10-10T13:00:00Z'),
      endsAt: new Date('2024-10-11T03:00:00Z'),
    });
    // 20:00 and 22:30 EDT are past midnight UTC; 01:00 EDT the next night is a late-night session.
    const sessions = () => [
      makeSession({ id: 1, startsAt: new Date('2024-10-10T14:00:00Z'), endsAt: new Date('2024-10-10T15:00:00Z') }),
      makeSession({ id: 2, startsAt: new Date('2024-10-11T00:00:00Z'), endsAt: new Date('2024-10-11T01:30:00Z') }),
      makeSession({ id: 3, startsAt: new Date('2024-10-11T02:30:00Z'), endsAt: new Date('2024-10-11T03:15:00Z') }),
      makeSession({ id: 4, startsAt: new Date('2024-10-11T05:00:00Z'), endsAt: new Date('2024-10-11T06:00:00Z') }),
    ];

    it('groups sessions that run past midnight UTC into the local day, with local start times', async () => {
      const { doc } = await exportXml(makeInput({ event: ny, sessions: sessions() }));
      const days = children(doc, 'day');
      expect(days).toHaveLength(1);
      expect(childText(conference(doc), 'days')).toBe('1');
      expect(days[0].getAttribute('date')).toBe('2024-10-10');
      expect(days[0].getAttribute('start')).toBe('2024-10-10T04:00:00-04:00');
      expect(days[0].getAttribute('end')).toBe('2024-10-11T04:00:00-04:00');
      const events = eventsOf(doc);
      expect(events.map((e) => [e.id, e.get('start'), e.get('date')])).toEqual([
        [1, '10:00', '2024-10-10T10:00:00-04:00'],
        [2, '20:00', '2024-10-10T20:00:00-04:00'],
        [3, '22:30', '2024-10-10T22:30:00-04:00'],
        [4, '01:00', '2024-10-11T01:00:00-04:00'],
      ]);
      expect(events.map((e) => e.get('duration'))).toEqual(['01:00', '01:30', '00:45', '01:00']);
      expect(childText(conference(doc), 'time_zone_name')).toBe('America/New_York');
    });

    it('a configurable day change moves the 01:00 session to the next day', async () => {
      const { doc } = await exportXml(makeInput({ event: ny, sessions: sessions() }), { dayChange: '00:00' });
      const days = children(doc, 'day');
      expect(days.map((d) => [d.getAttribute('index'), d.getAttribute('date')])).toEqual([
        ['1', '2024-10-10'],
        ['2', '2024-10-11'],
      ]);
      expect(childText(conference(doc), 'days')).toBe('2');
      expect(eventsOf(doc).filter((e) => e.day === days[1]).map((e) => e.id)).toEqual([4]);
    });

    it('day bounds carry the offset in force at each bound across a DST change', async () => {
      const event = makeEvent({
        timezone: 'America/New_York',
        startsAt: new Date('2024-11-02T14:00:00Z'),
        endsAt: new Date('2024-11-03T22:00:00Z'),
      });
      const { doc } = await exportXml(makeInput({
        event,
        sessions: [
          // 01:30 EDT and 01:30 EST: the same wall time twice on the night of the change, both on Nov 2's day.
          makeSession({ id: 1, startsAt: new Date('2024-11-03T05:30:00Z'), endsAt: new Date('2024-11-03T05:45:00Z') }),
          makeSession({ id: 2, startsAt: new Date('2024-11-03T06:30:00Z'), endsAt: new Date('2024-11-03T06:45:00Z') }),
          makeSession({ id: 3, startsAt: new Date('2024-11-03T15:00:00Z'), endsAt: new Date('2024-11-03T16:00:00Z') }),
        ],
      }));
      const days = children(doc, 'day');
      expect(days.map((d) => [d.getAttribute('date'), d.getAttribute('start'), d.getAttribute('end')])).toEqual([
        ['2024-11-02', '2024-11-02T04:00:00-04:00', '2024-11-03T04:00:00-05:00'],
        ['2024-11-03', '2024-11-03T04:00:00-05:00', '2024-11-04T04:00:00-05:00'],
      ]);
      expect(eventsOf(doc).map((e) => [e.get('date'), e.day.getAttribute('index')])).toEqual([
        ['2024-11-03T01:30:00-04:00', '1'],
        ['2024-11-03T01:30:00-05:00', '1'],
        ['2024-11-03T10:00:00-05:00', '2'],
      ]);
    });

    it('keeps empty days between the event start and end, so days counts the <day> elements', async () => {
      const event = makeEvent({ startsAt: new Date('2024-06-01T07:00:00Z'), endsAt: new Date('2024-06-03T20:00:00Z') });
      const { doc } = await exportXml(makeInput({ event, sessions: [] }));
      expect(children(doc, 'day').map((d) => d.getAttribute('date'))).toEqual(['2024-06-01', '2024-06-02', '2024-06-03']);
      expect(childText(conference(doc), 'days')).toBe('3');
    });
  });

  it('two events on the same date: neither export holds the other one’s rooms or sessions', async () => {
    const day = (h: number) => new Date(Date.UTC(2024, 5, 1, h));
    const roomsA = [{ id: 1, name: 'Hall A' }, { id: 2, name: 'Lab A' }, { id: 5, name: 'Unused A' }];
    const roomsB = [{ id: 3, name: 'Hall B' }, { id: 4, name: 'Lab B' }];
    const a = makeInput({
      event: makeEvent({ id: 1, identifier: 'eventaaa', name: 'Event A' }),
      // A sloppy caller passes every room of the venue: only rooms A's sessions use may appear.
      rooms: [...roomsA, ...roomsB],
      sessions: [
        makeSession({ id: 10, title: 'Talk A1', room: roomsA[0], startsAt: day(8), endsAt: day(9) }),
        makeSession({ id: 11, title: 'Talk A2', room: roomsA[1], startsAt: day(10), endsAt: day(11) }),
        makeSession({ id: 12, title: 'Talk A3', room: roomsA[1], startsAt: new Date('2024-06-02T08:00:00Z'), endsAt: new Date('2024-06-02T09:00:00Z') }),
      ],
    });
    const b = makeInput({
      event: makeEvent({ id: 2, identifier: 'eventbbb', name: 'Event B' }),
      rooms: roomsB,
      sessions: [
        makeSession({ id: 20, title: 'Talk B1', room: roomsB[0], startsAt: day(8), endsAt: day(9) }),
        makeSession({ id: 21, title: 'Talk B2', room: roomsB[1], startsAt: day(9), endsAt: day(10) }),
      ],
    });
    const xa = await exportXml(a);
    const xb = await exportXml(b);
    for (const name of ['Hall B', 'Lab B', 'Talk B1', 'Talk B2', 'Unused A']) expect(xa.xml).not.toContain(name);
    for (const name of ['Hall A', 'Lab A', 'Talk A1', 'Talk A2', 'Talk A3']) expect(xb.xml).not.toContain(name);
    const roomsPerDay = (doc: Element) =>
      children(doc, 'day').map((d) => children(d, 'room').map((r) => r.getAttribute('name')));
    expect(roomsPerDay(xa.doc)).toEqual([['Hall A', 'Lab A'], ['Lab A']]);
    expect(roomsPerDay(xb.doc)).toEqual([['Hall B', 'Lab B'], []]);
    const guids = (doc: Element) => new Set(eventsOf(doc).map((e) => e.guid));
    expect([...guids(xa.doc)].some((g) => guids(xb.doc).has(g))).toBe(false);
  });

  it('a session without track, type or room exports with empty elements into the Unassigned room, last', async () => {
    const hall = { id: 1, name: 'Hall' };
    const input = () =>
      makeInput({
        rooms: [hall],
        sessions: [
          makeSession({ id: 1, title: 'Nowhere yet' }),
          makeSession({ id: 2, title: 'In the hall', room: hall }),
        ],
      });
    const { doc } = await exportXml(input());
    const rooms = children(children(doc, 'day')[0], 'room');
    expect(rooms.map((r) => r.getAttribute('name'))).toEqual(['Hall', 'Unassigned']);
    const [nowhere] = eventsOf(doc).filter((e) => e.id === 1);
    expect(nowhere.get('room')).toBe('Unassigned');
    expect(nowhere.get('track')).toBe('');
    expect(nowhere.get('type')).toBe('');
    expect(nowhere.roomEl.getAttribute('guid')).toMatch(UUID);

    const renamed = await exportXml(input(), { unassignedRoomName: 'Room to be announced' });
    expect(eventsOf(renamed.doc).find((e) => e.id === 1)!.get('room')).toBe('Room to be announced');

    // A real room that happens to be called "Unassigned" keeps its name; the holding room steps aside.
    const clash = await exportXml(makeInput({
      rooms: [{ id: 7, name: 'Unassigned' }],
      sessions: [makeSession({ id: 1 }), makeSession({ id: 2, room: { id: 7, name: 'Unassigned' } })],
    }));
    expect(children(children(clash.doc, 'day')[0], 'room').map((r) => r.getAttribute('name'))).toEqual([
      'Unassigned',
      'Unassigned (2)',
    ]);
  });

  it('hostile text comes out valid and reads back unchanged but for the characters XML forbids', async () => {
    const title = 'A ]]> B <script>alert("x")</script> & \'q\' \u0000\u0001\u000b\u001f\ud800\ufffe\uffff\r\nline 2 😀 עברית';
    const name = 'Eve "&<>\t\u0007" 🙂';
    const room = { id: 9, name: 'Room "9" <&>\tTab\nNL' };
    const track = { id: 3, name: ']]><b>x</b>\u0002', color: '#ABCDEF' };
    const { xml, doc } = await exportXml(makeInput({
      tracks: [track],
      sessions: [
        makeSession({
          id: 1,
          title,
          subtitle: ']]>',
          language: 'en\u0000',
          room,
          track,
          sessionType: { id: 1, name: '<type>' },
          speakers: [{ id: 5, name }],
          shortAbstract: '<p>Hi <script>evil()</script><b>there</b> &amp; &lt;you&gt;</p>\u0003',
          longAbstract: 'plain ]]> text\r\nwith lines',
          slidesUrl: 'https://example.org/slides?a=1&b="2"',
          videoUrl: 'javascript:alert(1)',
        }),
      ],
    }));
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain(']]>');
    const [e] = eventsOf(doc);
    expect(e.get('title')).toBe(dropXmlForbidden(title));
    expect(e.get('title')).toContain('\r\nline 2 😀');
    expect(personsOf(e.el)[0].name).toBe('Eve "&<>\t" 🙂');
    expect(e.get('room')).toBe(room.name);
    expect(e.roomEl.getAttribute('name')).toBe(room.name);
    expect(e.get('track')).toBe(']]><b>x</b>');
    expect(e.get('type')).toBe('<type>');
    expect(e.get('language')).toBe('en');
    expect(e.get('abstract')).toBe('Hi there & <you>');
    expect(e.get('description')).toBe('plain ]]> text\nwith lines');
    const attachment = children(children(e.el, 'attachments')[0], 'attachment')[0];
    expect(attachment.getAttribute('href')).toBe('https://example.org/slides?a=1&b="2"');
    expect(children(children(e.el, 'links')[0], 'link')).toHaveLength(0); // not an http(s) URL
    const trackEl = children(conference(doc), 'track')[0];
    expect(trackEl.getAttribute('color')).toBe('#abcdef');
    expect(trackEl.getAttribute('slug')).toBe('b-x-b');
  });

  it('any Unicode text stays schema-valid and reads back as given minus forbidden characters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ title: fc.string({ unit: hostileUnit, maxLength: 40 }), speaker: fc.string({ unit: hostileUnit, maxLength: 20 }) }), { minLength: 1, maxLength: 25 }),
        async (items) => {
          const sessions = items.map((item, i) =>
            makeSession({ id: i + 1, title: item.title, speakers: [{ id: i + 1, name: item.speaker }], room: { id: i % 3, name: item.speaker || 'r' } }),
          );
          const xml = await collect(serializePentabarf(makeInput({ sessions })));
          const result = await validateSchedule(xml);
          expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
          const byId = new Map(eventsOf(parseXml(xml).documentElement!).map((e) => [e.id, e]));
          items.forEach((item, i) => {
            const e = byId.get(i + 1)!;
            expect(e.get('title')).toBe(dropXmlForbidden(item.title));
            expect(personsOf(e.el)[0].name).toBe(dropXmlForbidden(item.speaker));
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('exports only accepted or confirmed sessions that are not deleted and have a start and an end', async () => {
    const at = (h: number) => new Date(Date.UTC(2024, 5, 1, h));
    const { doc } = await exportXml(makeInput({
      sessions: [
        makeSession({ id: 1, state: 'accepted' }),
        makeSession({ id: 2, state: 'confirmed' }),
        makeSession({ id: 3, state: 'draft' }),
        makeSession({ id: 4, state: 'pending' }),
        makeSession({ id: 5, state: 'rejected' }),
        makeSession({ id: 6, state: 'withdrawn' }),
        makeSession({ id: 7, state: 'canceled' }),
        makeSession({ id: 8, deletedAt: at(1) }),
        makeSession({ id: 9, startsAt: null }),
        makeSession({ id: 10, endsAt: null }),
      ],
    }));
    expect(eventsOf(doc).map((e) => e.id)).toEqual([1, 2]);
  });

  it('writes the given schedule version, or one that changes exactly when the schedule does', async () => {
    const versionOf = async (sessions: CalendarSession[], scheduleVersion?: string) =>
      childText((await exportXml(makeInput({ sessions, scheduleVersion }))).doc, 'version');
    const s1 = makeSession({ id: 1 });
    const s2 = makeSession({ id: 2, startsAt: new Date('2024-06-01T10:00:00Z'), endsAt: new Date('2024-06-01T11:00:00Z') });
    expect(await versionOf([s1, s2], 'v42')).toBe('v42');
    const base = await versionOf([s1, s2]);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(await versionOf([s2, s1])).toBe(base);
    expect(await versionOf([s1, { ...s2, sequence: 1, lastModifiedAt: new Date('2024-03-01T00:00:00Z') }])).not.toBe(base);
    expect(await versionOf([s1])).not.toBe(base);
    expect(await versionOf([s1, s2, makeSession({ id: 3, state: 'draft' })])).toBe(base);
  });

  it('long sessions stay within the schema (99:59 at most), slugs and urls are well-formed', async () => {
    const { doc } = await exportXml(makeInput({
      sessions: [
        makeSession({ id: 1, startsAt: new Date('2024-06-01T08:00:00Z'), endsAt: new Date('2024-06-06T08:00:00Z'), title: '日本語のタイトル' }),
        makeSession({ id: 2, title: 'Ünïcode Talk: a/b' }),
        makeSession({ id: 3, title: 'X' }),
      ],
    }));
    const events = eventsOf(doc);
    expect(events.map((e) => e.get('duration'))).toEqual(['99:59', '01:00', '01:00']);
    expect(events.map((e) => e.get('slug'))).toEqual([
      'abcd1234-1-session',
      'abcd1234-2-unicode_talk_a_b',
      'abcd1234-_3-x',
    ]);
    expect(events[0].get('url')).toBe('https://events.example.org/e/abcd1234/sessions/1');
  });

  it('streams a large schedule from an async source in chunks of about 64 KB', async () => {
    async function* source() {
      for (let i = 1; i <= 3000; i++) {
        const start = Date.UTC(2024, 5, 1 + (i % 3), 8) + (i % 40) * 15 * 60_000;
        yield makeSession({
          id: i,
          title: `Talk ${i}`,
          room: { id: i % 7, name: `Room ${i % 7}` },
          startsAt: new Date(start),
          endsAt: new Date(start + 30 * 60_000),
          shortAbstract: 'x'.repeat(200),
        });
      }
    }
    const chunks: string[] = [];
    for await (const chunk of serializePentabarf(makeInput({ sessions: source() }))) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(64 * 1024 + 4096);
    const xml = chunks.join('');
    expect((await validateSchedule(xml)).valid).toBe(true);
    const events = eventsOf(parseXml(xml).documentElement!);
    expect(events).toHaveLength(3000);
    // Within each room of each day, by start time.
    for (let i = 1; i < events.length; i++) {
      if (events[i].roomEl === events[i - 1].roomEl) {
        expect(events[i].get('date')! >= events[i - 1].get('date')!).toBe(true);
      }
    }
  });
});
