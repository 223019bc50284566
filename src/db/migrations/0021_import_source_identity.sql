-- Where an imported record came from: the frab guid, iCalendar UID or name it had in the imported file, so a
-- later import of the same schedule updates it in place instead of adding a twin. Unique per event.
ALTER TABLE "tracks" ADD COLUMN "source_id" text;
--> statement-breakpoint
ALTER TABLE "microlocations" ADD COLUMN "source_id" text;
--> statement-breakpoint
ALTER TABLE "session_types" ADD COLUMN "source_id" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "source_id" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "source_id" text;
--> statement-breakpoint
CREATE UNIQUE INDEX "tracks_source" ON "tracks" USING btree ("event_id","source_id") WHERE source_id IS NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "microlocations_source" ON "microlocations" USING btree ("event_id","source_id") WHERE source_id IS NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "session_types_source" ON "session_types" USING btree ("event_id","source_id") WHERE source_id IS NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "speakers_source" ON "speakers" USING btree ("event_id","source_id") WHERE source_id IS NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_source" ON "sessions" USING btree ("event_id","source_id") WHERE source_id IS NOT NULL;
