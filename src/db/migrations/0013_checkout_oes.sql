-- Checkout as OES's web client does it (issue 14). Orders start "initializing" — free ones too — and
-- hold their tickets until the buyer sends the attendee form (then completed, or pending for a paid
-- order) or the order expires; so the expiry job and the per-buyer cap scan both unfinished states.
ALTER TABLE "orders" DROP CONSTRAINT "orders_status";
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_status" CHECK (status IN ('initializing', 'pending', 'completed', 'cancelled', 'expired'));
--> statement-breakpoint
DROP INDEX "orders_pending_expiry";
--> statement-breakpoint
CREATE INDEX "orders_unfinished_expiry" ON "orders" USING btree ("expires_at") WHERE status IN ('initializing', 'pending');
--> statement-breakpoint
DROP INDEX "orders_pending_buyer";
--> statement-breakpoint
CREATE INDEX "orders_unfinished_buyer" ON "orders" USING btree ("user_id","event_id") WHERE status IN ('initializing', 'pending');
--> statement-breakpoint
-- The buyer's billing details (OES's order attributes), asked when billing is enabled.
ALTER TABLE "orders" ADD COLUMN "is_billing_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "company" text;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_business_info" text;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "address" text;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "city" text;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "state" text;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "zipcode" text;
--> statement-breakpoint
-- OES's client's ticket types: each "…Registration" type is priced as its plain type.
ALTER TABLE "tickets" DROP CONSTRAINT "tickets_type";
--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_type" CHECK (type IN ('free', 'paid', 'donation', 'freeRegistration', 'paidRegistration', 'donationRegistration'));
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "form_id" text;
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "badge_id" text;
--> statement-breakpoint
-- The offline payment modes an event offers (OES's can-pay-by-* flags); IF NOT EXISTS because the
-- event's own attributes add the same columns.
ALTER TABLE "events" ADD COLUMN IF NOT EXISTS "can_pay_by_bank" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN IF NOT EXISTS "can_pay_by_cheque" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN IF NOT EXISTS "can_pay_onsite" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- The attendee form's profile and consent fields (OES's ticket holder).
ALTER TABLE "attendees" ADD COLUMN "job_title" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "phone" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "company" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "tax_business_info" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "billing_address" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "home_address" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "shipping_address" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "work_address" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "work_phone" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "website" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "blog" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "twitter" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "facebook" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "github" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "instagram" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "linkedin" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "gender" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "age_group" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "birth_date" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "home_wiki" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "wiki_scholarship" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "native_language" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "fluent_language" text;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "accept_video_recording" boolean;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "accept_share_details" boolean;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "accept_receive_emails" boolean;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "is_consent_of_refund_policy" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "is_consent_form_field" boolean;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "is_consent_form_field_photo" boolean;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "is_consent_form_field_email" boolean;
--> statement-breakpoint
ALTER TABLE "attendees" ADD COLUMN "complex_field_values" jsonb;
