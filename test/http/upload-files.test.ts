// Document uploads as OES's web client makes them (its file-upload widget, for session slides and event
// documents): POST /v1/upload/files with the file as the multipart field "file", then the answered URL saved
// as the document's link and opened from the pages. Only an allow-list of document types, each checked by
// its bytes, up to the site's slide-size setting, from signed-in people.
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ZipFile } from 'yazl';
import { startTestApp, signUp, type TestApp } from '../support/app.ts';
import { quickUser } from '../support/schedule.ts';
import { queryRows } from '../support/tickets.ts';

let t: TestApp;
let user: { id: number; token: string };
let admin: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  user = await signUp(t);
  admin = await quickUser(t, { admin: true });
});

/** A zip of these entries, in order, each stored (uncompressed) or deflated. */
function zip(entries: [name: string, content: string, stored?: boolean][]): Promise<Buffer> {
  const file = new ZipFile();
  for (const [name, content, stored] of entries) file.addBuffer(Buffer.from(content), name, { compress: !stored });
  file.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    file.outputStream.on('error', reject);
  });
}

const OLE2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
const pdf = (extra = 0) => Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), Buffer.alloc(extra, 0x20), Buffer.from('\n%%EOF\n')]);
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(32)]);

interface Part {
  name: string;
  filename?: string;
  type?: string;
  content: Buffer | string;
}

