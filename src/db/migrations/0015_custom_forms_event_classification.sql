CREATE TABLE "custom_forms" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "custom_forms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"form" text NOT NULL,
	"field_identifier" text NOT NULL,
	"type" text DEFAULT 'text' NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"is_required" boolean DEFAULT false NOT NULL,
	"is_included" boolean DEFAULT false NOT NULL,
	"is_fixed" boolean DEFAULT false NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"is_complex" boolean DEFAULT false NOT NULL,
	"is_allow_edit" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"form_id" text,
	"min" integer DEFAULT 0,
	"max" integer DEFAULT 10,
	"main_language" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "custom_forms" ADD CONSTRAINT "custom_forms_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "custom_forms_event" ON "custom_forms" USING btree ("event_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "custom_forms_field_unique" ON "custom_forms" USING btree ("event_id","form","field_identifier","form_id") WHERE deleted_at IS NULL;
--> statement-breakpoint
INSERT INTO "custom_forms" ("event_id", "form", "field_identifier", "type", "name", "is_required", "is_included", "is_fixed")
SELECT e.id, 'attendee', f.identifier, f.type, f.name, true, true, true
FROM "events" e
CROSS JOIN (VALUES ('firstname', 'text', 'First Name', 1), ('lastname', 'text', 'Last Name', 2), ('email', 'email', 'Email', 3)) AS f(identifier, type, name, n)
ORDER BY e.id, f.n;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "event_type_id" integer;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "event_topic_id" integer;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "event_sub_topic_id" integer;
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_event_type_id_event_types_id_fk" FOREIGN KEY ("event_type_id") REFERENCES "public"."event_types"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_event_topic_id_event_topics_id_fk" FOREIGN KEY ("event_topic_id") REFERENCES "public"."event_topics"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_event_sub_topic_id_event_sub_topics_id_fk" FOREIGN KEY ("event_sub_topic_id") REFERENCES "public"."event_sub_topics"("id") ON DELETE set null ON UPDATE no action;
