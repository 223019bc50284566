// The JSON:API conventions every route shares: error documents, body handling, lists.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { ensureAdmin } from '../../src/domain/users.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  await ensureAdmin(t.database.connection.db, admin.email, admin.password);
  for (const name of ['Carla', 'Alice', 'Bob', 'Dora', 'Eve']) await signUp(t, { 'first-name': name });
});

describe('error documents', () => {
  it('malformed JSON is a 400 with a JSON:API error, not a stack trace', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/users',
      headers: { 'content-type': 'application/vnd.api+json' },
      payload: '{"data": {',
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/vnd\.api\+json/);
    expect(response.body).toEqual({
      errors: [{ status: '400', title: 'Bad Request', detail: 'The request body is not valid JSON' }],
      jsonapi: { version: '1.0' },
    });
  });

  it('an unknown route is a 404 error document', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/nothing-here' });
    expect(response.status).toBe(404);
    expect(response.body.errors[0]).toMatchObject({ status: '404', title: 'Not Found' });
    expect(response.body.jsonapi).toEqual({ version: '1.0' });
  });

  it('an oversize body is a 413 and nothing is created', async () => {
    const email = 'big@example.org';
    const response = await t.request({
      method: 'POST',
      url: '/v1/users',
      json: { data: { type: 'user', attributes: { email, password: 'password1', 'first-name': 'x'.repeat(2 * 1024 * 1024) } } },
    });
    expect(response.status).toBe(413);
    expect(response.body.errors[0]).toMatchObject({ status: '413', title: 'Payload Too Large' });
    const login = await t.request({ method: 'POST', url: '/v1/auth/login', json: { email, password: 'password1' } });
    expect(login.status).toBe(401);
  });

  it('an unsupported content type is a 415', async () => {
    const response = await t.request({ method: 'POST', url: '/v1/users', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    expect(response.status).toBe(415);
    expect(response.body.errors[0].status).toBe('415');
  });

  it('a non-numeric id in the path is simply not found', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/users/abc', token: admin.token });
    expect(response.status).toBe(404);
  });

  it('removes NUL and other control characters from text on input, keeps tabs and newlines', async () => {
    const user = await signUp(t, { 'first-name': 'A\u0000b\u0007c\td\ne\uD800' });
    const me = await t.request({ method: 'GET', url: '/v1/users/me', token: user.token });
    expect(me.body.data.attributes['first-name']).toBe('Abc\td\ne\uFFFD');
  });
});

