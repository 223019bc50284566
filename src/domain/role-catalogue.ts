// The roles a person can hold in an event, as OES lists them at /v1/roles (name and title). In OES they
// are rows an installation seeds once; openevent's roles are fixed, so the list is too, with the ids a
// freshly seeded OES gives them (its populate order), so that clients which remember an id keep working.
import { NotFoundError } from './errors.ts';
import type { RoleName } from './roles.ts';

export interface RoleKind {
  id: number;
  name: RoleName;
  titleName: string;
}

export const ROLE_CATALOGUE: readonly RoleKind[] = [
  { id: 1, name: 'organizer', titleName: 'Organizer' },
  { id: 2, name: 'coorganizer', titleName: 'Co-Organizer' },
  { id: 3, name: 'owner', titleName: 'Owner' },
  { id: 4, name: 'track_organizer', titleName: 'Track Organizer' },
  { id: 5, name: 'moderator', titleName: 'Moderator' },
  { id: 6, name: 'registrar', titleName: 'Registrar' },
];

export function roleKindById(id: number): RoleKind {
  const found = ROLE_CATALOGUE.find((kind) => kind.id === id);
  if (!found) throw new NotFoundError(`No role ${id}`);
  return found;
}

export function roleKindOf(name: string): RoleKind | undefined {
  return ROLE_CATALOGUE.find((kind) => kind.name === name);
}
