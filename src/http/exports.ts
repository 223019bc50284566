// The export flow of Open Event Server: start an export (202 with a task URL), poll the task, then
// download the file from the signed link the task reports. Which exports exist, how each is started and
// who may start it come from the format registry (src/formats/); the rules are in src/exports/ and
// src/domain/exports.ts. Downloads are looked up by task id in the database, never by a path from the request.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Task } from '../domain/exports.ts';
import { withDefaults, type ExportFormat } from '../formats/format.ts';
import { FORMATS } from '../formats/registry.ts';
import { fileOfTask, readTask, startExport } from '../exports/tasks.ts';
import { readImportTask } from '../imports/tasks.ts';
import type { ImportTask } from '../domain/imports.ts';
import { checkDownloadLink, downloadPath } from '../exports/links.ts';
import { requireUser } from './auth.ts';
import { answeredNotModified } from './conditional.ts';
import { ApiError, notFound } from './jsonapi/errors.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

const Started = Type.Object({ task_url: Type.String() });
// OES marks a task WAITING when it is queued and it stays so until it ends; OES's web client keeps polling only
// while it reads WAITING and reports any other state as a failed export. Queued and running (PENDING, STARTED
// in the database) are therefore both WAITING here; the progress tells them apart.
const TaskBody = Type.Object({
  state: Type.Union([Type.Literal('WAITING'), Type.Literal('SUCCESS'), Type.Literal('FAILURE')]),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  result: Type.Optional(
    Type.Object({
      download_url: Type.Optional(Type.String()),
      error: Type.Optional(Type.String()),
      // Import tasks (imports.ts): the event imported into (OES's `id`) and what the import did.
      id: Type.Optional(Type.String()),
      summary: Type.Optional(Type.Unknown()),
    }),
  ),
});

const startedBy = (method: 'GET' | 'POST') => FORMATS.filter((format) => format.start.method === method);

export async function exportRoutes(parent: FastifyInstance, { db, boss, config, storage }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['exports'];
  const whoMay = (format: ExportFormat) => (format.exportableBy === 'registrars' ? 'organizers and registrars' : 'organizers');

  async function started(reply: FastifyReply, task: Task) {
    const url = `/v1/tasks/${task.id}`;
    return reply.code(202).header('location', url).send({ task_url: url });
  }

  const documents = startedBy('GET');
  const byPath = new Map(documents.map((format) => [format.start.path, format]));
  app.get(
    '/v1/events/:ev/export/:format',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: `Start exporting the schedule as ${documents.map((format) => format.title).join('; ')}`,
        tags,
        params: Type.Object({
          ev: Type.String({ maxLength: 64 }),
          format: Type.Union(documents.map((format) => Type.Literal(format.start.path))),
        }),
        response: { 202: Started, '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const format = byPath.get(request.params.format)!;
      const task = await startExport(db, boss, { user: requireUser(request), event: request.params.ev, format, options: withDefaults(format, {}) });
      return started(reply, task);
    },
  );

  // OES starts the order and attendee lists with GET (its client `load`s them): the default options.
  for (const format of startedBy('POST').filter((format) => format.start.alsoGet)) {
    app.get(
      `/v1/events/:ev/export/${format.start.path}`,
      {
        config: { plainJson: true, signedIn: true },
        schema: {
          summary: `Start exporting ${format.title} (${whoMay(format)}), as OES starts it`,
          tags,
          params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
          response: { 202: Started, '4xx': ErrorDocument },
        },
      },
      async (request, reply) => {
        const task = await startExport(db, boss, { user: requireUser(request), event: request.params.ev, format, options: withDefaults(format, {}) });
        return started(reply, task);
      },
    );
  }

  for (const format of startedBy('POST')) {
    app.post(
      `/v1/events/:ev/export/${format.start.path}`,
      {
        config: { plainJson: true, signedIn: true },
        schema: {
          summary: `Start exporting ${format.title} (${whoMay(format)})`,
          tags,
          params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
          body: Type.Optional(format.options),
          response: { 202: Started, '4xx': ErrorDocument },
        },
      },
      async (request, reply) => {
        const options = withDefaults(format, request.body as Record<string, string> | undefined);
        const task = await startExport(db, boss, { user: requireUser(request), event: request.params.ev, format, options });
        return started(reply, task);
      },
    );
  }

  function taskBody(task: Task): Static<typeof TaskBody> {
    const progress = { done: task.progressDone, total: task.progressTotal };
    if (task.state === 'SUCCESS') {
      return { state: task.state, progress, result: { download_url: config.publicUrl + downloadPath(config.secretKey, task.id) } };
    }
    if (task.state === 'FAILURE') return { state: task.state, progress, result: { error: task.error ?? 'The export failed' } };
    return { state: 'WAITING', progress };
  }

  function importTaskBody(task: ImportTask): Static<typeof TaskBody> {
    const progress = { done: task.progressDone, total: task.progressTotal };
    if (task.state === 'SUCCESS') {
      return { state: task.state, progress, result: { ...(task.eventId !== null ? { id: String(task.eventId) } : {}), summary: task.summary } };
    }
    if (task.state === 'FAILURE') return { state: task.state, progress, result: { error: task.error ?? 'The import failed' } };
    return { state: 'WAITING', progress };
  }

  app.get(
    '/v1/tasks/:id',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: 'The state of an export or import task: its download URL, or the import\'s summary, once done',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: TaskBody, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const user = requireUser(request);
      if (!new RegExp(UUID).test(request.params.id)) throw notFound('No such task');
      const imported = await readImportTask(db, boss, request.params.id, user);
      if (imported) return importTaskBody(imported);
      return taskBody(await readTask(db, boss, request.params.id, user));
    },
  );

  app.get(
    '/v1/exports/:id/download',
    {
      // The file's own media type (frab JSON is application/json), not JSON:API's.
      config: { plainJson: true },
      // The stored bytes as they are: the strong ETag is their SHA-256 and Content-Length their size.
      compress: false,
      schema: {
        summary: 'Download an export (the signed link from its task)',
        tags,
        params: Type.Object({ id: Type.String({ pattern: UUID }) }),
        querystring: Type.Object({ expires: Type.String(), signature: Type.String() }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const check = checkDownloadLink(config.secretKey, id, request.query.expires, request.query.signature);
      if (check === 'invalid') throw notFound('No such download');
      if (check === 'expired') throw new ApiError(410, 'This download link has expired; ask the task for a new one');
      const gone = () => notFound('The file is gone (exports are kept for a limited time); export again');
      const file = await fileOfTask(db, id);
      if (!file) throw gone();
      reply
        .header('content-type', file.mediaType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'private, max-age=3600');
      if (answeredNotModified(request, reply, { etag: `"${file.sha256}"` })) return reply.send();
      const opened = await storage.open(file.storageKey);
      if (!opened) throw gone();
      return reply.header('content-length', opened.size).send(opened.stream);
    },
  );
}
