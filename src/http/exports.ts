// The export flow of Open Event Server: start an export (202 with a task URL), poll the task, then
// download the file from the signed link the task reports. Only the event's managers and admins may
// export, and registrars too for the order and attendee lists (the people and orders they already see
// over the API: a check-in list at the door); a task is visible to the user who started it (and
// admins); downloads are looked up by task id in the database, never by a path from the request.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { eq } from 'drizzle-orm';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ORDER_STATUSES, SESSION_STATES, exportFiles } from '../db/schema/index.ts';
import { eventAccess, type EventAccess } from '../domain/access.ts';
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
const OrdersCsvBody = Type.Object(
  { status: Type.Optional(Type.Union(['all', ...ORDER_STATUSES].map((status) => Type.Literal(status)))) },
  { additionalProperties: false },
);
const canManage = (access: EventAccess) => access.canManage;
const canRegister = (access: EventAccess) => access.canRegister;

export async function exportRoutes(parent: FastifyInstance, { db, boss, config, storage }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['exports'];

  async function start(
    request: FastifyRequest,
    reply: FastifyReply,
    ev: string,
    format: string,
    options: Record<string, string>,
    allowed: (access: EventAccess) => boolean = canManage,
  ) {
    if (!request.user) throw unauthorized();
    const access = await eventAccess(db, ev, request.user);
    // Exports hold unpublished data: for anyone but those allowed the export does not exist.
    if (!access || !allowed(access)) throw notFound();
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

  app.post(
    '/v1/events/:ev/export/orders/csv',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Start exporting the orders as CSV (organizers and registrars); `status` picks one status or all',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        body: Type.Optional(OrdersCsvBody),
        response: { 202: Started, '4xx': ErrorDocument },
      },
    },
    (request, reply) => start(request, reply, request.params.ev, 'orders-csv', { status: request.body?.status ?? 'all' }, canRegister),
  );

  app.post(
    '/v1/events/:ev/export/attendees/csv',
    {
      config: { plainJson: true },
      schema: {
        summary: 'Start exporting the attendees (of pending and completed orders) as CSV (organizers and registrars)',
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }) }),
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 202: Started, '4xx': ErrorDocument },
      },
    },
    (request, reply) => start(request, reply, request.params.ev, 'attendees-csv', {}, canRegister),
  );

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
