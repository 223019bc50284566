// iCalendar (RFC 5545): content lines ending in CRLF, TEXT escaped (§3.3.11), parameter values caret-encoded
// (RFC 6868), lines folded at 75 octets without splitting a UTF-8 sequence (text.ts).
import { streamCalendar } from './calendar.ts';
import { formatUtcOffset, writeDateTime } from './datetime.ts';
import {
  COMPONENTS,
  EXPLICIT_VALUE_TYPE,
  PROPERTY_TYPES,
  type ComponentName,
  type Params,
  type PropertyName,
  type Recur,
} from './design.ts';
import type { CalendarInput } from './model.ts';
import { ByteSink, SameAsLast, bytes } from './sink.ts';
import { MAX_BYTES_PER_UNIT, endContentLine, foldedSize, textCodec, writeText } from './text.ts';
import { paramsSize, type CalendarWriter } from './writer.ts';

const TEXT = textCodec({ '\\': '\\\\', ';': '\\;', ',': '\\,', '\n': '\\n' });
// A parameter value cannot hold a DQUOTE or a line break: RFC 6868 writes them ^' and ^n, and ^ as ^^.
const PARAM = textCodec({ '^': '^^', '"': "^'", '\n': '^n' });
// URIs, numbers, durations: nothing to escape, and no line break may slip in.
const VALUE = textCodec({}, { dropLineBreaks: true });
const COLON = 58;
const COMMA = 44;
const DQUOTE = 34;

/** `NAME` or `NAME;VALUE=TYPE`, per property, encoded once. */
const HEADS = {} as Record<PropertyName, Uint8Array>;
for (const [name, type] of Object.entries(PROPERTY_TYPES) as [PropertyName, string][]) {
  HEADS[name] = bytes(name.toUpperCase() + (EXPLICIT_VALUE_TYPE.has(name) ? `;VALUE=${type.toUpperCase()}` : ''));
}
const BEGIN = {} as Record<ComponentName, Uint8Array>;
const END = {} as Record<ComponentName, Uint8Array>;
for (const c of COMPONENTS) {
  BEGIN[c] = bytes(`BEGIN:${c.toUpperCase()}\r\n`);
  END[c] = bytes(`END:${c.toUpperCase()}\r\n`);
}
const TZID = bytes(';TZID=');
const CN = bytes(';CN="');

class IcalWriter implements CalendarWriter {
  readonly sink = new ByteSink();
  private readonly lastParams = new SameAsLast();

  open(): void {}
  close(): void {}

  begin(component: ComponentName): void {
    this.sink.bytes(BEGIN[component]);
  }

  end(component: ComponentName): void {
    this.sink.bytes(END[component]);
  }

  /** A short ASCII line that needs no escaping. */
  private line(text: string): void {
    const sink = this.sink;
    sink.reserve(foldedSize(text.length));
    const start = sink.pos;
    sink.ascii(text);
    endContentLine(sink, start);
  }

  /** TZID as is (IANA names hold no `;`, `:` or `,`); CN always quoted, and left out when empty. */
  private params(params: Params): void {
    const sink = this.sink;
    if (params.tzid !== undefined) {
      sink.put(TZID);
      writeText(sink, params.tzid, PARAM);
    }
    if (params.cn !== undefined) {
      const mark = sink.pos;
      sink.put(CN);
      if (writeText(sink, params.cn, PARAM) === 0) sink.pos = mark;
      else sink.buf[sink.pos++] = DQUOTE;
    }
  }

  property(name: PropertyName, value: string, params?: Params): void {
    const sink = this.sink;
    const head = HEADS[name];
    sink.reserve(foldedSize(head.length + paramsSize(params) + 1 + value.length * MAX_BYTES_PER_UNIT));
    const start = sink.pos;
    sink.put(head);
    if (params) this.params(params);
    sink.buf[sink.pos++] = COLON;
    if (writeText(sink, value, PROPERTY_TYPES[name] === 'text' ? TEXT : VALUE) === 0) {
      sink.pos = start;
      return;
    }
    endContentLine(sink, start);
  }

  texts(name: PropertyName, values: readonly string[]): void {
    const sink = this.sink;
    const head = HEADS[name];
    let size = head.length + 1;
    for (const v of values) size += v.length * MAX_BYTES_PER_UNIT + 1;
    sink.reserve(foldedSize(size));
    const start = sink.pos;
    sink.put(head);
    sink.buf[sink.pos++] = COLON;
    let written = 0;
    for (const v of values) {
      const mark = sink.pos;
      if (written > 0) sink.buf[sink.pos++] = COMMA;
      const n = writeText(sink, v, TEXT);
      if (n === 0) sink.pos = mark;
      written += n;
    }
    if (written === 0) {
      sink.pos = start;
      return;
    }
    endContentLine(sink, start);
  }

  dateTime(name: PropertyName, ms: number, utc: boolean, params?: Params): void {
    const sink = this.sink;
    const head = HEADS[name];
    sink.reserve(foldedSize(head.length + paramsSize(params) + 18));
    const start = sink.pos;
    sink.put(head);
    if (params) this.lastParams.write(sink, params, () => this.params(params));
    sink.buf[sink.pos++] = COLON;
    writeDateTime(sink, ms, true, utc);
    endContentLine(sink, start);
  }


  utcOffset(name: PropertyName, seconds: number): void {
    this.line(`${name.toUpperCase()}:${formatUtcOffset(seconds, true)}`);
  }

  recur(name: PropertyName, rule: Recur): void {
    this.line(`${name.toUpperCase()}:FREQ=${rule.freq};BYDAY=${rule.byday};BYMONTH=${rule.bymonth}`);
  }
}

export function serializeIcal(input: CalendarInput): AsyncGenerator<Uint8Array, void, undefined> {
  return streamCalendar(input, new IcalWriter());
}