describe('lists: paging, sorting, filtering', () => {
  const list = (query: string) => t.request({ method: 'GET', url: `/v1/users?${query}`, token: admin.token });

  it('pages with meta.count and first/next/last links that keep the other parameters', async () => {
    const page = await list('page[size]=2&page[number]=2&sort=id');
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(2);
    expect(page.body.meta.count).toBeGreaterThanOrEqual(6);
    const links = page.body.links;
    expect(links.first).toContain('page%5Bnumber%5D=1');
    expect(links.next).toContain('page%5Bnumber%5D=3');
    expect(links.prev).toContain('page%5Bnumber%5D=1');
    expect(links.last).toContain(`page%5Bnumber%5D=${Math.ceil(page.body.meta.count / 2)}`);
    expect(links.next).toContain('sort=id');
  });

  it('defaults to 20 per page and refuses more than 100', async () => {
    expect((await list('')).body.links.self).toContain('page%5Bsize%5D=20');
    const tooBig = await list('page[size]=101');
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.errors[0].source).toEqual({ parameter: 'page[size]' });
  });

  it('sorts by several fields, descending with a minus', async () => {
    const sorted = await list(`sort=-first-name&filter=${encodeURIComponent('[{"name":"first-name","op":"ne","val":null}]')}`);
    const names = sorted.body.data.map((u: any) => u.attributes['first-name']);
    expect(names.slice(0, 5)).toEqual(['Eve', 'Dora', 'Carla', 'Bob', 'Alice']);
  });

  it('filters with the OES JSON syntax, operators and combinations', async () => {
    const filter = (f: unknown) => list(`filter=${encodeURIComponent(JSON.stringify(f))}&sort=first-name`);
    const names = (r: any) => r.body.data.map((u: any) => u.attributes['first-name']);
    expect(names(await filter([{ name: 'first-name', op: 'eq', val: 'Bob' }]))).toEqual(['Bob']);
    expect(names(await filter([{ name: 'first_name', op: 'in', val: ['Alice', 'Eve'] }]))).toEqual(['Alice', 'Eve']);
    expect(names(await filter([{ name: 'first-name', op: 'ilike', val: '%a' }]))).toEqual(['Carla', 'Dora']);
    expect(names(await filter([{ or: [{ name: 'first-name', op: 'eq', val: 'Eve' }, { name: 'first-name', op: 'eq', val: 'Bob' }, { name: 'first-name', op: 'gt', val: 'Dz' }] }]))).toEqual(['Bob', 'Eve']);
    const recent = await filter([{ name: 'created-at', op: 'ge', val: '2000-01-01T00:00:00Z' }, { name: 'is-admin', op: 'eq', val: true }]);
    expect(recent.body.data.map((u: any) => u.id)).toEqual([String(admin.id)]);
  });

  it('refuses unknown fields, bad operators and mistyped values with 422, and bad JSON with 400', async () => {
    const cases: [string, number][] = [
      [JSON.stringify([{ name: 'password-hash', op: 'eq', val: 'x' }]), 422],
      [JSON.stringify([{ name: 'first-name', op: 'regex', val: 'x' }]), 422],
      [JSON.stringify([{ name: 'created-at', op: 'ge', val: '2020-01-01T00:00:00' }]), 422],
      [JSON.stringify([{ name: 'id', op: 'eq', val: "1; DROP TABLE users" }]), 422],
      ['[{"name":', 400],
    ];
    for (const [filter, status] of cases) {
      const response = await list(`filter=${encodeURIComponent(filter)}`);
      expect(response.status, filter).toBe(status);
      expect(response.body.errors[0].source).toEqual({ parameter: 'filter' });
    }
    expect((await list('sort=password-hash')).status).toBe(400);
    expect((await list('include=secrets')).status).toBe(400);
  });

  it('binds filter values as parameters: quotes and SQL in a value are just text', async () => {
    const response = await list(`filter=${encodeURIComponent(JSON.stringify([{ name: 'first-name', op: 'eq', val: "x' OR '1'='1" }]))}`);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([]);
  });

  it('is only for admins', async () => {
    const user = await signUp(t);
    expect((await t.request({ method: 'GET', url: '/v1/users', token: user.token })).status).toBe(403);
    expect((await t.request({ method: 'GET', url: '/v1/users' })).status).toBe(401);
  });
});

describe('service routes', () => {
  it('GET /health reports database and queue', async () => {
    const response = await t.request({ method: 'GET', url: '/health' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', database: { status: 'ok' }, queue: { status: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document listing every route with its schemas, and /docs', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/openapi.json' });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const paths = response.body.paths;
    for (const route of t.app.printRoutes({ commonPrefix: false }).matchAll(/\/v1\/[^\s(]*/g)) {
      if (route[0] === '/v1/openapi.json') continue;
      const openApiPath = route[0].replace(/:(\w+)/g, '{$1}');
      expect(paths, openApiPath).toHaveProperty([openApiPath]);
    }
    expect(paths['/v1/users'].post.requestBody.content['application/json'].schema.properties.data).toBeTruthy();
    const docs = await t.request({ method: 'GET', url: '/docs/' });
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
  });

  it('answers CORS preflights only for configured origins', async () => {
    const other = await startTestApp({ env: { CORS_ORIGINS: 'https://app.example.org' } });
    const allowed = await other.request({
      method: 'OPTIONS',
      url: '/v1/users/me',
      headers: { origin: 'https://app.example.org', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.org');
    const denied = await other.request({
      method: 'OPTIONS',
      url: '/v1/users/me',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });
});
