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
--> statement-breakpoint
CREATE TABLE "import_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"event_id" integer,
	"format" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"creates_event" boolean DEFAULT false NOT NULL,
	"storage_key" text NOT NULL,
	"state" text DEFAULT 'PENDING' NOT NULL,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer DEFAULT 0 NOT NULL,
	"summary" jsonb,
	"error" text,
	"job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "import_tasks" ADD CONSTRAINT "import_tasks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "import_tasks" ADD CONSTRAINT "import_tasks_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "import_tasks_created" ON "import_tasks" USING btree ("created_at");
