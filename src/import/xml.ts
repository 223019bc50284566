// A small element tree read with saxes, a strict, pure-JavaScript XML parser: it never fetches anything, so
// external entities cannot reach a file or the network, and it knows only XML's five entities, so entity
// expansion ("billion laughs") cannot happen; a file with a DTD is refused outright, before any of it is read.
// Depth and element count are bounded. Names are kept without their namespace prefix (xCal files may use
// one; frab files have no namespace).
import { SaxesParser, type SaxesTag } from 'saxes';
import { IMPORT_LIMITS, ImportError } from './model.ts';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), children's text left out. */
  text: string;
  line: number;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '', line: 0 };
  const stack: XmlElement[] = [root];
  let elements = 0;
  parser.on('doctype', () => {
    throw new ImportError('The file declares a DTD (<!DOCTYPE …>); schedules have none, and DTDs are not read', `line ${parser.line}`);
  });
  parser.on('opentag', (tag: SaxesTag) => {
    if (stack.length > IMPORT_LIMITS.maxXmlDepth) {
      throw new ImportError(`The XML nests deeper than ${IMPORT_LIMITS.maxXmlDepth} elements`, `line ${parser.line}`);
    }
    if (++elements > IMPORT_LIMITS.maxXmlElements) {
      throw new ImportError(`The XML has more than ${IMPORT_LIMITS.maxXmlElements} elements`, `line ${parser.line}`);
    }
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes as Record<string, string>)) attributes[localName(name)] = value;
    const element: XmlElement = { name: localName(tag.name), attributes, children: [], text: '', line: parser.line };
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (t: string) => {
    const top = stack[stack.length - 1]!;
    if (top !== root) top.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('error', (error) => {
    throw new ImportError(`The file is not well-formed XML: ${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`, `line ${parser.line}`);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`The file is not well-formed XML: ${(error as Error).message}`, `line ${parser.line}`);
  }
  const [top] = root.children;
  if (!top) throw new ImportError('The file has no XML element');
  return top;
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The text of the named child, or undefined when there is no such child. */
export function childText(element: XmlElement, name: string): string | undefined {
  return child(element, name)?.text;
}
