// The export flow of Open Event Server: start an export (202 with a task URL), poll the task, then
// download the file from the signed link the task reports. Only the event's managers and admins may
// export; a task is visible to the user who started it (and admins); downloads are looked up by task
// id in the database, never by a path from the request.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { eq } from 'drizzle-orm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SESSION_STATES, exportFiles } from '../db/schema/index.ts';
import { eventAccess } from '../domain/access.ts';
import { exportKind } from '../exports/kinds.ts';
import { currentTask, findTask, startExport, type Task } from '../exports/tasks.ts';
import { checkDownloadLink, downloadPath } from '../exports/links.ts';
import { ApiError, notFound, unauthorized } from './jsonapi/errors.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

const CALENDAR_EXPORTS = ['xcal', 'ical', 'jcal', 'pentabarf', 'frab-json'] as const;
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

const Started = Type.Object({ task_url: Type.String() });
const TaskBody = Type.Object({
  state: Type.Union([Type.Literal('PENDING'), Type.Literal('STARTED'), Type.Literal('SUCCESS'), Type.Literal('FAILURE')]),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  result: Type.Optional(Type.Object({ download_url: Type.Optional(Type.String()), error: Type.Optional(Type.String()) })),
});
const CsvBody = Type.Object(
  { status: Type.Optional(Type.Union(['all', ...SESSION_STATES].map((state) => Type.Literal(state)))) },
  { additionalProperties: false },
);

export async function exportRoutes(parent: FastifyInstance, { db, boss, config, storage }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['exports'];

  async function start(request: FastifyRequest, reply: FastifyReply, ev: string, format: string, options: Record<string, string>) {
    if (!request.user) throw unauthorized();
    const access = await eventAccess(db, ev, request.user);
    // Exports hold unpublished data: for anyone but the event's managers the export does not exist.
    if (!access?.canManage) throw notFound();
    if (!boss) throw new ApiError(503, 'Exports are unavailable: this server has no job queue');
    const task = await startExport(db, boss, { userId: request.user.id, eventId: access.event.id, kind: exportKind(format)!, options });
    const url = `/v1/tasks/${task.id}`;
    return reply.code(202).header('location', url).send({ task_url: url });
  }

  app.get(
    '/v1/events/:ev/export/:format',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Start exporting the schedule as xCal, iCalendar, jCal, Pentabarf XML or frab JSON',
        tags,
        params: Type.Object({
          ev: Type.String({ maxLength: 64 }),
          format: Type.Union(CALENDAR_EXPORTS.map((format) => Type.Literal(format))),
        }),
        response: { 202: Started, '4xx': ErrorDocument },
      },
    },
    (request, reply) => start(request, reply, request.params.ev, request.params.format, {}),
  );

  for (const subject of ['sessions', 'speakers'] as const) {
    app.post(
      `/v1/events/:ev/export/${subject}/csv`,
      {
        config: { plainJson: true },
        schema: {
          summary: `Start exporting the ${subject} as CSV (with contact details, for organizers)`,
          tags,
          params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
          body: Type.Optional(CsvBody),
          response: { 202: Started, '4xx': ErrorDocument },
        },
      },
      (request, reply) =>
        start(request, reply, request.params.ev, `${subject}-csv`, { status: request.body?.status ?? 'all' }),
    );
  }

  function taskBody(task: Task): Static<typeof TaskBody> {
    const progress = { done: task.progressDone, total: task.progressTotal };
    if (task.state === 'SUCCESS') {
      return { state: task.state, progress, result: { download_url: config.publicUrl + downloadPath(config.secretKey, task.id) } };
    }
    if (task.state === 'FAILURE') return { state: task.state, progress, result: { error: task.error ?? 'The export failed' } };
    return { state: task.state, progress };
  }

  app.get(
    '/v1/tasks/:id',
    {
      config: { plainJson: true },
      schema: {
        summary: 'The state of an export task, and its download URL once done',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: TaskBody, '4xx': ErrorDocument },
      },
    },
    async (request) => {
      if (!request.user) throw unauthorized();
      const task = new RegExp(UUID).test(request.params.id) ? await findTask(db, request.params.id) : null;
      // Someone else's task does not exist for you.
      if (!task || (task.userId !== request.user.id && !request.user.isAdmin)) throw notFound('No such task');
      return taskBody(await currentTask(db, boss, task));
    },
  );

  app.get(
    '/v1/exports/:id/download',
    {
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
      const task = await findTask(db, id);
      const [file] = task?.fileId ? await db.select().from(exportFiles).where(eq(exportFiles.id, task.fileId)) : [];
      const opened = file ? await storage.open(file.storageKey) : null;
      if (!file || !opened) throw notFound('The file is gone (exports are kept for a limited time); export again');
      const etag = `"${file.sha256}"`;
      reply
        .header('content-type', file.mediaType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('etag', etag)
        .header('cache-control', 'private, max-age=3600');
      if (request.headers['if-none-match'] === etag) {
        opened.stream.destroy();
        return reply.code(304).send();
      }
      return reply.header('content-length', opened.size).send(opened.stream);
    },
  );
}
