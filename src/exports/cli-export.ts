// `openevent export`: the same file a download gives, made (or found in the cache) straight from the
// database, written to a file or stdout. A terminal gets a progress bar on stderr.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrate.ts';
import { findEvent } from '../domain/access.ts';
import { withDefaults } from '../formats/format.ts';
import { FORMATS, formatById } from '../formats/registry.ts';
import { createStorage } from '../storage/index.ts';
import { exportFile } from './run.ts';
import { CommandError } from '../command-error.ts';

function progressBar(total: number): ((done: number) => void) | undefined {
  if (!process.stderr.isTTY || total === 0) return undefined;
  return (done) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
  };
}

export async function exportToFile(config: Config, request: { event: string; format: string; output: string | null }) {
  const format = formatById(request.format);
  if (!format) throw new CommandError(`unknown format "${request.format}"; choose from ${FORMATS.map((f) => f.id).join(', ')}`);
  const connection = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(connection);
    const event = await findEvent(connection.db, request.event);
    if (!event || event.deletedAt) throw new CommandError(`no event "${request.event}"`);
    const storage = createStorage(config, connection);
    // What a request without a body gets: every status for the lists.
    const options = withDefaults(format, {});
    const report = progressBar(await format.total(connection.db, event, options));
    const { file } = await exportFile({ db: connection.db, storage, publicUrl: config.publicUrl }, event.id, format.id, options, report);
    if (report) process.stderr.write('\n');
    const opened = await storage.open(file.storageKey);
    if (!opened) throw new CommandError('the export file vanished while being read; run the command again');
    await pipeline(opened.stream, request.output ? createWriteStream(request.output) : process.stdout);
    if (request.output) console.error(`wrote ${file.fileName} (${opened.size} bytes) to ${request.output}`);
  } finally {
    await connection.close();
  }
}
