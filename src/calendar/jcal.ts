// jCal (RFC 7265): the iCalendar model as JSON arrays, `[name, properties, components]` per component and
// `[name, parameters, type, ...values]` per property. One property per line: readable diffs at no cost.
import { streamCalendar } from './calendar.ts';
import { formatUtcOffset, writeDateTime } from './datetime.ts';
import { PROPERTY_TYPES, type ComponentName, type Params, type PropertyName, type Recur } from './design.ts';
import type { CalendarInput } from './model.ts';
import { ByteSink, SameAsLast, bytes } from './sink.ts';
import { MAX_BYTES_PER_UNIT, textCodec, writeText } from './text.ts';
import { paramsSize, type CalendarWriter } from './writer.ts';

// JSON string escapes; the other control characters are dropped by the text rule before they need one.
const STRING = textCodec({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t' });
const QUOTE = 34;

/** `["name",` and `,"type",` per property, and `["name",{},"type",`, encoded once. */
const OPEN = {} as Record<PropertyName, Uint8Array>;
const TYPE = {} as Record<PropertyName, Uint8Array>;
const HEAD = {} as Record<PropertyName, Uint8Array>;
for (const [name, type] of Object.entries(PROPERTY_TYPES) as [PropertyName, string][]) {
  OPEN[name] = bytes(`["${name}",`);
  TYPE[name] = bytes(`,"${type}",`);
  HEAD[name] = bytes(`["${name}",{},"${type}",`);
}
const NONE = new Uint8Array(0);
const FIRST = bytes('\n');
const NEXT = bytes(',\n');

class JcalWriter implements CalendarWriter {
  readonly sink = new ByteSink();
  // Per open component: whether its property list is closed, and whether the list being written is still empty.
  private inComponents: boolean[] = [];
  private empty: boolean[] = [];
  private readonly lastParams = new SameAsLast();

  open(): void {}

  close(): void {
    this.markup('\n');
  }

  private markup(text: string): void {
    this.sink.reserve(text.length);
    this.sink.ascii(text);
  }

  /** The separator before a new item of the current list; `added` commits it once the item is written. */
  private separator(): Uint8Array {
    const top = this.empty.length - 1;
    return top < 0 ? NONE : this.empty[top] ? FIRST : NEXT;
  }

  private added(): void {
    const top = this.empty.length - 1;
    if (top >= 0) this.empty[top] = false;
  }

  begin(component: ComponentName): void {
    const depth = this.inComponents.length;
    if (depth > 0 && !this.inComponents[depth - 1]) {
      this.inComponents[depth - 1] = true;
      this.empty[depth - 1] = true;
      this.markup('],[');
    }
    this.sink.bytes(this.separator());
    this.markup(`["${component}",[`);
    this.added();
    this.inComponents.push(false);
    this.empty.push(true);
  }

  end(_component: ComponentName): void {
    const inComponents = this.inComponents.pop();
    this.empty.pop();
    this.markup(inComponents ? ']]' : '],[]]');
  }

  /** Writes `sep["name",{params},"type",`; room reserved by the caller. A parameter left empty is left out. */
  private head(name: PropertyName, params: Params | undefined): void {
    const sink = this.sink;
    sink.put(this.separator());
    if (params) {
      sink.put(OPEN[name]);
      this.lastParams.write(sink, params, () => this.params(params));
      sink.put(TYPE[name]);
    } else sink.put(HEAD[name]);
  }

  /** `{"tzid":"…","cn":"…"}`; a parameter left empty is left out. */
  private params(params: Params): void {
    const sink = this.sink;
    sink.ascii('{');
    let first = true;
    for (const key of Object.keys(params) as (keyof Params)[]) {
      const value = params[key];
      if (value === undefined) continue;
      const mark = sink.pos;
      sink.ascii(`${first ? '' : ','}"${key}":"`);
      if (writeText(sink, value, STRING) === 0) sink.pos = mark;
      else {
        sink.buf[sink.pos++] = QUOTE;
        first = false;
      }
    }
    sink.ascii('}');
  }

  private reserve(params: Params | undefined, valueSize: number): number {
    const sink = this.sink;
    sink.reserve(96 + valueSize + paramsSize(params));
    return sink.pos;
  }

  property(name: PropertyName, value: string, params?: Params): void {
    const sink = this.sink;
    const start = this.reserve(params, value.length * MAX_BYTES_PER_UNIT);
    this.head(name, params);
    const type = PROPERTY_TYPES[name];
    if (type === 'integer') sink.ascii(value);
    else {
      sink.buf[sink.pos++] = QUOTE;
      if (writeText(sink, value, STRING) === 0 && type === 'text') {
        sink.pos = start;
        return;
      }
      sink.buf[sink.pos++] = QUOTE;
    }
    sink.ascii(']');
    this.added();
  }

  texts(name: PropertyName, values: readonly string[]): void {
    const sink = this.sink;
    let size = 0;
    for (const v of values) size += v.length * MAX_BYTES_PER_UNIT + 3;
    const start = this.reserve(undefined, size);
    this.head(name, undefined);
    let written = 0;
    for (const v of values) {
      const mark = sink.pos;
      if (written > 0) sink.ascii(',');
      sink.buf[sink.pos++] = QUOTE;
      const n = writeText(sink, v, STRING);
      if (n === 0) sink.pos = mark;
      else sink.buf[sink.pos++] = QUOTE;
      written += n;
    }
    if (written === 0) {
      sink.pos = start;
      return;
    }
    sink.ascii(']');
    this.added();
  }

  dateTime(name: PropertyName, ms: number, utc: boolean, params?: Params): void {
    const sink = this.sink;
    this.reserve(params, 24);
    this.head(name, params);
    sink.buf[sink.pos++] = QUOTE;
    writeDateTime(sink, ms, false, utc);
    sink.buf[sink.pos++] = QUOTE;
    sink.ascii(']');
    this.added();
  }


  utcOffset(name: PropertyName, seconds: number): void {
    this.reserve(undefined, 16);
    this.head(name, undefined);
    this.sink.ascii(`"${formatUtcOffset(seconds, false)}"]`);
    this.added();
  }

  recur(name: PropertyName, rule: Recur): void {
    this.reserve(undefined, 96);
    this.head(name, undefined);
    this.sink.ascii(`${JSON.stringify(rule)}]`);
    this.added();
  }
}

export function serializeJcal(input: CalendarInput): AsyncGenerator<Uint8Array, void, undefined> {
  return streamCalendar(input, new JcalWriter());
}
