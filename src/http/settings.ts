// GET and PATCH /v1/settings, as OES answers them: one `setting` record (id 1) whose attributes
// depend on who asks (domain/settings.ts). OES's web client asks for it before drawing any page.
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { readSettings, updateSettings, SETTINGS, type SettingKind, type SettingSpec } from '../domain/settings.ts';
import { singleDocument, type ResourceObject } from './jsonapi/document.ts';
import { ErrorDocument, Nullable, expectSameId, expectType, resourceBody, resourceObject, singleResponse } from './jsonapi/schemas.ts';
import { requireUser } from './auth.ts';
import type { AppContext } from './context.ts';

const tags = ['settings'];

/** OES links its one settings record this way (docs/api/blueprint/settings.apib). */
const SELF = '/v1/settings?id=1';

const OUTPUT: Record<SettingKind, TSchema> = {
  string: Type.String(),
  url: Type.String(),
  email: Type.String(),
  integer: Type.Integer(),
  boolean: Type.Boolean(),
};

// As OES's schema takes them: integers and booleans also as strings; the domain checks the values.
const INPUT: Record<SettingKind, TSchema> = {
  string: Type.String({ maxLength: 10_000 }),
  url: Type.String({ maxLength: 2000 }),
  email: Type.String({ maxLength: 254 }),
  integer: Type.Union([Type.Integer(), Type.String({ maxLength: 20 })]),
  boolean: Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')]),
};

const specs = Object.entries(SETTINGS) as [string, SettingSpec][];
const SettingResource = resourceObject(
  'setting',
  Object.fromEntries(specs.map(([name, spec]) => [name, Type.Optional(Nullable(OUTPUT[spec.kind]))])),
);
const SettingAttributesIn = Object.fromEntries(
  specs.map(([name, spec]) => [name, Type.Optional(spec.computed ? Type.Unknown() : Nullable(INPUT[spec.kind]))]),
);

function settingResource(attributes: Record<string, unknown>): ResourceObject {
  return { type: 'setting', id: '1', attributes, links: { self: SELF } };
}

export async function settingRoutes(parent: FastifyInstance, { db, config }: AppContext) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const defaults = { frontendUrl: config.publicUrl };

  // OES answers both /v1/settings and /v1/settings/1; ember-data saves the record to the latter.
  const OneId = Type.Object({ id: Type.Literal('1') });

  for (const path of ['/v1/settings', '/v1/settings/:id']) {
    const params = path.endsWith(':id') ? { params: OneId } : {};
    app.get(
      path,
      {
        schema: {
          summary: 'The site settings: the public part for everyone, more for signed-in users and admins',
          tags,
          ...params,
          response: { 200: singleResponse(SettingResource), '4xx': ErrorDocument },
        },
      },
      async (request) => singleDocument(settingResource(await readSettings(db, request.user, defaults))),
    );

    app.patch(
      path,
      {
        config: { signedIn: true },
        schema: {
          summary: 'Change site settings (admins only)',
          tags,
          ...params,
          body: resourceBody({ attributes: SettingAttributesIn }),
          response: { 200: singleResponse(SettingResource), '4xx': ErrorDocument },
        },
      },
      async (request) => {
        const { data } = request.body;
        expectType(data, 'setting');
        expectSameId(data, 'setting', 1);
        const settings = await updateSettings(db, requireUser(request), data.attributes ?? {}, defaults);
        return singleDocument(settingResource(settings));
      },
    );
  }
}
