import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { renderToString } from '../../src/calendar/formats.ts';
import { zoneRules } from '../../src/calendar/timezones.ts';
import { ambiguous, calendarInput, event, icalComponent, intlOffset, offsetChanges, parseIcal } from './support.ts';

const ZONES = Intl.supportedValuesOf('timeZone');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function vtimezoneOf(timeZone: string, startsAt: Date, endsAt: Date): Promise<ICAL.Timezone | null> {
  const ics = await renderToString('ical', calendarInput([], { event: event({ timezone: timeZone, startsAt, endsAt }) }));
  const vtimezone = icalComponent(parseIcal(ics)).getFirstSubcomponent('vtimezone');
  return vtimezone ? new ICAL.Timezone({ component: vtimezone, tzid: vtimezone.getFirstPropertyValue('tzid') as string }) : null;
}

describe('zoneRules', () => {
  it('gives Europe/Berlin its two yearly rules', () => {
    const rules = zoneRules('Europe/Berlin', Date.UTC(2025, 2, 10), Date.UTC(2025, 2, 12));
    expect(rules.utc).toBe(false);
    expect(rules.observances.map((o) => [o.kind, o.rule, o.offsetFrom, o.offsetTo])).toEqual([
      ['daylight', { freq: 'YEARLY', byday: '-1SU', bymonth: 3 }, 3600, 7200],
      ['standard', { freq: 'YEARLY', byday: '-1SU', bymonth: 10 }, 7200, 3600],
    ]);
  });

  it('lists the onsets of a zone whose rules changed (Brazil dropped DST in 2019)', () => {
    const rules = zoneRules('America/Sao_Paulo', Date.UTC(2019, 5, 1), Date.UTC(2019, 5, 3));
    expect(rules.observances.every((o) => o.rule === null)).toBe(true);
    expect(rules.observances.length).toBeGreaterThan(1);
  });

  it('gives a zone without DST one observance', () => {
    const rules = zoneRules('Asia/Tokyo', Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 2));
    expect(rules.observances).toHaveLength(1);
    expect(rules.observances[0]).toMatchObject({ offsetFrom: 9 * 3600, offsetTo: 9 * 3600 });
  });

  it('knows UTC by its names', () => {
    for (const name of ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']) expect(zoneRules(name, 0, DAY).utc).toBe(true);
    expect(zoneRules('Africa/Abidjan', 0, DAY).utc).toBe(false);
  });

  it('rejects an unknown zone', () => {
    expect(() => zoneRules('Mars/Olympus_Mons', 0, DAY)).toThrow(RangeError);
  });

  it('gives the wall time of Intl, or NaN on repeated wall times and outside the covered years', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(1975, 0, 1), max: Date.UTC(2036, 0, 1) }),
        fc.integer({ min: -400 * DAY, max: 400 * DAY }),
        (zone, eventStart, delta) => {
          const rules = zoneRules(zone, eventStart, eventStart + 3 * DAY);
          const ms = eventStart + delta;
          const wall = rules.wallTime(ms);
          if (Number.isNaN(wall)) {
            const year = new Date(eventStart).getUTCFullYear();
            const covered = ms >= Date.UTC(year - 1, 0, 1) && ms < Date.UTC(year + 2, 0, 1);
            expect(!covered || ambiguous(zone, ms)).toBe(true);
          } else {
            expect(wall - ms).toBe(intlOffset(zone, ms));
            expect(ambiguous(zone, ms)).toBe(false);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('VTIMEZONE', () => {
  it('makes ical.js read every local time we write as the instant it is, around DST changes too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1990, max: 2035 }),
        fc.integer({ min: 0, max: 364 * DAY }),
        fc.integer({ min: -6 * 60, max: 6 * 60 }),
        async (zone, year, dayOffset, minutes) => {
          const startsAt = new Date(Date.UTC(year, 0, 1) + dayOffset);
          const endsAt = new Date(startsAt.getTime() + 2 * DAY);
          const rules = zoneRules(zone, startsAt.getTime(), endsAt.getTime());
          const tz = await vtimezoneOf(zone, startsAt, endsAt);
          if (rules.utc) return expect(tz).toBeNull();
          // Instants near the zone's transitions in the covered years, and a few anywhere.
          const transitions = offsetChanges(zone, Date.UTC(year - 1, 0, 1), Date.UTC(year + 2, 0, 1));
          const instants = [startsAt.getTime(), ...transitions.map((t) => t + minutes * 60_000)];
          for (const ms of instants) {
            const wall = rules.wallTime(ms);
            if (Number.isNaN(wall)) continue;
            const d = new Date(wall);
            const time = ICAL.Time.fromData({
              year: d.getUTCFullYear(),
              month: d.getUTCMonth() + 1,
              day: d.getUTCDate(),
              hour: d.getUTCHours(),
              minute: d.getUTCMinutes(),
              second: d.getUTCSeconds(),
            });
            const offset = Math.floor(wall / 1000) * 1000 - Math.floor(ms / 1000) * 1000;
            expect((tz as ICAL.Timezone).utcOffset(time) * 1000, `${zone} ${new Date(ms).toISOString()}`).toBe(offset);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
