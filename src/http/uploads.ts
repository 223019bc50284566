// Image uploads as OES has them: `POST /v1/upload/image` with `{"data": "data:image/png;base64,…"}` answers
// `{"url": …}`, the address the client then saves as a logo or photo URL. The images are served at
// /v1/uploads/{key}, immutable (a new upload is a new key).
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MAX_IMAGE_BYTES, openImage, storeImage } from '../domain/uploads.ts';
import { requireUser } from './auth.ts';
import { answeredNotModified } from './conditional.ts';
import { ErrorDocument } from './jsonapi/schemas.ts';
import type { AppContext } from './context.ts';

const tags = ['uploads'];
/** Base64 is 4/3 of the bytes; room for the data: header and the JSON around it. */
const BODY_LIMIT = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 4096;

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

  app.get(
    '/v1/uploads/:key',
    {
      schema: {
        summary: 'An uploaded image',
        tags,
        params: Type.Object({ key: Type.String({ maxLength: 128 }) }),
        response: { '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const { file, mediaType } = await openImage(storage, request.params.key);
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff');
      if (answeredNotModified(request, reply, { etag: `"${file.sha256}"` })) {
        file.stream.destroy();
        return reply.send(undefined as never);
      }
      // The stream is the body; the response schema describes only the errors.
      return reply.type(mediaType).header('content-length', file.size).send(file.stream as never);
    },
  );
}
