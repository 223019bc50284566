import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteSink } from '../../src/calendar/sink.ts';
import { calendarText, endContentLine, foldedSize, plainText, textCodec, writeText } from '../../src/calendar/text.ts';
import { expectedText, hostileText } from './support.ts';

describe('calendarText', () => {
  it('drops what XML and iCalendar forbid and turns CR and CRLF into LF', () => {
    expect(calendarText('a\u0000b\u0008c\u000Bd\u007Fe\uFFFEf\uFFFFg')).toBe('abcdefg');
    expect(calendarText('one\r\ntwo\rthree\nfour\tfive')).toBe('one\ntwo\nthree\nfour\tfive');
    expect(calendarText('lone \uD800 high, lone \uDC00 low, pair 😀')).toBe('lone  high, lone  low, pair 😀');
    const clean = 'plain text, nothing to do';
    expect(calendarText(clean)).toBe(clean);
  });

  it('agrees with the rule stated independently', () => {
    fc.assert(fc.property(hostileText(), (s) => calendarText(s) === expectedText(s)), { numRuns: 300 });
  });
});

describe('plainText', () => {
  it('strips tags and decodes entities', () => {
    expect(plainText('<p>Hello &amp; <b>welcome</b></p><p>Second&nbsp;line &hellip;</p>')).toBe(
      'Hello & welcome\n\nSecond\u00a0line …',
    );
    expect(plainText('<ul><li>one</li><li>two</li></ul>')).toBe('- one\n- two');
    expect(plainText('before<script>alert(1)</script><style>p{}</style> after')).toBe('before after');
    expect(plainText('&lt;script&gt; is text here')).toBe('<script> is text here');
    expect(plainText('line<br>break')).toBe('line\nbreak');
  });

  it('leaves plain text alone, ampersands and line breaks included', () => {
    expect(plainText('R&D, a < b & c')).toBe('R&D, a < b & c');
    expect(plainText('first\nsecond')).toBe('first\nsecond');
  });
});

describe('writeText', () => {
  const codecs = {
    ical: [textCodec({ '\\': '\\\\', ';': '\\;', ',': '\\,', '\n': '\\n' }), { '\\': '\\\\', ';': '\\;', ',': '\\,', '\n': '\\n' }],
    xml: [textCodec({ '&': '&amp;', '<': '&lt;', '>': '&gt;' }), { '&': '&amp;', '<': '&lt;', '>': '&gt;' }],
    uri: [textCodec({}, { dropLineBreaks: true }), { '\n': '', '\t': '' }],
  } as const;

  // Short strings take a JavaScript loop, long ones regex and native calls: both must write the same bytes.
  it.each(Object.keys(codecs) as (keyof typeof codecs)[])('%s: UTF-8 of the clean, escaped text, short or long', (name) => {
    const [codec, escapes] = codecs[name];
    const escape = (s: string) => [...expectedText(s)].map((ch) => (escapes as Record<string, string>)[ch] ?? ch).join('');
    fc.assert(
      fc.property(hostileText(60), (s) => {
        const sink = new ByteSink();
        const n = writeText(sink, s, codec);
        expect(n).toBe(sink.pos);
        expect(Buffer.from(sink.buf.subarray(0, n)).toString('utf8')).toBe(escape(s));
      }),
      { numRuns: 400 },
    );
  });
});

describe('endContentLine (folding)', () => {
  function folded(line: string): Buffer {
    const sink = new ByteSink();
    const bytes = Buffer.from(line, 'utf8');
    sink.reserve(foldedSize(bytes.length));
    sink.buf.set(bytes, 0);
    sink.pos = bytes.length;
    endContentLine(sink, 0);
    return Buffer.from(sink.buf.subarray(0, sink.pos));
  }

  it('keeps lines of 75 octets or less, never splits a UTF-8 sequence, and unfolds to the original', () => {
    fc.assert(
      // Content lines never hold CR or LF: writers escape them.
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }).map((s) => s.replace(/[\r\n]/g, '')), (text) => {
        const out = folded(`DESCRIPTION:${text}`);
        expect(out.subarray(-2).toString()).toBe('\r\n');
        const lines = out.subarray(0, -2).toString('latin1').split('\r\n');
        for (const [i, line] of lines.entries()) {
          const octets = Buffer.from(line, 'latin1');
          expect(octets.length).toBeLessThanOrEqual(75);
          if (i > 0) expect(octets[0]).toBe(0x20);
          // A line must start on a character: never on a UTF-8 continuation byte.
          const first = octets[i > 0 ? 1 : 0];
          if (first !== undefined) expect(first & 0xc0).not.toBe(0x80);
          // And each line is valid UTF-8 on its own.
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(octets)).not.toThrow();
        }
        expect(out.toString('utf8').slice(0, -2).replaceAll('\r\n ', '')).toBe(`DESCRIPTION:${text}`);
      }),
      { numRuns: 300 },
    );
  });

  it('folds at exactly 75 octets', () => {
    const out = folded('X'.repeat(75 + 74 + 1)).toString();
    expect(out).toBe(`${'X'.repeat(75)}\r\n ${'X'.repeat(74)}\r\n X\r\n`);
    expect(folded('X'.repeat(75)).toString()).toBe(`${'X'.repeat(75)}\r\n`);
  });
});
