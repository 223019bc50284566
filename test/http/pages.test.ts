// /v1/pages with OES's names and shape (docs/api/blueprint/pages.apib): read by anyone, written by admins.
import { describe, expect, it, beforeAll } from 'vitest';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { ensureAdmin } from '../../src/domain/users.ts';

let t: TestApp;
let admin: { token: string };
let user: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  const someone = await signUp(t);
  await ensureAdmin(t.database.connection.db, someone.email, someone.password);
  admin = someone;
  user = await signUp(t);
});

const HOW_IT_WORKS = {
  name: 'How it works',
  title: 'How it works',
  url: '/how-it-works',
  description: 'How it works',
  place: 'footer',
  language: 'English',
  index: 0,
};

const create = (attributes: Record<string, unknown>, token = admin.token) =>
  t.request({ method: 'POST', url: '/v1/pages', token, json: { data: { type: 'page', attributes } } });

describe('/v1/pages', () => {
  it('starts empty: a collection the client can read without any page made', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/pages' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ data: [], meta: { count: 0 }, jsonapi: { version: '1.0' } });
  });

  it('lets an admin create a page as in the Blueprint, and anyone list and read it', async () => {
    const created = await create(HOW_IT_WORKS);
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      type: 'page',
      id: expect.any(String),
      attributes: HOW_IT_WORKS,
      links: { self: `/v1/pages/${created.body.data.id}` },
    });
    expect(created.headers.location).toBe(`/v1/pages/${created.body.data.id}`);

    const list = await t.request({ method: 'GET', url: '/v1/pages' });
    expect(list.body.meta.count).toBe(1);
    expect(list.body.data[0]).toEqual(created.body.data);
    const one = await t.request({ method: 'GET', url: `/v1/pages/${created.body.data.id}` });
    expect(one.body.data).toEqual(created.body.data);
  });

  it('lists pages in index order and filters them by place', async () => {
    await create({ name: 'Terms', url: '/terms', place: 'footer', index: 5 });
    await create({ name: 'Event FAQ', url: '/faq', place: 'event', index: -1 });
    const list = await t.request({ method: 'GET', url: '/v1/pages' });
    expect(list.body.data.map((page: any) => page.attributes.name)).toEqual(['Event FAQ', 'How it works', 'Terms']);
    const footer = await t.request({
      method: 'GET',
      url: `/v1/pages?filter=${encodeURIComponent('[{"name":"place","op":"eq","val":"footer"}]')}&sort=-index`,
    });
    expect(footer.body.data.map((page: any) => page.attributes.name)).toEqual(['Terms', 'How it works']);
  });

  it('defaults the optional attributes (index 0, the rest null)', async () => {
    const created = await create({ name: 'Bare', url: '/bare' });
    expect(created.body.data.attributes).toEqual({
      name: 'Bare',
      title: null,
      url: '/bare',
      description: null,
      place: null,
      language: null,
      index: 0,
    });
  });

  it('refuses a page without name or url, or with a place OES does not know', async () => {
    const missing = await create({ title: 'No name' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((error: any) => error.source.pointer).sort()).toEqual([
      '/data/attributes/name',
      '/data/attributes/url',
    ]);
    const place = await create({ name: 'Somewhere', url: '/x', place: 'sidebar' });
    expect(place.status).toBe(422);
    expect(place.body.errors[0].source.pointer).toBe('/data/attributes/place');
  });

  it('lets an admin change and delete a page, answering DELETE as OES does', async () => {
    const created = await create({ name: 'Old', url: '/old' });
    const id = created.body.data.id;
    const changed = await t.request({
      method: 'PATCH',
      url: `/v1/pages/${id}`,
      token: admin.token,
      json: { data: { type: 'page', id, attributes: { name: 'New', index: 3 } } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.data.attributes).toMatchObject({ name: 'New', url: '/old', index: 3 });

    const deleted = await t.request({ method: 'DELETE', url: `/v1/pages/${id}`, token: admin.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ meta: { message: 'Object successfully deleted' }, jsonapi: { version: '1.0' } });
    expect((await t.request({ method: 'GET', url: `/v1/pages/${id}` })).status).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/v1/pages/${id}`, token: admin.token })).status).toBe(404);
  });

  it('is written by admins only: 403 for users, 401 anonymous, and nothing changes', async () => {
    const created = await create({ name: 'Kept', url: '/kept' });
    const id = created.body.data.id;
    expect((await create({ name: 'Mine', url: '/mine' }, user.token)).status).toBe(403);
    expect((await t.request({ method: 'POST', url: '/v1/pages', json: { data: { type: 'page', attributes: { name: 'A', url: '/a' } } } })).status).toBe(401);
    const patch = await t.request({
      method: 'PATCH',
      url: `/v1/pages/${id}`,
      token: user.token,
      json: { data: { type: 'page', id, attributes: { name: 'Taken' } } },
    });
    expect(patch.status).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/v1/pages/${id}`, token: user.token })).status).toBe(403);
    const after = await t.request({ method: 'GET', url: `/v1/pages/${id}` });
    expect(after.body.data.attributes.name).toBe('Kept');
    const names = (await t.request({ method: 'GET', url: '/v1/pages?page[size]=100' })).body.data.map((page: any) => page.attributes.name);
    expect(names).not.toContain('Mine');
  });
});
