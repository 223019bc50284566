// Uploads as OES has them: `POST /v1/upload/image` with `{"data": "data:image/png;base64,…"}` answers
// `{"url": …}`, the address the client then saves as a logo or photo URL; `POST /v1/upload/files` takes a
// document (slides, an event document) as the multipart field `file` (or several as `files[]`) and answers
// `{"url": …}` (a list for `files[]`), which the client saves as the document's link. Both are served at
// /v1/uploads/{key}, immutable (a new upload is a new key).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MalformedError, UnauthenticatedError } from '../domain/errors.ts';
import { MAX_DOCUMENT_BYTES, MAX_IMAGE_BYTES, openUpload, storeDocuments, storeImage, type SentFile } from '../domain/uploads.ts';
import { requireUser } from './auth.ts';
import { answeredNotModified } from './conditional.ts';
import { ApiError } from './jsonapi/errors.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import { multipartParts } from './multipart.ts';
import type { AppContext } from './context.ts';

const tags = ['uploads'];
/** Base64 is 4/3 of the bytes; room for the data: header and the JSON around it. */
const BODY_LIMIT = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 4096;
/** One document and the multipart framing around it. */
const DOCUMENT_BODY_LIMIT = MAX_DOCUMENT_BYTES + 64 * 1024;
/** At most this many documents in one `files[]` request. */
const MAX_FILES = 10;

/**
 * The documents of a multipart body as OES reads it: the field `file`, else every `files[]` (`many`).
 * A body that is not multipart, or holds neither field, is a bad request (415, 400).
 */
function sentFiles(body: unknown, contentType: string | undefined): { files: SentFile[]; many: boolean } {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) {
    throw new ApiError(415, 'Send the document as multipart/form-data, in the field "file"');
  }
  const parts = multipartParts(Buffer.isBuffer(body) ? body : Buffer.alloc(0), contentType);
  const single = parts.find((part) => part.name === 'file');
  if (single) return { files: [{ filename: single.filename, bytes: single.content, pointer: '/file' }], many: false };
  const several = parts.filter((part) => part.name === 'files[]');
  if (several.length === 0) throw new MalformedError('The multipart body holds no field "file" (or "files[]")');
  if (several.length > MAX_FILES) throw new MalformedError(`At most ${MAX_FILES} files at once`);
  return { files: several.map((part, index) => ({ filename: part.filename, bytes: part.content, pointer: `/files[]/${index}` })), many: true };
}

export async function uploadRoutes(parent: FastifyInstance, { db, storage, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v1/upload/image',
    {
      bodyLimit: BODY_LIMIT,
      config: { signedIn: true, plainJson: true },
      schema: {
        summary: 'Upload an image (PNG, JPEG, GIF or WebP, base64 in a data: URL); answers its URL',
        tags,
        body: Type.Object({ data: Type.String({ description: 'data:image/png;base64,…' }) }, { additionalProperties: true }),
        response: { 200: Type.Object({ url: Type.String() }), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const key = await storeImage(db, storage, user.id, request.body.data);
      return { url: `${config.publicUrl}/v1/uploads/${key}` };
    },
  );

  // The document route takes its body as raw bytes (any media type, checked in the handler), in a scope of its own.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: DOCUMENT_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/v1/upload/files',
      {
        bodyLimit: DOCUMENT_BODY_LIMIT,
        config: { signedIn: true, plainJson: true },
        // Anonymous uploads are refused before their bytes are read (the token itself is checked after).
        onRequest: async (request) => {
          if (!request.headers.authorization) throw new UnauthenticatedError('Authentication is required: send Authorization: JWT <token>');
        },
        schema: {
          summary:
            'Upload a document (PDF, PowerPoint, OpenDocument, Word, text, CSV or MP4; up to the slide-size setting) as the multipart field "file" (or several as "files[]"); answers its URL',
          tags,
          response: { 200: Type.Object({ url: Type.Union([Type.String(), Type.Array(Type.String())]) }), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const { files, many } = sentFiles(request.body, request.headers['content-type']);
        const keys = await storeDocuments(db, storage, user.id, files);
        const urls = keys.map((key) => `${config.publicUrl}/v1/uploads/${key}`);
        return { url: many ? urls : urls[0]! };
      },
    );
  });

  app.get(
    '/v1/uploads/:key',
    {
      schema: {
        summary: 'An uploaded image or document',
        tags,
        params: Type.Object({ key: Type.String({ maxLength: 128 }) }),
        response: { '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const { file, mediaType, download } = await openUpload(storage, request.params.key);
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff');
      // Office files are for opening in their programs; the browser shows the rest (PDF, text, video, images).
      if (download) reply.header('content-disposition', `attachment; filename="${request.params.key}"`);
      if (answeredNotModified(request, reply, { etag: `"${file.sha256}"` })) {
        file.stream.destroy();
        return reply.send(undefined as never);
      }
      // The stream is the body; the response schema describes only the errors.
      return reply.type(mediaType).header('content-length', file.size).send(file.stream as never);
    },
  );
}
