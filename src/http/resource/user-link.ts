// A relationship to the user behind a row (a session's creator, a speaker's account). The event's
// team sees who it is and may include them; anyone else gets the links only, so accounts are not
// exposed through the public schedule.
import type { RowOf } from '../../domain/event-child/model.ts';
import { findUserById, roleFlagsOf, type User } from '../../domain/users.ts';
import type { ResourceObject } from '../jsonapi/document.ts';
import { userResource } from '../users.ts';
import type { OuterRelationship } from './definition.ts';

export function userLink(column: string, options: { writable: boolean }): OuterRelationship {
  return {
    type: 'user',
    many: false,
    ...(options.writable ? { column } : {}),
    async ids(viewer, rows) {
      if (!viewer.access.isTeam) return null;
      const ids = new Map<number, string[]>();
      for (const row of rows) {
        const value = (row as RowOf & Record<string, unknown>)[column];
        ids.set(row.id, typeof value === 'number' ? [String(value)] : []);
      }
      return ids;
    },
    async resources(viewer, ids) {
      const users: User[] = [];
      for (const id of ids) {
        const user = await findUserById(viewer.db, Number(id));
        if (user) users.push(user);
      }
      const roles = await roleFlagsOf(viewer.db, users.map((user) => user.id));
      return users.map((user): ResourceObject => userResource(user, roles.get(user.id)!));
    },
  };
}
