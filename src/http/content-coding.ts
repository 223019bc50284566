// Sending bytes that are kept rendered (feeds, public lists) in the encoding the client asks for: the
// compressed copies are made once per rendered entry, not per request as the compress plugin would.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Whether Accept-Encoding takes `encoding` (and does not refuse it with q=0). */
export function acceptsEncoding(request: FastifyRequest, encoding: string): boolean {
  const header = request.headers['accept-encoding'];
  return typeof header === 'string' && new RegExp(`(^|,)\\s*${encoding}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`, 'i').test(header);
}

/** The body as asked: brotli, else gzip, else as it is. The compress plugin leaves an encoded reply alone. */
export async function sendEncoded(
  request: FastifyRequest,
  reply: FastifyReply,
  body: Buffer,
  copies: { br(): Promise<Buffer>; gzip(): Promise<Buffer> },
) {
  reply.header('vary', 'Accept-Encoding');
  if (acceptsEncoding(request, 'br')) return reply.header('content-encoding', 'br').send(await copies.br());
  if (acceptsEncoding(request, 'gzip')) return reply.header('content-encoding', 'gzip').send(await copies.gzip());
  return reply.send(body);
}
