ALTER TABLE "users" ADD COLUMN "is_verified" boolean DEFAULT true NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_super_admin" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_sales_admin" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_marketer" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_blocked" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_profile_public" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "was_registered_with_order" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "public_name" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "avatar_url" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "details" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "contact" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "language_prefrence" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "facebook_url" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "twitter_url" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "instagram_url" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "google_plus_url" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_contact_name" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_phone" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_state" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_country" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_tax_info" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "company" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_address" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_city" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_zip_code" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_additional_info" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_accessed_at" timestamp with time zone;
--> statement-breakpoint
CREATE TABLE "account_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"purpose" text NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_tokens_purpose" CHECK ("account_tokens"."purpose" IN ('verify-email', 'reset-password'))
);
--> statement-breakpoint
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "account_tokens_user_idx" ON "account_tokens" USING btree ("user_id","purpose");
--> statement-breakpoint
CREATE INDEX "account_tokens_expires_at_idx" ON "account_tokens" USING btree ("expires_at");
