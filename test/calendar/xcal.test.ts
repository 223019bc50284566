// xCal against the RFC 6321 schema (../shared/standards/xcal), plus what the schema cannot check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderToString } from '../../src/calendar/formats.ts';
import { sharedDir, sharedPath } from '../support/shared.ts';
import { calendarInput, edgeCaseSessions, event, parseXml, session, validateXcal, xcalChecks } from './support.ts';

const vector = (name: string) => readFileSync(sharedPath('vectors', name), 'utf8');

/** Element paths (local names) of a document, for comparing its shape with another's. */
function paths(xml: string): Set<string> {
  const out = new Set<string>();
  const walk = (el: { localName: string | null; firstChild: unknown }, prefix: string) => {
    const path = `${prefix}/${el.localName}`;
    out.add(path);
    for (let n = el.firstChild as { nodeType: number; nextSibling: unknown } | null; n; n = n.nextSibling as typeof n) {
      if (n.nodeType === 1) walk(n as never, path);
    }
  };
  walk(parseXml(xml).documentElement as never, '');
  return out;
}

describe.skipIf(!sharedDir)('xCal', () => {
  it('validates against the RFC 6321 schema, and passes the checks the schema cannot make', async () => {
    const docs = await Promise.all([
      renderToString('xcal', calendarInput(edgeCaseSessions())),
      renderToString('xcal', calendarInput([session()], { event: event({ timezone: 'UTC' }) })),
      renderToString('xcal', calendarInput([], { event: event({ timezone: 'America/Sao_Paulo', description: null }) })),
      renderToString('xcal', calendarInput([session()], { event: event({ timezone: 'Australia/Lord_Howe', name: '' }), refreshIntervalMinutes: undefined })),
    ]);
    expect(await validateXcal(docs)).toEqual([]);
    for (const doc of docs) expect(xcalChecks(doc)).toEqual([]);
  });

  it('uses a validator that accepts the RFC examples and rejects what the RFC forbids', async () => {
    expect(await validateXcal([vector('rfc6321-example1.xml'), vector('rfc6321-example2.xml')], { strip: false })).toEqual([]);
    const example = vector('rfc6321-example1.xml');
    const both = example.replace(
      '</dtstart>',
      '</dtstart><dtend><date>2008-10-07</date></dtend><duration><duration>P1D</duration></duration>',
    );
    const noComponents = '<icalendar xmlns="urn:ietf:params:xml:ns:icalendar-2.0"><vcalendar><properties><prodid><text>x</text></prodid><version><text>2.0</text></version></properties></vcalendar></icalendar>';
    const extension = example.replace('<calscale>', '<x-wr-calname><text>x</text></x-wr-calname><calscale>');
    for (const bad of [both, noComponents, extension]) expect(await validateXcal([bad], { strip: false })).not.toEqual([]);
    // Dropping the extension elements is what makes an extended document valid.
    expect(await validateXcal([extension])).toEqual([]);
    expect(xcalChecks(both)).toEqual(['4088E990AD89CB3DBB484909: DTEND and DURATION']);
  });

  it('has the shape of RFC 6321 example 1: icalendar, vcalendar, properties and components, typed values', async () => {
    const ours = paths(await renderToString('xcal', calendarInput([session()])));
    for (const path of paths(vector('rfc6321-example1.xml'))) {
      // The example's all-day DTSTART is a `date`; ours are date-times.
      const expected = path.replace('/dtstart/date', '/dtstart/date-time');
      expect(ours, expected).toContain(expected);
    }
  });

  it('is UTF-8 XML 1.0 with nothing XML forbids, whatever the input', async () => {
    const xml = await renderToString('xcal', calendarInput(edgeCaseSessions()));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<icalendar xmlns="urn:ietf:params:xml:ns:icalendar-2.0">')).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u);
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('Hostile ]]&gt; &lt;script&gt;alert("x")&lt;/script&gt; &amp;amp; \nnew line\nCR NUL lone 😀');
  });
});
