// A ticket's `discount-codes` and `access-codes`, as OES links them: the live codes that name the ticket.
// Codes are the event team's business (buyers only check a code they were given, by the code), so the
// team sees which they are and may include or follow them; anyone else gets the links only.
import { codeIdsOfTickets } from '../domain/codes.ts';
import { visibleRows } from '../domain/event-child/read.ts';
import { accessCodeResource, discountCodeResource } from './codes.ts';
import type { OuterRelationship } from './resource/definition.ts';
import { serializeFor } from './resource/serialization.ts';

export function codesOfTicket(kind: 'discount' | 'access'): OuterRelationship {
  return {
    type: `${kind}-code`,
    many: true,
    async ids(viewer, rows) {
      if (!viewer.access.isTeam) return null;
      const found = await codeIdsOfTickets(viewer.db, kind, rows.map((row) => row.id));
      return new Map([...found].map(([ticketId, codeIds]) => [ticketId, codeIds.map(String)]));
    },
    async resources(viewer, ids) {
      const resource = kind === 'discount' ? discountCodeResource : accessCodeResource;
      const rows = await visibleRows(viewer.db, resource.model, ids.map(Number), viewer.access);
      return (await serializeFor(viewer, resource, rows)).data;
    },
  };
}
