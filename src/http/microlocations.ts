// Microlocations (/v1/microlocations): the rooms sessions take place in.
import { Type } from 'typebox';
import { microlocationModel } from '../domain/schedule/microlocations.ts';
import { Flag, Latitude, Longitude, Position, RequiredText, Text } from './resource/attributes.ts';
import { absent, eventChild, type EventChild } from './resource/definition.ts';
import { sessionResource } from './sessions.ts';

export const microlocationResource: EventChild<typeof microlocationModel.table, 'chatRoomName'> = eventChild({
  model: microlocationModel,
  plural: 'microlocations',
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(), required: true },
    floor: { column: 'floor', kind: 'integer', input: Type.Union([Type.Integer({ minimum: -1000, maximum: 1000 }), Type.Null()]) },
    room: { column: 'room', kind: 'text', input: Text(500) },
    latitude: { column: 'latitude', kind: 'number', input: Latitude },
    longitude: { column: 'longitude', kind: 'number', input: Longitude },
    position: { column: 'position', kind: 'integer', input: Position },
    'hidden-in-scheduler': { column: 'hiddenInScheduler', kind: 'boolean', input: Flag },
    'is-chat-enabled': { column: 'isChatEnabled', kind: 'boolean', input: Flag },
    'is-global-event-room': { column: 'isGlobalEventRoom', kind: 'boolean', input: Flag },
    // OES's chat rooms live on its Rocket.Chat integration, which openevent does not have.
    'chat-room-name': { column: 'chatRoomName', kind: 'text' },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: { sessions: () => sessionResource },
  outer: { 'video-stream': absent('video-stream', false) },
  computed: () => ({ chatRoomName: null }),
});
