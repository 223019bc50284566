// Images people upload for their events (logos, sponsor logos, speaker photos), as OES's web client sends
// them: a `data:` URL with base64 bytes. Only raster images whose bytes are what their media type says are
// kept: an SVG or an HTML page labelled as an image, served from our origin, would be a script in our
// users' browsers. And documents (slides, event documents) sent as multipart files, of the types
// upload-documents.ts allows, up to the `slide-size` setting. Each person may upload a bounded amount a
// day, images and documents together, so nobody fills the disk.
import { randomUUID } from 'node:crypto';
import { and, count, eq, gt, sum } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { uploads } from '../db/schema/index.ts';
import type { FileStorage, OpenedFile } from '../storage/index.ts';
import { InvalidError, NotFoundError, TooLargeError, TooManyError } from './errors.ts';
import { slideSizeBytes } from './settings.ts';
import { DOCUMENT_TYPES, checkDocument, type CheckedDocument } from './upload-documents.ts';

/** The images we keep, by media type: their file extension and the bytes every such file starts with. */
const IMAGE_TYPES: Record<string, { extension: string; isThis: (bytes: Buffer) => boolean }> = {
  'image/png': { extension: 'png', isThis: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/jpeg': { extension: 'jpg', isThis: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/gif': { extension: 'gif', isThis: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  'image/webp': {
    extension: 'webp',
    isThis: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
};
/** What is served back for the extension of a stored key: its media type, and whether the browser should download it. */
const BY_EXTENSION = new Map<string, { mediaType: string; download: boolean }>([
  ...Object.entries(IMAGE_TYPES).map(([mediaType, { extension }]) => [extension, { mediaType, download: false }] as const),
  ...Object.entries(DOCUMENT_TYPES).map(([extension, { mediaType, download }]) => [extension, { mediaType, download }] as const),
]);

/** Per image: a photo from a phone camera, scaled by the client, fits well within. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Per document, whatever the `slide-size` setting says: the request is read in memory. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
/** Per person and rolling day. */
export const DAILY_UPLOADS = 100;
export const DAILY_UPLOAD_BYTES = 100 * 1024 * 1024;

/** The body is OES's plain `{"data": …}`, so problems point at /data. */
const field = { pointer: '/data' };

/** The bytes and type of an image sent as `data:image/png;base64,…`, or the reason it is not one we keep. */
export function readImageDataUrl(data: unknown): { mediaType: string; extension: string; bytes: Buffer } {
  if (typeof data !== 'string') throw new InvalidError('data must be an image as a data: URL (data:image/png;base64,…)', field);
  const header = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)(?:;[a-z0-9-]+=[^;,]*)*;base64,/i.exec(data);
  if (!header) throw new InvalidError('data must be an image as a base64 data: URL (data:image/png;base64,…)', field);
  const mediaType = header[1]!.toLowerCase();
  const type = IMAGE_TYPES[mediaType];
  if (!type) {
    throw new InvalidError(`Images must be PNG, JPEG, GIF or WebP; ${mediaType} is not accepted`, field);
  }
  const base64 = data.slice(header[0].length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new InvalidError('The image is not valid base64', field);
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new InvalidError('The image is empty', field);
  if (bytes.length > MAX_IMAGE_BYTES) throw new InvalidError(`Images may be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`, field);
  if (!type.isThis(bytes)) throw new InvalidError(`The bytes are not a ${mediaType} image`, field);
  return { mediaType, extension: type.extension, bytes };
}

/** Refuses `files` (their sizes) beyond what the person may still upload today (429). */
async function checkAllowance(db: Database, userId: number, sizes: number[]): Promise<void> {
  const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const [today] = await db
    .select({ uploads: count(), bytes: sum(uploads.size).mapWith(Number) })
    .from(uploads)
    .where(and(eq(uploads.userId, userId), gt(uploads.createdAt, dayAgo)));
  const bytes = sizes.reduce((total, size) => total + size, 0);
  if ((today?.uploads ?? 0) + sizes.length > DAILY_UPLOADS || (today?.bytes ?? 0) + bytes > DAILY_UPLOAD_BYTES) {
    throw new TooManyError('You have uploaded as much as one person may in a day; try again tomorrow', 60 * 60);
  }
}

/** Writes one checked file under a new key and records it against the person's allowance; returns the key. */
async function keep(db: Database, storage: FileStorage, userId: number, file: { mediaType: string; extension: string; bytes: Buffer }): Promise<string> {
  const key = `upload-${randomUUID()}.${file.extension}`;
  // The storage writes atomically: a reader sees the whole file or none.
  await storage.write(key, [file.bytes]);
  await db.insert(uploads).values({ storageKey: key, userId, mediaType: file.mediaType, size: file.bytes.length });
  return key;
}

/** Stores an image for a person, within their daily allowance; returns the storage key it is served under. */
export async function storeImage(db: Database, storage: FileStorage, userId: number, data: unknown): Promise<string> {
  const image = readImageDataUrl(data);
  await checkAllowance(db, userId, [image.bytes.length]);
  return keep(db, storage, userId, image);
}

/** A file as a multipart body carries it: the file name the sender gave and the bytes. */
export interface SentFile {
  filename: string | null;
  bytes: Buffer;
  /** Where it is in the request, for errors: `/file`, `/files[]/1`. */
  pointer: string;
}

/**
 * Stores documents for a person: every one is checked (type, bytes, size within the `slide-size` setting)
 * and the day's allowance for all of them, before any is written. Returns their storage keys, in order.
 */
export async function storeDocuments(db: Database, storage: FileStorage, userId: number, files: SentFile[]): Promise<string[]> {
  const limit = Math.min(await slideSizeBytes(db), MAX_DOCUMENT_BYTES);
  const checked: CheckedDocument[] = files.map((file) => {
    if (file.bytes.length > limit) {
      throw new TooLargeError(`Documents may be at most ${Math.floor(limit / 1024)} KB; this one is ${Math.ceil(file.bytes.length / 1024)} KB`, { pointer: file.pointer });
    }
    return checkDocument(file.filename, file.bytes, file.pointer);
  });
  await checkAllowance(db, userId, checked.map((document) => document.bytes.length));
  const keys: string[] = [];
  for (const document of checked) keys.push(await keep(db, storage, userId, document));
  return keys;
}

/** An uploaded image or document, its media type and whether to download it, to serve; 404 for any key that is not one. */
export async function openUpload(storage: FileStorage, key: string): Promise<{ file: OpenedFile; mediaType: string; download: boolean }> {
  const extension = /^upload-[0-9a-f-]{36}\.([a-z0-9]+)$/.exec(key)?.[1];
  const served = extension === undefined ? undefined : BY_EXTENSION.get(extension);
  const file = served ? await storage.open(key) : null;
  if (!file || !served) throw new NotFoundError('No such upload');
  return { file, ...served };
}
