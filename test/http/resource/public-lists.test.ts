// The lists of an event's schedule as anonymous visitors read them (OES's public pages and apps), kept
// rendered per schedule version: every change shows in the very next read, signed-in readers get their own
// view, an event that stops being public stops answering, and the bytes come compressed as asked.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { body, createPublishedEvent, createSession, createSpeaker, expectStatus, get, patch, quickUser, rel, type Resource, type User } from '../../support/schedule.ts';

let t: TestApp;
let owner: User;
let ev: Resource;
let accepted: Resource;

const titles = (response: { body: any }) => response.body.data.map((session: any) => session.attributes.title).sort();

beforeAll(async () => {
  t = await startTestApp();
  owner = await quickUser(t);
  ev = await createPublishedEvent(t, owner.token, { name: 'Public lists', 'is-sponsors-enabled': true });
  const speaker = await createSpeaker(t, owner.token, ev, { name: 'Grace Hopper' });
  accepted = await createSession(t, owner.token, ev, { title: 'Opening', state: 'accepted' }, { speakers: [speaker] });
  await createSession(t, owner.token, ev, { title: 'Still a draft', state: 'draft' });
});

describe('anonymous lists of the schedule', () => {
  it('answer the same document again, and the next one after any change of the schedule', async () => {
    const url = `/v1/events/${ev.id}/sessions?include=speakers&sort=title`;
    const first = expectStatus(await get(t, url), 200, 'first read');
    expect(first.headers['content-type']).toMatch(/^application\/vnd\.api\+json/);
    expect(titles(first)).toEqual(['Opening']);
    expect(first.body.included.map((x: any) => x.attributes.name)).toEqual(['Grace Hopper']);
    expect((await get(t, url)).text).toBe(first.text);

    await patch(t, owner.token, '/v1/sessions', 'session', accepted.id, { title: 'Opening keynote' });
    expect(titles(await get(t, url))).toEqual(['Opening keynote']);
    const added = await createSession(t, owner.token, ev, { title: 'Closing', state: 'confirmed' });
    expect(titles(await get(t, url))).toEqual(['Closing', 'Opening keynote']);
    await t.request({ method: 'DELETE', url: `/v1/sessions/${added.id}`, token: owner.token });
    expect(titles(await get(t, url))).toEqual(['Opening keynote']);
  });

  it('are never what a signed-in reader gets: the team still sees its drafts', async () => {
    const url = `/v1/events/${ev.id}/sessions?sort=title`;
    expect(titles(await get(t, url))).not.toContain('Still a draft');
    expect(titles(await get(t, url, owner.token))).toContain('Still a draft');
    // And the anonymous answer did not become the team's.
    expect(titles(await get(t, url))).not.toContain('Still a draft');
  });

  it('stop answering once the event is no longer public, though the list was kept', async () => {
    const other = await createPublishedEvent(t, owner.token, { name: 'Soon private' });
    await createSession(t, owner.token, other, { title: 'Public for now', state: 'accepted' });
    const url = `/v1/events/${other.id}/sessions`;
    expect(titles(await get(t, url))).toEqual(['Public for now']);
    await patch(t, owner.token, '/v1/events', 'event', other.id, { privacy: 'private' });
    expect((await get(t, url)).status).toBe(404);
  });

  it('come compressed as the client asks, the same document inside', async () => {
    const url = `/v1/events/${ev.id}/sessions?include=speakers`;
    const plain = await get(t, url);
    const br = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.text);
    const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.text);
  });

  it('of rows outside the schedule (sponsors) show a change at once too', async () => {
    const url = `/v1/events/${ev.id}/sponsors`;
    const before = expectStatus(await get(t, url), 200, 'sponsors');
    const created = await t.request({
      method: 'POST',
      url: '/v1/sponsors',
      token: owner.token,
      json: body('sponsor', { name: 'Fossasia', level: 1 }, { event: rel('event', ev.id) }),
    });
    expectStatus(created, 201, 'POST /v1/sponsors');
    const after = expectStatus(await get(t, url), 200, 'sponsors');
    expect(after.body.data.length).toBe(before.body.data.length + 1);
  });

  it('keep the answers of a bad query its own: an error, not a list', async () => {
    const bad = await get(t, `/v1/events/${ev.id}/sessions?sort=no-such-field`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toBeDefined();
  });
});
