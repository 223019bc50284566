// Image uploads as OES's web client makes them (its image-upload widget): POST /v1/upload/image with a
// base64 data: URL, then the answered URL saved as a logo or photo and shown in pages.
import { beforeAll, describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { DAILY_UPLOADS } from '../../src/domain/uploads.ts';

let t: TestApp;
let user: { id: number; token: string };

beforeAll(async () => {
  t = await startTestApp();
  user = await signUp(t);
});

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND), so the bytes are what a browser would send. */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dataUrl = (mediaType: string, bytes: Buffer) => `data:${mediaType};base64,${bytes.toString('base64')}`;

/** As the client's loader sends it: plain JSON with the token. */
const upload = (data: unknown, token: string | null = user.token) =>
  t.request({
    method: 'POST',
    url: '/v1/upload/image',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
    payload: JSON.stringify({ data }),
  });

describe('POST /v1/upload/image', () => {
  it('keeps a PNG and answers the URL it is served at, byte for byte, with its type and a long cache', async () => {
    const png = tinyPng();
    const answer = await upload(dataUrl('image/png', png));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ url: expect.stringMatching(/^https?:\/\/.+\/v1\/uploads\/upload-[0-9a-f-]{36}\.png$/) });
    const path = new URL(answer.body.url).pathname;
    const served = await t.app.inject({ method: 'GET', url: path });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toContain('immutable');
    expect(served.rawPayload.equals(png)).toBe(true);
    // Anyone may load it (it is on public pages), and a browser that has it revalidates for free.
    const again = await t.app.inject({ method: 'GET', url: path, headers: { 'if-none-match': served.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('saves the answered URL as a logo the way the client does, and shows it back', async () => {
    const { url } = (await upload(dataUrl('image/png', tinyPng()))).body;
    const created = await t.request({
      method: 'PATCH',
      url: `/v1/users/${user.id}`,
      token: user.token,
      json: { data: { type: 'user', id: String(user.id), attributes: { 'avatar-url': url } } },
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body.data.attributes['avatar-url']).toBe(url);
  });

  it('refuses the anonymous (401)', async () => {
    const answer = await upload(dataUrl('image/png', tinyPng()), null);
    expect(answer.status).toBe(401);
    expect(answer.body.errors[0].status).toBe('401');
  });

  it.each([
    ['an SVG (a script when served from our origin)', dataUrl('image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))],
    ['HTML labelled as a PNG', dataUrl('image/png', Buffer.from('<html><script>alert(1)</script></html>'))],
    ['a text file', dataUrl('text/plain', Buffer.from('hello'))],
    ['no data: URL at all', 'https://example.org/logo.png'],
    ['broken base64', 'data:image/png;base64,***'],
    ['an empty image', 'data:image/png;base64,'],
  ])('refuses %s with a 422 naming data', async (_what, data) => {
    const answer = await upload(data);
    expect(answer.status, answer.text).toBe(422);
    expect(answer.body.errors[0]).toMatchObject({ status: '422', source: { pointer: '/data' } });
  });

  it('refuses a body whose data is not text (422 at /data)', async () => {
    const answer = await upload(42);
    expect(answer.status, answer.text).toBe(422);
    expect(answer.body.errors[0]).toMatchObject({ status: '422', source: { pointer: '/data' } });
  });

  it('refuses an image larger than the limit (413 or 422), keeping nothing', async () => {
    const big = Buffer.concat([tinyPng(), Buffer.alloc(6 * 1024 * 1024)]);
    const answer = await upload(dataUrl('image/png', big));
    expect([413, 422]).toContain(answer.status);
    expect(answer.body.errors).toBeDefined();
  });

  it('serves nothing for keys that are not uploads (404), whatever the path tries', async () => {
    for (const key of ['nothing', 'upload-00000000-0000-0000-0000-000000000000.png', '..%2F..%2Fsecret-key', 'upload-x.svg']) {
      const answer = await t.app.inject({ method: 'GET', url: `/v1/uploads/${key}` });
      expect(answer.statusCode, key).toBe(404);
    }
  });

  it('holds each person to a daily allowance (429 with Retry-After), others unaffected', async () => {
    const heavy = await signUp(t);
    const png = dataUrl('image/png', tinyPng());
    for (let i = 0; i < DAILY_UPLOADS; i++) expect((await upload(png, heavy.token)).status).toBe(200);
    const refused = await upload(png, heavy.token);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await upload(png)).status).toBe(200);
  });
});
