// What OES answers to a successful DELETE (200, not 204): its web client reads the body.
import { JSONAPI } from './document.ts';
import { Type } from 'typebox';

export function deletedDocument() {
  return { meta: { message: 'Object successfully deleted' }, jsonapi: JSONAPI };
}

export const DeletedResponse = Type.Object({
  meta: Type.Object({ message: Type.String() }),
  jsonapi: Type.Object({ version: Type.String() }),
});
