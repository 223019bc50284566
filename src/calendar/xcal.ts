// xCal (RFC 6321): the iCalendar model as XML in the urn:ietf:params:xml:ns:icalendar-2.0 namespace, each
// component's properties and subcomponents in `properties` and `components`, each value in an element named after
// its type, parameters in `parameters`. One property per line, no indentation: readable diffs at no cost.
import { streamCalendar } from './calendar.ts';
import { formatUtcOffset, writeDateTime } from './datetime.ts';
import {
  COMPONENTS,
  PARAMETER_TYPES,
  PROPERTY_TYPES,
  type ComponentName,
  type ParameterName,
  type Params,
  type PropertyName,
  type Recur,
} from './design.ts';
import type { CalendarInput } from './model.ts';
import { ByteSink, SameAsLast, bytes } from './sink.ts';
import { MAX_BYTES_PER_UNIT, textCodec, writeText } from './text.ts';
import { paramsSize, type CalendarWriter } from './writer.ts';

// `>` too, so `]]>` never appears.
const TEXT = textCodec({ '&': '&amp;', '<': '&lt;', '>': '&gt;' });
const VALUE = textCodec({ '&': '&amp;', '<': '&lt;', '>': '&gt;' }, { dropLineBreaks: true });

// Markup per property and parameter, encoded once: `<name><type>` (and its two halves, for when parameters come
// between) and `</type></name>`.
const OPEN = {} as Record<PropertyName, Uint8Array>;
const OPEN_NAME = {} as Record<PropertyName, Uint8Array>;
const OPEN_VALUE = {} as Record<PropertyName, Uint8Array>;
const CLOSE = {} as Record<PropertyName, Uint8Array>;
for (const [name, type] of Object.entries(PROPERTY_TYPES) as [PropertyName, string][]) {
  OPEN[name] = bytes(`<${name}><${type}>`);
  OPEN_NAME[name] = bytes(`<${name}>`);
  OPEN_VALUE[name] = bytes(`<${type}>`);
  CLOSE[name] = bytes(`</${type}></${name}>\n`);
}
const PARAM_OPEN = {} as Record<ParameterName, Uint8Array>;
const PARAM_CLOSE = {} as Record<ParameterName, Uint8Array>;
for (const [name, type] of Object.entries(PARAMETER_TYPES) as [ParameterName, string][]) {
  PARAM_OPEN[name] = bytes(`<${name}><${type}>`);
  PARAM_CLOSE[name] = bytes(`</${type}></${name}>`);
}
const PARAMETERS_OPEN = bytes('<parameters>');
const PARAMETERS_CLOSE = bytes('</parameters>');
const TEXT_OPEN = bytes('<text>');
const TEXT_CLOSE = bytes('</text>');

const BEGIN = {} as Record<ComponentName, Uint8Array>;
const END = {} as Record<ComponentName, Uint8Array>;
for (const c of COMPONENTS) {
  BEGIN[c] = bytes(`<${c}>\n<properties>\n`);
  END[c] = bytes(`</properties>\n</${c}>\n`);
}

/** Components whose `components` element the schema requires even when empty. */
const ALWAYS_HAS_COMPONENTS: ReadonlySet<ComponentName> = new Set<ComponentName>(['vcalendar']);

class XcalWriter implements CalendarWriter {
  readonly sink = new ByteSink();
  // Per open component: whether its `properties` element is closed and `components` opened.
  private inComponents: boolean[] = [];
  private readonly lastParams = new SameAsLast();

  private markup(text: string): void {
    this.sink.reserve(text.length);
    this.sink.ascii(text);
  }

  private encoded(b: Uint8Array): void {
    this.sink.reserve(b.length);
    this.sink.put(b);
  }

  open(): void {
    this.markup('<?xml version="1.0" encoding="UTF-8"?>\n<icalendar xmlns="urn:ietf:params:xml:ns:icalendar-2.0">\n');
  }

  close(): void {
    this.markup('</icalendar>\n');
  }

