// `openevent import`: a schedule file brought into an event straight from the command line, with what the
// import did printed as a summary. A terminal gets a progress bar on stderr.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrate.ts';
import { findEvent } from '../domain/access.ts';
import type { ImportSummary } from '../domain/schedule-import.ts';
import { IMPORT_LIMITS, ImportError } from '../import/model.ts';
import { IMPORT_FORMATS, guessImportFormat, importFormatById } from '../import/registry.ts';
import { CommandError } from '../command-error.ts';
import { importIntoEvent } from './run.ts';

function progressBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    if (total === 0) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
  };
}

/** The summary as lines for a person. */
export function describeSummary(summary: ImportSummary): string {
  const line = (what: string, c: { created: number; updated: number; unchanged: number; withdrawn?: number }) =>
    `${what.padEnd(10)}${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged${c.withdrawn !== undefined ? `, ${c.withdrawn} withdrawn` : ''}`;
  const lines = [
    summary.dryRun ? 'dry run: nothing was written; an import would do this:' : 'imported:',
    line('sessions', summary.sessions),
    line('speakers', summary.speakers),
    line('tracks', summary.tracks),
    line('rooms', summary.rooms),
    line('types', summary.types),
  ];
  // OES's whole-event zip brings the rest of the event too (domain/event-archive-import.ts).
  const more = summary as Partial<Record<'sponsors' | 'socialLinks' | 'forms' | 'tickets', Parameters<typeof line>[1]>>;
  for (const [what, key] of [['sponsors', 'sponsors'], ['links', 'socialLinks'], ['forms', 'forms'], ['tickets', 'tickets']] as const) {
    if (more[key]) lines.push(line(what, more[key]));
  }
  if (summary.skipped.length) {
    lines.push(`skipped ${summary.skipped.length}:`);
    for (const s of summary.skipped.slice(0, 50)) lines.push(`  ${s.where}: ${s.reason}`);
    if (summary.skipped.length > 50) lines.push(`  … and ${summary.skipped.length - 50} more`);
  }
  return lines.join('\n');
}

export async function importFromFile(config: Config, request: { event: string; file: string; format: string | null; dryRun: boolean }): Promise<ImportSummary> {
  const size = await stat(request.file).then((s) => s.size, () => {
    throw new CommandError(`cannot read ${request.file}`);
  });
  if (size > IMPORT_LIMITS.maxBytes) throw new CommandError(`${request.file} is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB, the most one import reads`);
  const bytes = await readFile(request.file);
  const format = request.format
    ? importFormatById(request.format)
    : guessImportFormat(basename(request.file), bytes.subarray(0, 4096).toString('utf8'));
  if (!format) {
    throw new CommandError(
      `${request.format ? `unknown format "${request.format}"` : 'cannot tell the file\'s format; give --format'}; choose from ${IMPORT_FORMATS.map((f) => f.id).join(', ')}`,
    );
  }
  const connection = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(connection);
    const event = await findEvent(connection.db, request.event);
    if (!event || event.deletedAt) throw new CommandError(`no event "${request.event}"`);
    const report = progressBar();
    try {
      const summary = await importIntoEvent(connection.db, event, { format, bytes, dryRun: request.dryRun, onProgress: report });
      if (report) process.stderr.write('\n');
      return summary;
    } catch (error) {
      if (error instanceof ImportError) throw new CommandError(`${request.file}: ${error.message}`);
      throw error;
    }
  } finally {
    await connection.close();
  }
}
