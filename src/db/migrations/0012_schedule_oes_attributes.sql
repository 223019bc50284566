ALTER TABLE "microlocations" ADD COLUMN "is_chat_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "microlocations" ADD COLUMN "is_global_event_room" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "website" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "twitter" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "facebook" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "github" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "gitlab" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "linkedin" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "instagram" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "mastodon" text;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "slides" jsonb;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "complex_field_values" jsonb;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "thumbnail_image_url" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "small_image_url" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "icon_image_url" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "speaking_experience" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "location" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "address" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "facebook" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "instagram" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "mastodon" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "is_email_overridden" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "heard_from" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "sponsorship_required" text;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "order" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "complex_field_values" jsonb;
--> statement-breakpoint
ALTER TABLE "speakers" ADD COLUMN "speaker_positions" jsonb;
