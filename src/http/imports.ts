// Bringing a schedule in: `POST /v1/events/{ev}/import/{format}` into an event (its organizers), and OES's
// `POST /v1/events/import/{source_type}` into a new event. The file is the request body, with its own media
// type, or a field of a multipart form; the answer is 202 with a task polled at `/v1/tasks/{id}` (exports.ts),
// which ends SUCCESS with a summary of what was created, updated, withdrawn and skipped, or FAILURE with a
// message that names the line or element at fault. `?dry_run=true` reports without writing.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ImportTask } from '../domain/imports.ts';
import { IMPORT_LIMITS } from '../import/model.ts';
import { IMPORT_FORMATS, importFormatById } from '../import/registry.ts';
import { startImport } from '../imports/tasks.ts';
import { requireUser } from './auth.ts';
import { multipartFile } from './multipart.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

const Started = Type.Object({ task_url: Type.String() });
const FORMAT_NAMES = [...IMPORT_FORMATS.map((f) => f.id), 'frab-xml', 'xml', 'json', 'ics', 'zip'];
const Query = Type.Object({ dry_run: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) });

export async function importRoutes(parent: FastifyInstance, { db, boss, storage }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['imports'];
  // Any media type: the file is read as bytes and handed to the format's parser (which does its own checks).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: IMPORT_LIMITS.maxBytes + 64 * 1024 }, (_request, body, done) => done(null, body));

  function fileOf(body: unknown, contentType: string | undefined): Buffer {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    return contentType && /^multipart\/form-data/i.test(contentType) ? multipartFile(bytes, contentType) : bytes;
  }

  const started = (reply: FastifyReply, task: ImportTask) => {
    const url = `/v1/tasks/${task.id}`;
    return reply.code(202).header('location', url).send({ task_url: url });
  };
  const formatsHelp = IMPORT_FORMATS.map((f) => `${f.id} (${f.title})`).join('; ');

  app.post(
    '/v1/events/:ev/import/:format',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: `Import a schedule file into the event (organizers): ${formatsHelp}`,
        tags,
        params: Type.Object({ ev: Type.String({ maxLength: 64 }), format: Type.Union(FORMAT_NAMES.map((n) => Type.Literal(n))) }),
        querystring: Query,
        response: { 202: Started, '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const format = importFormatById(request.params.format)!;
      const bytes = fileOf(request.body, request.headers['content-type']);
      const task = await startImport(db, boss, storage, { user: requireUser(request), event: request.params.ev, format, bytes, dryRun: request.query.dry_run === 'true' });
      return started(reply, task);
    },
  );

  app.post(
    '/v1/events/import/:source_type',
    {
      config: { plainJson: true, signedIn: true },
      schema: {
        summary: `Create an event from a schedule file (you become its owner): ${formatsHelp}`,
        tags,
        params: Type.Object({ source_type: Type.Union(FORMAT_NAMES.map((n) => Type.Literal(n))) }),
        querystring: Query,
        response: { 202: Started, '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const format = importFormatById(request.params.source_type)!;
      const bytes = fileOf(request.body, request.headers['content-type']);
      const task = await startImport(db, boss, storage, { user: requireUser(request), event: null, format, bytes, dryRun: request.query.dry_run === 'true' });
      return started(reply, task);
    },
  );
}
