// Reading a zip archive that someone uploaded, in memory and with bounds, so that a hostile archive is refused
// before it costs anything: at most so many entries, each entry and all of them together at most so many bytes
// once inflated, no entry that inflates far beyond its compressed size (a zip bomb), no name that climbs out
// of the archive (`../`, absolute paths, drive letters). Nothing is ever written to disk: the entries asked
// for are read into memory, the others are only listed. yauzl checks each entry's inflated size against the
// size the archive states, so the stated sizes checked here are the sizes read.
import yauzl from 'yauzl';
import { ImportError } from './model.ts';

export const ZIP_LIMITS = {
  /** Entries of one archive (files and folders). */
  maxEntries: 2_000,
  /** Inflated bytes of one entry that is read. */
  maxEntryBytes: 20 * 1024 * 1024,
  /** Inflated bytes of all entries that are read. */
  maxTotalBytes: 50 * 1024 * 1024,
  /** Inflated size over compressed size an entry of more than `ratioFloorBytes` may have. */
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export interface ZipEntryInfo {
  name: string;
  size: number;
  directory: boolean;
}

export interface ReadZip {
  /** Every entry's name, size and kind, in the archive's order. */
  entries: ZipEntryInfo[];
  /** The bytes of the entries `wanted` chose. */
  files: Map<string, Buffer>;
}

const SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_SIGNATURE = [0x50, 0x4b, 0x05, 0x06];

export function looksLikeZip(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b) || EMPTY_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Why an entry name is refused, or null: names must stay inside the archive. */
export function unsafeEntryName(name: string): string | null {
  if (name === '' || name.includes('\u0000')) return 'an empty or binary name';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'an absolute path';
  if (name.split('/').includes('..')) return 'a path that climbs out of the archive (..)';
  return null;
}

function open(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true }, (error, zip) =>
      error ? reject(new ImportError(`The file is not a readable zip archive: ${error.message}`)) : resolve(zip!),
    );
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(new ImportError(`The zip archive's entry "${name}" cannot be read: ${error.message}`));
      const chunks: Buffer[] = [];
      let size = 0;
      stream!.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // yauzl stops an entry that inflates past its stated size; this is a second fence.
        if (size > entry.uncompressedSize) stream!.destroy(new Error('it inflates beyond its stated size'));
        else chunks.push(chunk);
      });
      stream!.on('error', (e: Error) => reject(new ImportError(`The zip archive's entry "${name}" is damaged: ${e.message}`)));
      stream!.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/**
 * Reads the archive: lists every entry (refusing the archive on an unsafe name or too many entries) and reads
 * the entries `wanted` says yes to, within the bounds. Any refusal is an ImportError naming the entry.
 */
export async function readZip(input: Uint8Array, wanted: (name: string) => boolean, limits = ZIP_LIMITS): Promise<ReadZip> {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (!looksLikeZip(bytes)) throw new ImportError('The file is not a zip archive');
  const zip = await open(bytes);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ImportError(`The zip archive holds ${zip.entryCount} entries, more than the ${limits.maxEntries} an import reads`);
  }
  const entries: ZipEntryInfo[] = [];
  const files = new Map<string, Buffer>();
  let total = 0;
  return new Promise<ReadZip>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      zip.close();
      reject(error instanceof ImportError ? error : new ImportError(`The zip archive is damaged: ${error instanceof Error ? error.message : String(error)}`));
    };
    zip.on('error', fail);
    zip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ entries, files });
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const raw = entry.fileName as unknown as Buffer;
        const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
        const unsafe = unsafeEntryName(name);
        if (unsafe) throw new ImportError(`The zip archive's entry "${name}" has ${unsafe}; the archive is refused`);
        const directory = name.endsWith('/');
        entries.push({ name, size: entry.uncompressedSize, directory });
        if (!directory && wanted(name)) {
          if (entry.isEncrypted()) throw new ImportError(`The zip archive's entry "${name}" is encrypted`);
          if (files.has(name)) throw new ImportError(`The zip archive holds "${name}" twice`);
          if (entry.uncompressedSize > limits.maxEntryBytes) {
            throw new ImportError(`The zip archive's entry "${name}" inflates to ${entry.uncompressedSize} bytes, more than the ${limits.maxEntryBytes} an import reads`);
          }
          const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
          if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio) {
            throw new ImportError(`The zip archive's entry "${name}" inflates ${Math.round(ratio)} times its size (a zip bomb?); the archive is refused`);
          }
          total += entry.uncompressedSize;
          if (total > limits.maxTotalBytes) {
            throw new ImportError(`The zip archive's entries inflate to more than the ${limits.maxTotalBytes} bytes an import reads`);
          }
          files.set(name, await readEntry(zip, entry, name));
        }
        zip.readEntry();
      })().catch(fail);
    });
    zip.readEntry();
  });
}
