ALTER TABLE "events" ADD COLUMN "after_order_message" text;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "public_stream_link" text;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "stream_loop" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "stream_autoplay" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "show_remaining_tickets" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_oneclick_signup_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_featured" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_promoted" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_demoted" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_announced" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_ticket_form_enabled" boolean DEFAULT true NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_cfs_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_badges_enabled" boolean DEFAULT true NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_videoroom_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_chat_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_billing_info_mandatory" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_donation_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_document_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "document_links" jsonb;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "is_tax_enabled" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "payment_country" text;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "paypal_email" text;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_by_paypal" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_by_stripe" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_by_cheque" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_by_bank" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_by_invoice" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_onsite" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_by_omise" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_by_alipay" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "can_pay_by_paytm" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "cheque_details" text;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "invoice_details" text;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "bank_details" text;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "onsite_details" text;
--> statement-breakpoint
-- The web client unpublishes a schedule by sending the epoch; openevent keeps that as "not published" (null).
UPDATE "events" SET "schedule_published_on" = NULL WHERE "schedule_published_on" = 'epoch';
--> statement-breakpoint
CREATE INDEX "events_upcoming" ON "events" USING btree ("starts_at") WHERE state = 'published' AND privacy = 'public' AND deleted_at IS NULL;
