// Text as every calendar format carries it. One rule for all of them, so the three read back the same:
// - dropped: what XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE, U+FFFF, lone surrogates), and DEL, which
//   iCalendar's TEXT grammar forbids (a CTL);
// - CRLF and a lone CR become LF (iCalendar cannot write a CR, XML parsers turn one into LF).
// Serializers apply it as they write UTF-8 (`writeText`), together with their format's escaping; `calendarText` is
// the same rule on strings.
import { htmlToPlainText } from './plain-text.ts';
import type { ByteSink } from './sink.ts';

const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// A superset of FORBIDDEN plus CR, cheap to test: any surrogate (paired ones too) takes the slow path.
const MAYBE_UNCLEAN = /[\u0000-\u0008\u000B-\u001F\u007F\uFFFE\uFFFF\uD800-\uDFFF]/;

/** The rule above, on a string. */
export function calendarText(text: string): string {
  if (!MAYBE_UNCLEAN.test(text)) return text;
  const lf = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  return lf.replace(FORBIDDEN, '');
}

// Anything that could be a tag or an entity (a superset of what htmlToPlainText acts on).
const MAYBE_MARKUP = /<|&[#a-zA-Z]/;

/**
 * An abstract or description, which organizers may type as HTML, as plain text: tags stripped, entities decoded
 * (the rule of the frab exports too, so an abstract reads the same in every format). Writers apply the text rule
 * when they write it.
 */
export function plainText(html: string): string {
  return MAYBE_MARKUP.test(html) ? htmlToPlainText(html) : html;
}

/** How a format writes each character inside a value: as is, dropped, or replaced by an escape. */
export interface TextCodec {
  /** Per ASCII code: 0 copy, 1 drop, 2 write `escapes[code]`. */
  readonly action: Uint8Array;
  readonly escapes: readonly (Uint8Array | undefined)[];
  /** The escapes as string replacements, in the order they must be applied (the escape character's own first). */
  readonly replacements: readonly (readonly [string, string])[];
  /** Matches what the text rule acts on (CR, a character to drop, any surrogate): rare in real text. */
  readonly unclean: RegExp;
  /** For `String.replace` with `replacer`: CRLF, a surrogate pair and a lone surrogate are one match each. */
  readonly pattern: RegExp;
  readonly replacer: (match: string) => string;
}

/** An escape never takes more than this many bytes per UTF-16 unit (`&amp;`); non-ASCII takes at most 3. */
export const MAX_BYTES_PER_UNIT = 5;

const TAB = 9;
const LF = 10;
const CR = 13;
const DROPPED_CLASS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\uFFFE\\uFFFF';

function classOf(chars: string[]): string {
  return chars.map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
}

/**
 * A codec that applies the rule above and the given escapes (one ASCII character each, listed in the order they
 * must be applied as string replacements: the escape character's own first). `dropLineBreaks` for values that
 * may hold none (URIs).
 */
export function textCodec(
  escapes: Readonly<Record<string, string>>,
  options: { dropLineBreaks?: boolean } = {},
): TextCodec {
  const action = new Uint8Array(128);
  for (let c = 0; c < 0x20; c++) if (c !== TAB && c !== LF) action[c] = 1;
  action[0x7f] = 1;
  const dropped = options.dropLineBreaks ? ['\t', '\n'] : [];
  for (const ch of dropped) action[ch.charCodeAt(0)] = 1;
  const table: (Uint8Array | undefined)[] = [];
  const replacements = new Map<string, string>(dropped.map((ch) => [ch, '']));
  for (const [ch, escape] of Object.entries(escapes)) {
    // `replaceAll` would read `$&`, `$'`… in a replacement string.
    if (escape.includes('$')) throw new Error(`escape of ${ch} holds a $`);
    const code = ch.charCodeAt(0);
    action[code] = 2;
    table[code] = Uint8Array.from(escape, (e) => e.charCodeAt(0));
    replacements.set(ch, escape);
  }
  const lineBreak = replacements.get('\n') ?? '\n';
  return {
    action,
    escapes: table,
    replacements: [...replacements],
    unclean: new RegExp(`[${classOf(dropped)}${DROPPED_CLASS}\\r\\uD800-\\uDFFF]`),
    pattern: new RegExp(
      `\\r\\n?|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[${classOf([...replacements.keys()])}${DROPPED_CLASS}\\uD800-\\uDFFF]`,
      'g',
    ),
    // Matched: CR or CRLF (a line break), a pair (kept), or one character to escape or drop.
    replacer: (m) => (m.charCodeAt(0) === CR ? lineBreak : m.length === 2 ? m : (replacements.get(m) ?? '')),
  };
}

// Below this length a JavaScript loop beats a regex test plus a native write; above it, the native calls win by
// far (they run at memory speed, the loop at a few nanoseconds per character).
const SHORT = 24;

/**
 * Writes `s` as UTF-8 through `codec`; the caller reserved `s.length * MAX_BYTES_PER_UNIT` bytes. Returns the
 * number of bytes written: 0 means nothing was left to write, and the property is left out.
 */
export function writeText(sink: ByteSink, s: string, codec: TextCodec): number {
  if (s.length > SHORT) {
    let text = s;
    if (codec.unclean.test(s)) {
      // Rare: one pass that applies the text rule and escapes together.
      text = s.replace(codec.pattern, codec.replacer);
    } else {
      // Usual: nothing to drop, and a few characters to escape at most. Plain string search and replacement run
      // at memory speed, a regex with a callback does not.
      for (const [ch, escape] of codec.replacements) if (text.includes(ch)) text = text.replaceAll(ch, escape);
    }
    const written = sink.buf.write(text, sink.pos);
    sink.pos += written;
    return written;
  }
  const { action, escapes } = codec;
  const buf = sink.buf;
  const start = sink.pos;
  let pos = start;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === CR) {
        if (i + 1 < n && s.charCodeAt(i + 1) === LF) continue;
        c = LF;
      }
      const a = action[c];
      if (a === 0) buf[pos++] = c;
      else if (a === 2) {
        const e = escapes[c] as Uint8Array;
        for (let k = 0; k < e.length; k++) buf[pos++] = e[k];
      }
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A pair becomes one 4-byte sequence; a lone half is dropped.
      if (c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          buf[pos++] = 0xf0 | (cp >> 18);
          buf[pos++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[pos++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[pos++] = 0x80 | (cp & 0x3f);
          i++;
        }
      }
    } else if (c < 0xfffe) {
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  sink.pos = pos;
  return pos - start;
}

const LINE_OCTETS = 75;
const cuts: number[] = [];

/** Room a content line of at most `bytes` bytes needs with its folds and CRLF. */
export function foldedSize(bytes: number): number {
  return bytes + Math.ceil(bytes / (LINE_OCTETS - 1)) * 3 + 2;
}

/**
 * Folds the iCalendar content line written from `start` to the sink's position, in place, so no line exceeds 75
 * octets (RFC 5545 §3.1), then ends it with CRLF. A fold never falls inside a UTF-8 sequence: a cut that would land
 * on a continuation byte moves back to the start of its character. Room for `foldedSize` must be reserved.
 */
export function endContentLine(sink: ByteSink, start: number): void {
  const buf = sink.buf;
  let end = sink.pos;
  if (end - start > LINE_OCTETS) {
    // Find the cuts first, then move each segment once, from the last: linear however long the line.
    cuts.length = 0;
    let cut = start + LINE_OCTETS;
    while (cut < end) {
      while ((buf[cut] & 0xc0) === 0x80) cut--;
      cuts.push(cut);
      // A continuation line starts with a space, which counts: 74 octets of content.
      cut += LINE_OCTETS - 1;
    }
    let shift = cuts.length * 3;
    let segmentEnd = end;
    for (let k = cuts.length - 1; k >= 0; k--) {
      const c = cuts[k];
      buf.copyWithin(c + shift, c, segmentEnd);
      shift -= 3;
      buf[c + shift] = CR;
      buf[c + shift + 1] = LF;
      buf[c + shift + 2] = 0x20;
      segmentEnd = c;
    }
    end += cuts.length * 3;
  }
  buf[end++] = CR;
  buf[end++] = LF;
  sink.pos = end;
}
