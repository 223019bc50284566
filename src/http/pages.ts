// /v1/pages as OES has them: the site's static pages, listed by anyone, written by admins.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PAGE_LIST, createPage, deletePage, findPage, listPages, updatePage, type Page } from '../domain/pages.ts';
import { attributesOf, collectionDocument, singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { parseListQuery } from '../domain/list-query.ts';
import { DeletedResponse, deletedDocument } from './jsonapi/deleted.ts';
import {
  ErrorDocument,
  IdString,
  ListQuerystring,
  Nullable,
  collectionResponse,
  expectSameId,
  expectType,
  resourceBody,
  resourceObject,
  singleResponse,
} from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const tags = ['pages'];
const Text = (maxLength: number) => Type.String({ maxLength });

const PageResource = resourceObject('page', {
  name: Type.String(),
  title: Nullable(Type.String()),
  url: Type.String(),
  description: Nullable(Type.String()),
  place: Nullable(Type.String()),
  language: Nullable(Type.String()),
  index: Type.Integer(),
});

const PageBody = resourceBody({
  attributes: {
    name: Type.Optional(Text(200)),
    title: Type.Optional(Nullable(Text(500))),
    url: Type.Optional(Text(2000)),
    description: Type.Optional(Nullable(Text(100_000))),
    place: Type.Optional(Nullable(Text(20))),
    language: Type.Optional(Nullable(Text(100))),
    index: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
  },
});

const Params = Type.Object({ id: IdString });

function pageResource(page: Page): ResourceObject {
  return {
    type: 'page',
    id: String(page.id),
    attributes: attributesOf(page, ['name', 'title', 'url', 'description', 'place', 'language', 'index']),
    links: { self: `/v1/pages/${page.id}` },
  };
}

export async function pageRoutes(parent: FastifyInstance, { db }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/v1/pages',
    {
      schema: {
        summary: 'The site pages, in index order',
        tags,
        querystring: ListQuerystring,
        response: { 200: collectionResponse(PageResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, PAGE_LIST);
      const { rows, total } = await listPages(db, query);
      return collectionDocument(rows.map(pageResource), { count: total, page: query.page, url: request.url });
    },
  );

  app.get(
    '/v1/pages/:id',
    {
      schema: { summary: 'A site page', tags, params: Params, response: { 200: singleResponse(PageResource), '4xx': ErrorDocument } },
    },
    async (request) => singleDocument(pageResource(await findPage(db, Number(request.params.id)))),
  );

  app.post(
    '/v1/pages',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Create a site page (admins only)',
        tags,
        body: PageBody,
        response: { 201: singleResponse(PageResource), '4xx': ErrorDocument },
      },
    },
    async (request, reply) => {
      const { data } = request.body;
      expectType(data, 'page');
      const page = await createPage(db, requireUser(request), data.attributes ?? {});
      return reply.code(201).header('location', `/v1/pages/${page.id}`).send(singleDocument(pageResource(page)));
    },
  );

  app.patch(
    '/v1/pages/:id',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Change a site page (admins only)',
        tags,
        params: Params,
        body: PageBody,
        response: { 200: singleResponse(PageResource), '4xx': ErrorDocument },
      },
    },
    async (request) => {
      const { data } = request.body;
      expectType(data, 'page');
      expectSameId(data, 'page', request.params.id);
      const page = await updatePage(db, requireUser(request), Number(request.params.id), data.attributes ?? {});
      return singleDocument(pageResource(page));
    },
  );

  app.delete(
    '/v1/pages/:id',
    {
      config: { signedIn: true },
      schema: { summary: 'Delete a site page (admins only)', tags, params: Params, response: { 200: DeletedResponse, '4xx': ErrorDocument } },
    },
    async (request) => {
      await deletePage(db, requireUser(request), Number(request.params.id));
      return deletedDocument();
    },
  );
}
