CREATE TABLE "speakers_calls" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "speakers_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"announcement" text,
	"starts_at" timestamp with time zone NOT NULL,
	"soft_ends_at" timestamp with time zone,
	"ends_at" timestamp with time zone NOT NULL,
	"hash" text,
	"privacy" text DEFAULT 'public' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "speakers_calls_privacy" CHECK (privacy IN ('public', 'private')),
	CONSTRAINT "speakers_calls_dates" CHECK (ends_at > starts_at)
);
--> statement-breakpoint
ALTER TABLE "speakers_calls" ADD CONSTRAINT "speakers_calls_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "speakers_calls_one_per_event" ON "speakers_calls" USING btree ("event_id") WHERE deleted_at IS NULL;
