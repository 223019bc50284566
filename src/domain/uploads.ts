// Images people upload for their events (logos, sponsor logos, speaker photos), as OES's web client sends
// them: a `data:` URL with base64 bytes. Only raster images whose bytes are what their media type says are
// kept: an SVG or an HTML page labelled as an image, served from our origin, would be a script in our
// users' browsers. Each person may upload a bounded amount a day, so nobody fills the disk.
import { randomUUID } from 'node:crypto';
import { and, count, eq, gt, sum } from 'drizzle-orm';
import type { Database } from '../db/connection.ts';
import { uploads } from '../db/schema/index.ts';
import type { FileStorage, OpenedFile } from '../storage/index.ts';
import { InvalidError, NotFoundError, TooManyError } from './errors.ts';

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
/** Media types by the extensions of stored keys, for serving them back. */
const BY_EXTENSION = new Map(Object.entries(IMAGE_TYPES).map(([mediaType, { extension }]) => [extension, mediaType]));

/** Per image: a photo from a phone camera, scaled by the client, fits well within. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
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

/** Stores an image for a person, within their daily allowance; returns the storage key it is served under. */
export async function storeImage(db: Database, storage: FileStorage, userId: number, data: unknown): Promise<string> {
  const image = readImageDataUrl(data);
  const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const [today] = await db
    .select({ uploads: count(), bytes: sum(uploads.size).mapWith(Number) })
    .from(uploads)
    .where(and(eq(uploads.userId, userId), gt(uploads.createdAt, dayAgo)));
  if ((today?.uploads ?? 0) >= DAILY_UPLOADS || (today?.bytes ?? 0) + image.bytes.length > DAILY_UPLOAD_BYTES) {
    throw new TooManyError('You have uploaded as much as one person may in a day; try again tomorrow', 60 * 60);
  }
  const key = `upload-${randomUUID()}.${image.extension}`;
  await storage.write(key, [image.bytes]);
  await db.insert(uploads).values({ storageKey: key, userId, mediaType: image.mediaType, size: image.bytes.length });
  return key;
}

/** An uploaded image and its media type, to serve; 404 for any key that is not one. */
export async function openImage(storage: FileStorage, key: string): Promise<{ file: OpenedFile; mediaType: string }> {
  const extension = /^upload-[0-9a-f-]{36}\.([a-z]+)$/.exec(key)?.[1];
  const mediaType = extension === undefined ? undefined : BY_EXTENSION.get(extension);
  const file = mediaType ? await storage.open(key) : null;
  if (!file || !mediaType) throw new NotFoundError('No such image');
  return { file, mediaType };
}