  begin(component: ComponentName): void {
    const depth = this.inComponents.length;
    if (depth > 0 && !this.inComponents[depth - 1]) {
      this.inComponents[depth - 1] = true;
      this.markup('</properties>\n<components>\n');
    }
    this.inComponents.push(false);
    this.encoded(BEGIN[component]);
  }

  end(component: ComponentName): void {
    const inComponents = this.inComponents.pop();
    if (inComponents) this.markup(`</components>\n</${component}>\n`);
    else if (ALWAYS_HAS_COMPONENTS.has(component)) this.markup(`</properties>\n<components/>\n</${component}>\n`);
    else this.encoded(END[component]);
  }

  /** Room reserved by the caller; a parameter left empty is left out, and so is an empty `parameters`. */
  private params(params: Params): void {
    const sink = this.sink;
    const outer = sink.pos;
    sink.put(PARAMETERS_OPEN);
    let written = 0;
    for (const key of Object.keys(params) as ParameterName[]) {
      const value = params[key];
      if (value === undefined) continue;
      const mark = sink.pos;
      sink.put(PARAM_OPEN[key]);
      const n = writeText(sink, value, TEXT);
      if (n === 0) sink.pos = mark;
      else sink.put(PARAM_CLOSE[key]);
      written += n;
    }
    if (written === 0) sink.pos = outer;
    else sink.put(PARAMETERS_CLOSE);
  }

  /** Reserves room for the property, writes it up to its value and returns where it starts. */
  private head(name: PropertyName, params: Params | undefined, valueSize: number): number {
    const sink = this.sink;
    sink.reserve(128 + valueSize + paramsSize(params));
    const start = sink.pos;
    if (params) {
      sink.put(OPEN_NAME[name]);
      this.lastParams.write(sink, params, () => this.params(params));
      sink.put(OPEN_VALUE[name]);
    } else sink.put(OPEN[name]);
    return start;
  }

  property(name: PropertyName, value: string, params?: Params): void {
    const sink = this.sink;
    const start = this.head(name, params, value.length * MAX_BYTES_PER_UNIT);
    if (writeText(sink, value, PROPERTY_TYPES[name] === 'text' ? TEXT : VALUE) === 0) {
      sink.pos = start;
      return;
    }
    sink.put(CLOSE[name]);
  }

  texts(name: PropertyName, values: readonly string[]): void {
    const sink = this.sink;
    let size = 64;
    for (const v of values) size += v.length * MAX_BYTES_PER_UNIT + 13;
    sink.reserve(size);
    const start = sink.pos;
    sink.put(OPEN_NAME[name]);
    let written = 0;
    for (const v of values) {
      const mark = sink.pos;
      sink.put(TEXT_OPEN);
      const n = writeText(sink, v, TEXT);
      if (n === 0) sink.pos = mark;
      else sink.put(TEXT_CLOSE);
      written += n;
    }
    if (written === 0) sink.pos = start;
    else sink.ascii(`</${name}>\n`);
  }

  dateTime(name: PropertyName, ms: number, utc: boolean, params?: Params): void {
    this.head(name, params, 20);
    writeDateTime(this.sink, ms, false, utc);
    this.sink.put(CLOSE[name]);
  }


  utcOffset(name: PropertyName, seconds: number): void {
    this.markup(`<${name}><utc-offset>${formatUtcOffset(seconds, false)}</utc-offset></${name}>\n`);
  }

  recur(name: PropertyName, rule: Recur): void {
    // The schema's order: freq, …, byday, …, bymonth.
    this.markup(
      `<${name}><recur><freq>${rule.freq}</freq><byday>${rule.byday}</byday>` +
        `<bymonth>${rule.bymonth}</bymonth></recur></${name}>\n`,
    );
  }
}

export function serializeXcal(input: CalendarInput): AsyncGenerator<Uint8Array, void, undefined> {
  return streamCalendar(input, new XcalWriter());
}
