// The C3VOC schedule JSON schema (../shared/standards/frab/schedule.schema.json, draft-06), the one the C3VOC
// validator runs on published schedule.json files, compiled once with ajv: what the frab JSON tests check an
// export against, as the Pentabarf tests check the XML against the XSD.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sharedPath } from '../support/shared.ts';

// ajv-formats is CommonJS: its default export is the plugin itself at run time.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const require = createRequire(import.meta.url);

let validate: ValidateFunction | null = null;

function compiled(): ValidateFunction {
  if (validate) return validate;
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  // The schema switches rules off by prefixing them with `$` (`$oneOf` on the conference dates and on a
  // session's logo) and keeps notes in `$todo`: annotations, not rules.
  ajv.addKeyword({ keyword: '$oneOf' });
  ajv.addKeyword({ keyword: '$todo' });
  // Not a JSON Schema format: the schema means a CSS colour, which schedule files write as #rrggbb (or #rgb).
  ajv.addFormat('color', /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/);
  validate = ajv.compile(JSON.parse(readFileSync(sharedPath('standards', 'frab', 'schedule.schema.json'), 'utf8')));
  return validate;
}

/** The schema's complaints about a parsed schedule.json, one line each (none when it is valid). */
export function frabJsonErrors(document: unknown): string[] {
  const check = compiled();
  if (check(document)) return [];
  return (check.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
}
