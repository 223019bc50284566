// Text every format shares: abstracts and descriptions turned from the organizers' HTML into plain text, and the
// characters no XML document may hold dropped. iCalendar (text.ts), CSV (csv.ts) and the frab exports
// (frab-text.ts, frab-schedule.ts) all read it, so an abstract reads the same in every format. text.ts's
// `calendarText` differs on purpose: iCalendar cannot carry a CR or DEL, while XML can (a CR as a reference), so
// frab titles keep them.
import { decodeHTML, decodeHTMLStrict } from 'entities';

// Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). With the `u` flag a lone
// surrogate is one code point outside every allowed range, while a valid pair is one astral code point inside.
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// A cheaper first look, without the `u` flag: any surrogate (valid pairs too) sends the text to the exact pass.
const MAYBE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Drops what no XML 1.0 document may hold; applied to every text of the frab exports, JSON included. */
export function dropXmlForbidden(text: string): string {
  return MAYBE_FORBIDDEN.test(text) ? text.replace(XML_FORBIDDEN, '') : text;
}

const LOOKS_LIKE_HTML = /<\/?[a-z][a-z0-9]*(?:\s[^>]*)?\/?>/i;
const HAS_ENTITY = /&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;
const BLOCK_TAGS = 'p|div|ul|ol|h[1-6]|table|blockquote|pre|hr|section|article|header|footer|figure|dl';

/**
 * Abstracts and descriptions as plain text. Organizers type them as HTML (the OES editors), Markdown, or plain text
 * with line breaks, often mixed: tags are removed and entities decoded, block tags (`<p>`, `<li>`, `<br>`…) become
 * line breaks and list items `- ` lines, and line breaks typed in the text are kept (whitespace next to a block tag
 * is dropped, as a browser would). Apps that read frab files show these fields as text (some render Markdown, which
 * plain text reads fine in); tags would show as such. CRLF becomes LF.
 */
export function htmlToPlainText(input: string): string {
  let text = dropXmlForbidden(input);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (LOOKS_LIKE_HTML.test(text)) {
    text = text
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
      // Whitespace around block-level tags is layout of the markup, not of the text.
      .replace(new RegExp(`\\s*(<\\/?(?:${BLOCK_TAGS}|li|br|tr|dt|dd)\\b[^>]*>)\\s*`, 'gi'), '$1')
      .replace(/<br\b[^>]*>/gi, '\n')
      .replace(/<li\b[^>]*>/gi, '\n- ')
      .replace(/<(?:tr|dt|dd)\b[^>]*>/gi, '\n')
      .replace(new RegExp(`<\\/?(?:${BLOCK_TAGS})\\b[^>]*>`, 'gi'), '\n\n')
      .replace(/<\/?[a-z][a-z0-9]*(?:\s[^>]*)?\/?>/gi, '');
    text = decodeHTML(text)
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  } else if (HAS_ENTITY.test(text)) {
    text = decodeHTMLStrict(text);
  }
  // Numeric references may decode to forbidden characters (`&#0;`), so check once more.
  return dropXmlForbidden(text);
}
