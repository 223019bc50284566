// The typed resource factory: a resource's attributes and relationships name columns of its own table,
// checked by TypeScript (the @ts-expect-error lines below fail `npm test`'s tsc run if a wrong name
// stops being an error) and, for what types cannot see, when the definition is made.
import { describe, expect, it } from 'vitest';
import { sessionSpeakers, sessions } from '../../../src/db/schema/index.ts';
import { columnsOf, linkTable, type ChildModel } from '../../../src/domain/event-child/model.ts';
import { sessionModel } from '../../../src/domain/schedule/sessions.ts';
import { trackModel } from '../../../src/domain/schedule/tracks.ts';
import { eventChild } from '../../../src/http/resource/definition.ts';
import { SCHEDULE_RESOURCES } from '../../../src/http/schedule.ts';

describe('a resource definition', () => {
  it('names only columns of its table: a typo is a type error', () => {
    const typo = () =>
      eventChild({
        model: trackModel,
        plural: 'tracks',
        // @ts-expect-error -- "nmae" is not a column of tracks
        attributes: { name: { column: 'nmae', kind: 'text' } },
        relationships: {},
      });
    const foreignColumn = () =>
      eventChild({
        model: trackModel,
        plural: 'tracks',
        // @ts-expect-error -- a session's column, not a track's
        attributes: { title: { column: 'title', kind: 'text' } },
        relationships: {},
      });
    const relationship: ChildModel<typeof sessions> = {
      ...sessionModel,
      // @ts-expect-error -- the foreign key is trackId
      relationships: { track: { kind: 'one', column: 'trackid', target: () => trackModel } },
    };
    // @ts-expect-error -- the link table has sessionId and speakerId
    const link = () => linkTable(sessionSpeakers, 'sessionId', 'speaker_id');
    expect([typo, foreignColumn, link, relationship]).toHaveLength(4);
  });

  it('must give a resource for every relationship of its model, and no other', () => {
    expect(() => eventChild({ model: sessionModel, plural: 'sessions', attributes: {}, relationships: {} })).toThrow(
      /relationships \[\] do not match the model's \[microlocation,session-type,speakers,track\]/,
    );
    // Tracks have sessions (OES's relationship, issue 13); speakers they have not.
    expect(() => eventChild({ model: trackModel, plural: 'tracks', attributes: {}, relationships: { speakers: () => SCHEDULE_RESOURCES[4] } })).toThrow(
      /do not match/,
    );
  });
});

describe('the schedule resources', () => {
  for (const resource of SCHEDULE_RESOURCES) {
    const { model } = resource;
    it(`${model.type}: every attribute is a column of its table, or a value the resource computes`, () => {
      const columns = { ...columnsOf(model), ...resource.computed?.({} as never, {} as never) };
      for (const [name, spec] of Object.entries(resource.attributes)) expect(columns, name).toHaveProperty([spec.column]);
    });

    it(`${model.type}: each relationship's resource is of the model's target`, () => {
      for (const [name, relationship] of Object.entries(model.relationships)) {
        expect(resource.relationships[name]!().model, name).toBe(relationship.target());
        if (relationship.kind === 'one') expect(columnsOf(model), name).toHaveProperty([relationship.column]);
      }
    });
  }
});
