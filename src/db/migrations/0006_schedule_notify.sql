-- Every change to an event row (its schedule version, state, privacy, deletion) is announced on the
-- channel openevent_schedule with the event id, delivered when the transaction commits. API
-- processes listen, so their cached feed validators are dropped the moment a schedule changes.
CREATE OR REPLACE FUNCTION openevent_notify_schedule() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('openevent_schedule', NEW.id::text);
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER events_notify_schedule AFTER UPDATE ON events FOR EACH ROW EXECUTE FUNCTION openevent_notify_schedule();
