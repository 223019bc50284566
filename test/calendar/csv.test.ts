import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SESSION_COLUMNS,
  SPEAKER_COLUMNS,
  serializeSessionsCsv,
  serializeSpeakersCsv,
  type CsvSessionRow,
  type CsvSpeakerRow,
} from '../../src/calendar/csv.ts';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

/** What a spreadsheet or script reads: RFC 4180 records, BOM dropped. */
function readBack(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false });
}

function sessionRow(over: Partial<CsvSessionRow> = {}): CsvSessionRow {
  return {
    title: 'Opening',
    state: 'accepted',
    startsAt: new Date('2024-10-11T00:00:00Z'),
    endsAt: new Date('2024-10-11T01:30:00Z'),
    speakers: [{ name: 'Ada', email: 'ada@example.org' }, { name: 'Bob', email: null }],
    track: 'Main',
    shortAbstract: 'Short',
    longAbstract: '<p>Long <b>one</b></p><p>Second &amp; last</p>',
    comments: null,
    createdAt: new Date('2024-05-01T12:00:00Z'),
    level: 'Beginner',
    sessionType: 'Talk',
    language: 'en',
    slidesUrl: 'https://example.org/s.pdf',
    audioUrl: null,
    videoUrl: null,
    ...over,
  };
}

function speakerRow(over: Partial<CsvSpeakerRow> = {}): CsvSpeakerRow {
  return {
    name: 'Ada Lovelace',
    email: 'ada@example.org',
    mobile: '+44 20 7946 0000',
    organisation: 'Analytical, Engines & Co',
    position: 'Programmer',
    city: 'London',
    country: 'GB',
    sessions: [{ title: 'Opening', state: 'accepted' }, { title: 'Notes "G"', state: 'draft' }],
    ...over,
  };
}

const HOSTILE = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil","x")', '＝1', '-'];

describe('sessions CSV', () => {
  it('has the OES columns, times in the event zone, plain-text abstracts, and reads back as written', async () => {
    const text = await collect(serializeSessionsCsv({ timezone: 'America/New_York', sessions: [sessionRow()] }));
    const [header, row] = readBack(text);
    expect(header).toEqual([...SESSION_COLUMNS]);
    expect(Object.fromEntries(header.map((h, i) => [h, row[i]]))).toEqual({
      'Session Title': 'Opening',
      'Session Starts At': '2024-10-10T20:00:00-04:00',
      'Session Ends At': '2024-10-10T21:30:00-04:00',
      'Session Speakers': 'Ada; Bob',
      'Speaker Emails': 'ada@example.org',
      'Session Track': 'Main',
      'Session Abstract Short': 'Short',
      'Session Abstract Long': 'Long one\n\nSecond & last',
      Comment: '',
      'Created At': '2024-05-01T08:00:00-04:00',
      Level: 'Beginner',
      Status: 'accepted',
      'Session Type': 'Talk',
      Language: 'en',
      Slides: 'https://example.org/s.pdf',
      Audio: '',
      Video: '',
    });
  });

  it('is RFC 4180 UTF-8: BOM, CRLF records, quoted commas, quotes and line breaks; emoji intact', async () => {
    const title = 'Commas, "quotes", line\nbreak, CRLF\r\nand 😀 עברית';
    const text = await collect(serializeSessionsCsv({
      timezone: 'UTC',
      sessions: [sessionRow({ title, startsAt: null, endsAt: null, comments: 'a,b' })],
    }));
    expect(text.startsWith('\uFEFFSession Title,')).toBe(true);
    expect(text).toContain('"Commas, ""quotes"", line\nbreak, CRLF\r\nand 😀 עברית"');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')[0]).toBe(`\uFEFF${SESSION_COLUMNS.join(',')}`);
    const [, row] = readBack(text);
    expect(row[0]).toBe(title);
    expect(row[1]).toBe('');
    expect(row[8]).toBe('a,b');
    const noBom = await collect(serializeSessionsCsv({ timezone: 'UTC', sessions: [] }, { bom: false }));
    expect(noBom).toBe(`${SESSION_COLUMNS.join(',')}\r\n`);
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const sessions = HOSTILE.map((cell) =>
      sessionRow({ title: cell, track: cell, speakers: [{ name: cell, email: cell }], language: cell }),
    );
    const rows = readBack(await collect(serializeSessionsCsv({ timezone: 'UTC', sessions }))).slice(1);
    rows.forEach((row, i) => {
      for (const column of [0, 3, 4, 5, 13]) expect(row[column]).toBe(`'${HOSTILE[i]}`);
    });
  });

  it('streams rows from an async source in chunks, bounded in size', async () => {
    async function* source() {
      for (let i = 0; i < 5000; i++) yield sessionRow({ title: `Talk ${i}`, longAbstract: 'x'.repeat(100) });
    }
    const chunks: string[] = [];
    for await (const chunk of serializeSessionsCsv({ timezone: 'Europe/Berlin', sessions: source() })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(80 * 1024);
    const rows = readBack(chunks.join(''));
    expect(rows).toHaveLength(5001);
    expect(rows[5000][0]).toBe('Talk 4999');
  });

  it('any text reads back as written, but a leading formula character gets its quote', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { minLength: 1, maxLength: 20 }), async (titles) => {
        const text = await collect(serializeSessionsCsv({ timezone: 'UTC', sessions: titles.map((title) => sessionRow({ title })) }));
        const rows = readBack(text).slice(1);
        expect(rows.map((r) => r[0])).toEqual(
          titles.map((t) => (/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(t) ? `'${t}` : t)),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('speakers CSV', () => {
  it('has the OES columns with emails, mobiles and sessions with their states', async () => {
    const text = await collect(serializeSpeakersCsv({
      speakers: [speakerRow(), speakerRow({ name: '=cmd|calc', email: null, mobile: '+1 555', sessions: [] })],
    }));
    const [header, ada, evil] = readBack(text);
    expect(header).toEqual([...SPEAKER_COLUMNS]);
    expect(ada).toEqual([
      'Ada Lovelace',
      'ada@example.org',
      'Opening (accepted); Notes "G" (draft)',
      // International numbers start with +: the quote makes a spreadsheet keep them as text, not compute them.
      "'+44 20 7946 0000",
      'Analytical, Engines & Co',
      'Programmer',
      'London',
      'GB',
    ]);
    expect(evil.slice(0, 4)).toEqual(["'=cmd|calc", '', '', "'+1 555"]);
  });
});
