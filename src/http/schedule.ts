// The schedule's resources under /v1: tracks, rooms, session types, speakers and sessions, each built
// from its definition by the event-child route factory, what the session pages ask besides, and the
// organizers' notify action.
import type { FastifyInstance } from 'fastify';
import { registerEventChild } from './resource/routes.ts';
import { trackResource } from './tracks.ts';
import { microlocationResource } from './microlocations.ts';
import { sessionTypeResource } from './session-types.ts';
import { speakerResource } from './speakers.ts';
import { sessionResource } from './sessions.ts';
import type { AppContext } from './context.ts';
import { sessionFacetRoutes } from './session-facets.ts';
import { sessionNotifyRoutes } from './session-notify.ts';

export const SCHEDULE_RESOURCES = [trackResource, microlocationResource, sessionTypeResource, speakerResource, sessionResource];

export async function scheduleRoutes(app: FastifyInstance, context: AppContext) {
  for (const resource of SCHEDULE_RESOURCES) registerEventChild(app, context, resource);
  await sessionFacetRoutes(app, context);
  await sessionNotifyRoutes(app, context);
}
