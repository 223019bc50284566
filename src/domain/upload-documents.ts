// The documents people upload for their events and sessions (slides, handouts, event documents), as OES's
// web client sends them to `POST /v1/upload/files`. Only an allow-list of document types is kept, each
// named by its file extension and checked by its bytes: a file is what its name says or it is refused, so
// nothing served back from our origin is an HTML page or a script in disguise.
import { InvalidError } from './errors.ts';

/** A document type we keep: its media type, whether browsers should download rather than show it, and the check on its bytes. */
interface DocumentType {
  mediaType: string;
  /** Office files are downloaded; PDFs, text and video are shown by the browser itself. */
  download: boolean;
  isThis: (bytes: Buffer) => boolean;
}

const startsWith = (bytes: Buffer, signature: number[] | string) =>
  bytes.subarray(0, signature.length).equals(typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature));

/** OLE2 compound files: the old Office formats (.ppt, .doc). */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** An OpenDocument file: a zip whose first entry is the stored (uncompressed) `mimetype` file naming its type. */
const isOpenDocument = (mediaType: string) => (bytes: Buffer) => {
  if (bytes.length < 30 || !startsWith(bytes, ZIP) || bytes.readUInt16LE(8) !== 0) return false;
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  const content = 30 + nameLength + extraLength;
  return bytes.subarray(30, 30 + nameLength).toString('latin1') === 'mimetype' && bytes.subarray(content, content + mediaType.length).toString('latin1') === mediaType;
};

/** An Office Open XML file: a zip with its content types and the folder of its kind (`ppt/`, `word/`). */
const isOfficeOpenXml = (folder: string) => (bytes: Buffer) =>
  startsWith(bytes, ZIP) && bytes.includes('[Content_Types].xml', 0, 'latin1') && bytes.includes(folder, 0, 'latin1');

/** Text: UTF-8 without NUL bytes (binary data is not text, whatever its name says). */
function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The documents we keep, by file extension. */
export const DOCUMENT_TYPES: Record<string, DocumentType> = {
  pdf: { mediaType: 'application/pdf', download: false, isThis: (b) => startsWith(b, '%PDF-') },
  ppt: { mediaType: 'application/vnd.ms-powerpoint', download: true, isThis: (b) => startsWith(b, OLE2) },
  pptx: { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', download: true, isThis: isOfficeOpenXml('ppt/') },
  odp: { mediaType: 'application/vnd.oasis.opendocument.presentation', download: true, isThis: isOpenDocument('application/vnd.oasis.opendocument.presentation') },
  doc: { mediaType: 'application/msword', download: true, isThis: (b) => startsWith(b, OLE2) },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', download: true, isThis: isOfficeOpenXml('word/') },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', download: true, isThis: isOpenDocument('application/vnd.oasis.opendocument.text') },
  txt: { mediaType: 'text/plain; charset=utf-8', download: false, isThis: isText },
  // OES's API Blueprint uploads a CSV as its example.
  csv: { mediaType: 'text/csv; charset=utf-8', download: true, isThis: isText },
  // OES's client offers video (a recorded talk) beside slides.
  mp4: { mediaType: 'video/mp4', download: false, isThis: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
};

const NAMES = Object.keys(DOCUMENT_TYPES).join(', ');

/** One uploaded document, checked: what it is and its bytes. */
export interface CheckedDocument {
  extension: string;
  mediaType: string;
  bytes: Buffer;
}

/**
 * A file sent as `filename` with these bytes, if it is a document we keep; otherwise the reason, at
 * `pointer` (422). The type comes from the name's extension and must be what the bytes are.
 */
export function checkDocument(filename: string | null, bytes: Buffer, pointer: string): CheckedDocument {
  const field = { pointer };
  const extension = /\.([a-z0-9]{1,8})$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (!extension) throw new InvalidError(`Give the file its name with its extension (${NAMES})`, field);
  const type = Object.hasOwn(DOCUMENT_TYPES, extension) ? DOCUMENT_TYPES[extension]! : undefined;
  if (!type) throw new InvalidError(`Documents must be one of ${NAMES}; .${extension} is not accepted`, field);
  if (bytes.length === 0) throw new InvalidError('The file is empty', field);
  if (!type.isThis(bytes)) throw new InvalidError(`The file is not a .${extension} document: its bytes are something else`, field);
  return { extension, mediaType: type.mediaType, bytes };
}
