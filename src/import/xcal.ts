// xCal (RFC 6321, iCalendar as XML) into the import model: the XML is read by the bounded reader (xml.ts) and
// rewritten element by element into jCal (RFC 7265 maps the same model to JSON), which ical.js then reads like
// any other calendar.
import { calendarComponent, calendarSchedule } from './calendar.ts';
import { ImportError, decodeText, type ImportedSchedule, type ParseOptions } from './model.ts';
import { child, parseXml, type XmlElement } from './xml.ts';

type JCalProperty = [string, Record<string, string | string[]>, string, ...unknown[]];
type JCalComponent = [string, JCalProperty[], JCalComponent[]];

const RECUR_LISTS = new Set(['bysecond', 'byminute', 'byhour', 'byday', 'bymonthday', 'byyearday', 'byweekno', 'bymonth', 'bysetpos']);

function value(type: string, element: XmlElement): unknown {
  switch (type) {
    case 'integer':
      return Number(element.text.trim());
    case 'float':
      return Number(element.text.trim());
    case 'boolean':
      return element.text.trim() === 'true';
    case 'recur': {
      const recur: Record<string, unknown> = {};
      for (const part of element.children) {
        const text = part.text.trim();
        const v = part.name === 'count' || part.name === 'interval' ? Number(text) : text;
        if (RECUR_LISTS.has(part.name)) recur[part.name] = [...((recur[part.name] as unknown[]) ?? []), v];
        else recur[part.name] = v;
      }
      return recur;
    }
    case 'period': {
      const start = child(element, 'start')?.text.trim() ?? '';
      const end = child(element, 'end')?.text.trim() ?? child(element, 'duration')?.text.trim() ?? '';
      return [start, end];
    }
    default:
      return element.text;
  }
}

function property(element: XmlElement): JCalProperty {
  const params: Record<string, string | string[]> = {};
  const values: XmlElement[] = [];
  for (const c of element.children) {
    if (c.name === 'parameters') {
      for (const p of c.children) {
        const texts = p.children.map((v) => v.text);
        params[p.name] = texts.length === 1 ? texts[0]! : texts;
      }
    } else values.push(c);
  }
  if (element.name === 'geo') {
    const lat = child(element, 'latitude');
    const lon = child(element, 'longitude');
    return [element.name, params, 'float', [Number(lat?.text ?? 0), Number(lon?.text ?? 0)]];
  }
  if (values.length === 0) return [element.name, params, 'unknown', element.text];
  const type = values[0]!.name;
  return [element.name, params, type, ...values.map((v) => value(type, v))];
}

function component(element: XmlElement): JCalComponent {
  const props = child(element, 'properties');
  const comps = child(element, 'components');
  return [element.name, (props?.children ?? []).map(property), (comps?.children ?? []).map(component)];
}

export function parseXCal(input: Uint8Array | string, options: ParseOptions): ImportedSchedule {
  const root = parseXml(decodeText(input));
  if (root.name !== 'icalendar') {
    throw new ImportError(`Not xCal: the root element is <${root.name}>, not <icalendar>`, `line ${root.line}`);
  }
  const vcalendar = root.children.find((c) => c.name === 'vcalendar');
  if (!vcalendar) throw new ImportError('Not xCal: <icalendar> holds no <vcalendar>', `line ${root.line}`);
  return calendarSchedule(calendarComponent(component(vcalendar), 'xcal'), 'xcal', options);
}
