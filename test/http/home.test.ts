// What a person's browser gets at `/`: a short page about the server, or, with FRONTEND_DIR, a built
// single-page client served with its index.html for page paths. And CORS that such a client, served
// from its own origin, can use.
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/app.ts';
import { ConfigError } from '../../src/config.ts';

const INDEX = '<!doctype html><html><head><title>Client</title></head><body>client index</body></html>';

/** A tiny built client: index.html, a script, a stylesheet; and a file beside it that must stay private. */
function fixtureClient(): string {
  const parent = mkdtempSync(join(tmpdir(), 'openevent-client-'));
  const dir = join(parent, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body { color: black }');
  writeFileSync(join(parent, 'secret'), 'not for the web');
  return dir;
}

describe('GET / without a web client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });

  it('answers a short HTML page for a person, linking the API documentation', async () => {
    const response = await t.request({ method: 'GET', url: '/' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('openevent');
    expect(response.text).toContain('href="/docs"');
    expect(response.text).toContain('href="/v1/openapi.json"');
    expect(response.text).toContain('FRONTEND_DIR');
  });

  it('leaves other unknown paths a JSON:API 404', async () => {
    const response = await t.request({ method: 'GET', url: '/e/abc123' });
    expect(response.status).toBe(404);
    expect(response.body.errors[0].status).toBe('404');
  });
});

describe('GET / with FRONTEND_DIR', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { FRONTEND_DIR: fixtureClient() } });
  });

  it("serves the client's index.html at / and its files with their content types", async () => {
    const index = await t.request({ method: 'GET', url: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.text).toBe(INDEX);
    const script = await t.request({ method: 'GET', url: '/assets/app.js' });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.text).toBe('console.log("app");');
    const style = await t.request({ method: 'GET', url: '/assets/app.css' });
    expect(style.headers['content-type']).toMatch(/^text\/css/);
  });

  it('answers page paths of the client with its index.html, so event links work', async () => {
    for (const path of ['/e/abc123', '/e/abc123/sessions', '/login', '/register?next=%2Fe%2Fabc']) {
      const response = await t.request({ method: 'GET', url: path });
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toMatch(/^text\/html/);
      expect(response.text, path).toBe(INDEX);
      // Always asked again, so a new build of the client is picked up at once.
      expect(response.headers['cache-control'], path).toMatch(/no-cache/);
    }
  });

  it("lets the client's pages load their own scripts and styles, but not be framed", async () => {
    for (const path of ['/', '/e/abc123', '/assets/app.js']) {
      const response = await t.request({ method: 'GET', url: path });
      expect(response.headers['content-security-policy'], path).toBe("frame-ancestors 'none'");
      expect(response.headers['x-frame-options'], path).toBe('DENY');
    }
    // The API next to it keeps its own policy.
    const api = await t.request({ method: 'GET', url: '/v1/settings' });
    expect(api.headers['content-security-policy']).toMatch(/default-src 'none'/);
  });

  it('keeps a missing asset a 404, and the API, docs and health its own', async () => {
    expect((await t.request({ method: 'GET', url: '/assets/missing.js' })).status).toBe(404);
    const api = await t.request({ method: 'GET', url: '/v1/no-such-thing' });
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/vnd\.api\+json/);
    expect((await t.request({ method: 'GET', url: '/v1/settings' })).body.data.type).toBe('setting');
    expect((await t.request({ method: 'GET', url: '/auth/nothing' })).status).toBe(404);
    expect((await t.request({ method: 'GET', url: '/docs/' })).text).toContain('swagger');
    expect((await t.request({ method: 'GET', url: '/health' })).headers['content-type']).toMatch(/json/);
  });

  it('never serves a file outside the directory', async () => {
    for (const path of ['/%2e%2e/secret', '/..%2fsecret', '/assets/%2e%2e/%2e%2e/secret']) {
      const response = await t.request({ method: 'GET', url: path });
      expect(response.text, path).not.toContain('not for the web');
    }
  });

  it('refuses to start with a FRONTEND_DIR that holds no index.html', () => {
    const empty = mkdtempSync(join(tmpdir(), 'openevent-empty-'));
    expect(() => testConfig({ FRONTEND_DIR: empty })).toThrow(ConfigError);
  });
});

describe('CORS for a browser client on its own origin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'http://127.0.0.1:4200' } });
  });

  const preflight = (origin: string, method: string) =>
    t.request({
      method: 'OPTIONS',
      url: '/v1/events/1',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('allows a PATCH and a DELETE with the token and JSON:API body, with credentials', async () => {
    for (const method of ['PATCH', 'DELETE']) {
      const response = await preflight('http://127.0.0.1:4200', method);
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('http://127.0.0.1:4200');
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      const methods = String(response.headers['access-control-allow-methods']).split(',').map((m) => m.trim());
      expect(methods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS']));
      const headers = String(response.headers['access-control-allow-headers']).toLowerCase().split(',').map((h) => h.trim());
      expect(headers).toEqual(expect.arrayContaining(['authorization', 'content-type', 'accept', 'x-requested-with']));
    }
  });

  it('refuses another origin: no allow-origin for the browser to accept', async () => {
    const response = await preflight('https://evil.example', 'PATCH');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('marks real answers for the allowed origin, so the browser hands them to the client', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/settings', headers: { origin: 'http://127.0.0.1:4200' } });
    expect(response.headers['access-control-allow-origin']).toBe('http://127.0.0.1:4200');
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });
});
