// Text rules of the frab exports (Pentabarf XML and frab JSON): one place, so both files carry the same text.
// The XML escaping here is Pentabarf's only (xCal escapes through its own text.ts codecs). What every format
// shares (the HTML-to-text rule, the characters XML forbids) is in plain-text.ts.
const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;

/** Element content. CR is written as a reference because XML parsers turn a literal CR into LF. */
export function escapeXmlText(text: string): string {
  if (!TEXT_SPECIAL.test(text)) return text;
  return text.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]);
}

/** Attribute values (double-quoted). Tab/LF/CR as references, since parsers turn literal ones into spaces. */
export function escapeXmlAttr(text: string): string {
  if (!ATTR_SPECIAL.test(text)) return text;
  return text.replace(/[&<>"\t\n\r]/g, (c) => TEXT_ESCAPES[c]);
}

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Lowercase ASCII words joined by `sep` (accents folded, everything else a separator), at most `max` chars. */
export function slugify(text: string, sep: '_' | '-', max = 64): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}${sep}${word}` : word;
    if (next.length > max) break;
    slug = next;
  }
  return slug || (words[0] ?? '').slice(0, max);
}
