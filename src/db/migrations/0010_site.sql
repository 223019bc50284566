CREATE TABLE "site_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"values" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "site_settings_single_row" CHECK ("site_settings"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "site_settings" ("id") VALUES (1);
--> statement-breakpoint
CREATE TABLE "pages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"title" text,
	"url" text NOT NULL,
	"description" text,
	"place" text,
	"language" text,
	"index" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_types" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_types_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"slug" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_topics" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_topics_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"system_image_url" text
);
--> statement-breakpoint
CREATE TABLE "event_sub_topics" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_sub_topics_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"event_topic_id" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_sub_topics" ADD CONSTRAINT "event_sub_topics_event_topic_id_event_topics_id_fk" FOREIGN KEY ("event_topic_id") REFERENCES "public"."event_topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_types_slug" ON "event_types" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "event_topics_slug" ON "event_topics" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "event_sub_topics_slug" ON "event_sub_topics" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "event_sub_topics_topic" ON "event_sub_topics" USING btree ("event_topic_id");
