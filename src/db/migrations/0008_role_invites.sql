CREATE TABLE "role_invites" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "role_invites_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"role_name" text NOT NULL,
	"event_id" integer NOT NULL,
	"hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"invited_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "role_invites" ADD CONSTRAINT "role_invites_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_invites" ADD CONSTRAINT "role_invites_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_invites_hash" ON "role_invites" USING btree ("hash");--> statement-breakpoint
CREATE UNIQUE INDEX "role_invites_pending" ON "role_invites" USING btree ("event_id","email","role_name") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "role_invites_event" ON "role_invites" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "role_invites_email" ON "role_invites" USING btree ("email");
