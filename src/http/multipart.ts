// A multipart/form-data body (RFC 7578) read whole into its parts: each part's field name, file name,
// media type and bytes. Uploads are bounded by the route's body limit, so reading them in memory is
// bounded too. What a part's headers claim is only a claim: callers check the bytes themselves.
import { MalformedError } from '../domain/errors.ts';

export interface MultipartPart {
  /** The form field's name (`file`, `files[]`), or null when the part names none. */
  name: string | null;
  /** The file name the sender gave, or null for a plain field. */
  filename: string | null;
  /** The media type the sender claims, or null. */
  contentType: string | null;
  content: Buffer;
}

/** A parameter of a Content-Disposition header: `name="x"`, `filename=x`, or RFC 5987's `filename*=UTF-8''x`. */
function parameter(disposition: string, key: string): string | null {
  const extended = new RegExp(`;\\s*${key}\\*\\s*=\\s*[^']*'[^']*'([^;\\s]+)`, 'i').exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!);
    } catch {
      // Not percent-encoding after all: fall back to the plain parameter.
    }
  }
  const plain = new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(disposition);
  if (!plain) return null;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]!;
}

/** The parts of a multipart/form-data body; MalformedError when the body names no boundary. */
export function multipartParts(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new MalformedError('The multipart body names no boundary');
  const delimiter = Buffer.from(`--${(boundary[1] ?? boundary[2])!.trim()}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      // The part's content ends before the CRLF that precedes the next delimiter.
      let content = part.subarray(split + 4);
      if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
      const headers = part.subarray(0, split).toString('utf8');
      const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
      parts.push({
        name: parameter(disposition, 'name'),
        filename: parameter(disposition, 'filename'),
        contentType: /^content-type:\s*(.*?)\s*$/im.exec(headers)?.[1] ?? null,
        content,
      });
    }
    at = next;
  }
  return parts;
}

/** The uploaded file of a multipart/form-data body: the first part with a file name, else the first part. */
export function multipartFile(body: Buffer, contentType: string): Buffer {
  const parts = multipartParts(body, contentType);
  const file = parts.find((part) => part.filename !== null) ?? parts[0];
  if (!file) throw new MalformedError('The multipart body holds no file');
  return file.content;
}
