// What a person gets at `/`. With FRONTEND_DIR set, the built single-page web client (OES's
// open-event-frontend) is served from there: its files as they are, and its index.html for every page
// path (/e/abc123, /login…), so links to events work with nothing else deployed. Without it, a short
// HTML page saying what this server is and where its API documentation lives.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { version } from '../version.ts';
import type { AppContext } from './context.ts';

/** The client's pages may load what they need, but, like every page of ours, not be framed elsewhere. */
const CLIENT_CSP = "frame-ancestors 'none'";

/** Paths the server answers itself: never handed to the web client, so their 404s stay JSON:API. */
const SERVER_PATHS = /^\/(v1|auth|docs|health)(\/|$)/;

function homePage(publicUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>openevent</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}</style>
</head>
<body>
<h1>openevent</h1>
<p>An event management server: events, schedules, speakers, tickets and calendar feeds, over a JSON:API
compatible with FOSSASIA's Open Event Server. This is the API at <code>${escapeHtml(publicUrl)}</code>, version ${escapeHtml(version)}.</p>
<ul>
<li><a href="/docs">API documentation</a> (interactive)</li>
<li><a href="/v1/openapi.json">OpenAPI document</a></li>
<li><a href="/health">Health</a></li>
</ul>
<p>No web client is configured here. To serve one from this address, start the server with
<code>FRONTEND_DIR</code> pointing at a built single-page client such as Open Event's web frontend.</p>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function homeRoutes(app: FastifyInstance, { config }: AppContext) {
  const root = config.frontendDir;
  if (!root) {
    const page = homePage(config.publicUrl);
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
    return;
  }

  // serve: false — only reply.sendFile (content types, ETag, ranges); the route below picks the file.
  await app.register(fastifyStatic, { root, serve: false });

  async function serveClient(request: FastifyRequest, reply: FastifyReply) {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0]!);
    } catch {
      return reply.callNotFound();
    }
    if (SERVER_PATHS.test(path)) return reply.callNotFound();
    // The API's CSP (default-src 'none') would stop the client loading its own scripts, styles and
    // fonts: it is separate software with its own needs. It keeps only the refusal to be framed.
    reply.header('content-security-policy', CLIENT_CSP);
    const file = resolve(root!, '.' + path);
    if ((file === root || file.startsWith(root + sep)) && (await isFile(file))) {
      return reply.sendFile(file.slice(root!.length + 1));
    }
    // A page path (no file extension) is a route of the client: its index.html draws it. A missing
    // asset (/assets/x.js) stays a 404, so a broken build shows as one instead of as HTML.
    if (/\.[^/]*$/.test(path)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  }

  app.get('/', { schema: { hide: true } }, serveClient);
  app.get('/*', { schema: { hide: true } }, serveClient);
}