/** A multipart/form-data body as a browser's FormData sends it. */
function multipart(parts: Part[]): { payload: Buffer; contentType: string } {
  const boundary = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
  const chunks = parts.flatMap((part) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}\r\n` +
        `${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`,
    ),
    Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content),
    Buffer.from('\r\n'),
  ]);
  return { payload: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

const send = (parts: Part[], token: string | null = user.token, query = '') => {
  const { payload, contentType } = multipart(parts);
  return t.app.inject({
    method: 'POST',
    url: `/v1/upload/files${query}`,
    headers: { 'content-type': contentType, ...(token ? { authorization: `JWT ${token}` } : {}) },
    payload,
  });
};
const json = (response: { body: string }) => JSON.parse(response.body);
const file = (filename: string, content: Buffer | string, type = 'application/octet-stream'): Part => ({ name: 'file', filename, type, content });

/** What the answered URL serves, fetched as a browser would. */
async function served(url: string) {
  return t.app.inject({ method: 'GET', url: new URL(url).pathname });
}

async function uploadsOf(userId: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t, sql`SELECT count(*)::int AS n FROM uploads WHERE user_id = ${userId}`);
  return Number(row!.n);
}

async function setSlideSize(kb: number) {
  const changed = await t.request({ method: 'PATCH', url: '/v1/settings', token: admin.token, json: { data: { type: 'setting', id: '1', attributes: { 'slide-size': kb } } } });
  expect(changed.status, changed.text).toBe(200);
}

describe('POST /v1/upload/files', () => {
  it('keeps a PDF sent as the field "file" and answers {"url"}, which serves it byte for byte, shown in the browser', async () => {
    const bytes = pdf(100);
    const answer = await send([file('slides.pdf', bytes, 'application/pdf')]);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const { url } = json(answer);
    expect(url).toMatch(/^https?:\/\/.+\/v1\/uploads\/upload-[0-9a-f-]{36}\.pdf$/);
    const back = await served(url);
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(bytes)).toBe(true);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(back.headers['content-disposition']).toBeUndefined();
  });

  it('keeps every document type of the allow-list, checked by its bytes; office files are served for download', async () => {
    const documents: [string, Buffer | string, string, boolean][] = [
      ['talk.ppt', OLE2, 'application/vnd.ms-powerpoint', true],
      ['notes.doc', OLE2, 'application/msword', true],
      ['talk.pptx', await zip([['[Content_Types].xml', '<Types/>'], ['ppt/presentation.xml', '<p/>']]), 'application/vnd.openxmlformats-officedocument.presentationml.presentation', true],
      ['notes.docx', await zip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w/>']]), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', true],
      ['talk.odp', await zip([['mimetype', 'application/vnd.oasis.opendocument.presentation', true], ['content.xml', '<c/>']]), 'application/vnd.oasis.opendocument.presentation', true],
      ['notes.odt', await zip([['mimetype', 'application/vnd.oasis.opendocument.text', true], ['content.xml', '<c/>']]), 'application/vnd.oasis.opendocument.text', true],
      ['README.TXT', 'Thanks for coming! Grüße — 🎉\n', 'text/plain; charset=utf-8', false],
      ['recording.mp4', mp4, 'video/mp4', false],
    ];
    for (const [name, content, mediaType, download] of documents) {
      const answer = await send([file(name, content)]);
      expect(answer.statusCode, `${name}: ${answer.body}`).toBe(200);
      const back = await served(json(answer).url);
      expect(back.headers['content-type'], name).toBe(mediaType);
      expect(back.rawPayload.equals(Buffer.isBuffer(content) ? content : Buffer.from(content)), name).toBe(true);
      if (download) expect(back.headers['content-disposition'], name).toMatch(/^attachment; filename="upload-[0-9a-f-]{36}\.\w+"$/);
      else expect(back.headers['content-disposition'], name).toBeUndefined();
    }
  });

  it('takes OES’s API Blueprint request: a CSV as "file", with ?force_local=true (openevent has one storage)', async () => {
    const answer = await send([file('test.csv', 'name,level\nAda,keynote\n', 'text/csv')], user.token, '?force_local=true');
    expect(answer.statusCode, answer.body).toBe(200);
    const back = await served(json(answer).url);
    expect(back.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(back.headers['content-disposition']).toMatch(/^attachment/);
    expect(back.body).toBe('name,level\nAda,keynote\n');
  });

  it('takes several as "files[]" and answers their URLs in order, as OES', async () => {
    const answer = await send([
      { name: 'files[]', filename: 'a.pdf', content: pdf() },
      { name: 'files[]', filename: 'b.txt', content: 'second' },
    ]);
    expect(answer.statusCode, answer.body).toBe(200);
    const { url } = json(answer);
    expect(url).toHaveLength(2);
    expect(url[0]).toMatch(/\.pdf$/);
    expect((await served(url[1])).body).toBe('second');
  });

  it('refuses a type off the list, a name without extension, and bytes that are not what the name says (422 at the file), keeping nothing', async () => {
    const before = await uploadsOf(user.id);
    const refused: [Part, RegExp][] = [
      [file('page.html', '<html><script>alert(1)</script></html>', 'text/html'), /\.html is not accepted/],
      [file('image.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml'), /\.svg is not accepted/],
      [file('setup.exe', Buffer.from('MZ\x90\x00')), /\.exe is not accepted/],
      [file('slides', pdf()), /extension/],
      // HTML dressed as a PDF, a zip that is no presentation, binary dressed as text.
      [file('slides.pdf', '<html><script>alert(1)</script></html>', 'application/pdf'), /not a \.pdf document/],
      [file('talk.pptx', await zip([['index.html', '<html/>']])), /not a \.pptx document/],
      [file('talk.odp', await zip([['mimetype', 'application/vnd.oasis.opendocument.text', true]])), /not a \.odp document/],
      [file('notes.txt', Buffer.from([0x68, 0x69, 0x00, 0xff])), /not a \.txt document/],
      [file('empty.pdf', ''), /empty/],
    ];
    for (const [part, detail] of refused) {
      const answer = await send([part]);
      expect(answer.statusCode, part.filename).toBe(422);
      const [error] = json(answer).errors;
      expect(error, part.filename).toMatchObject({ status: '422', source: { pointer: '/file' } });
      expect(error.detail, part.filename).toMatch(detail);
    }
    // One bad file among several keeps none of them.
    const mixed = await send([
      { name: 'files[]', filename: 'ok.pdf', content: pdf() },
      { name: 'files[]', filename: 'bad.html', content: '<html/>' },
    ]);
    expect(mixed.statusCode).toBe(422);
    expect(json(mixed).errors[0].source).toEqual({ pointer: '/files[]/1' });
    expect(await uploadsOf(user.id)).toBe(before);
  });

  it('refuses a document over the slide-size setting (413), and any body over the hard limit', async () => {
    const before = await uploadsOf(user.id);
    await setSlideSize(2);
    try {
      const fits = await send([file('small.pdf', pdf(1900))]);
      expect(fits.statusCode, fits.body).toBe(200);
      const big = await send([file('big.pdf', pdf(2100))]);
      expect(big.statusCode, big.body).toBe(413);
      expect(json(big).errors[0]).toMatchObject({ status: '413', source: { pointer: '/file' } });
      expect(json(big).errors[0].detail).toMatch(/at most 2 KB/);
    } finally {
      await setSlideSize(20000);
    }
    const huge = await send([file('huge.pdf', pdf(51 * 1024 * 1024))]);
    expect(huge.statusCode).toBe(413);
    expect(json(huge).errors[0].status).toBe('413');
    expect(await uploadsOf(user.id)).toBe(before + 1);
  });

  it('refuses the anonymous and bad tokens (401), before keeping anything', async () => {
    const anonymous = await send([file('slides.pdf', pdf())], null);
    expect(anonymous.statusCode).toBe(401);
    expect(json(anonymous).errors[0].status).toBe('401');
    const forged = await send([file('slides.pdf', pdf())], 'not-a-token');
    expect(forged.statusCode).toBe(401);
  });

  it('a body that is not multipart is 415, a multipart body without "file" 400', async () => {
    const asJson = await t.request({ method: 'POST', url: '/v1/upload/files', token: user.token, json: { file: 'slides.pdf' } });
    expect(asJson.status).toBe(415);
    expect(asJson.body.errors[0].status).toBe('415');
    const noFile = await send([{ name: 'document', filename: 'slides.pdf', content: pdf() }]);
    expect(noFile.statusCode).toBe(400);
    expect(json(noFile).errors[0].detail).toMatch(/"file"/);
  });
});
