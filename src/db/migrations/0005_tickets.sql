CREATE TABLE "attendees" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "attendees_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"ticket_id" integer NOT NULL,
	"firstname" text NOT NULL,
	"lastname" text NOT NULL,
	"email" text NOT NULL,
	"address" text,
	"city" text,
	"state" text,
	"country" text,
	"attendee_notes" text,
	"is_checked_in" boolean DEFAULT false NOT NULL,
	"checkin_times" timestamp with time zone[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_tickets" (
	"order_id" integer NOT NULL,
	"ticket_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	CONSTRAINT "order_tickets_order_id_ticket_id_pk" PRIMARY KEY("order_id","ticket_id"),
	CONSTRAINT "order_tickets_quantity" CHECK (quantity > 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"identifier" uuid NOT NULL,
	"event_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"status" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text,
	"payment_mode" text,
	"paid_via" text,
	"order_notes" text,
	"country" text,
	"expires_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status" CHECK (status IN ('pending', 'completed', 'cancelled', 'expired')),
	CONSTRAINT "orders_amount" CHECK (amount_minor >= 0)
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tickets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"type" text NOT NULL,
	"price_minor" bigint DEFAULT 0 NOT NULL,
	"min_price_minor" bigint,
	"max_price_minor" bigint,
	"quantity" integer NOT NULL,
	"sold_count" integer DEFAULT 0 NOT NULL,
	"sales_starts_at" timestamp with time zone,
	"sales_ends_at" timestamp with time zone,
	"min_order" integer DEFAULT 1 NOT NULL,
	"max_order" integer DEFAULT 10 NOT NULL,
	"is_hidden" boolean DEFAULT false NOT NULL,
	"is_description_visible" boolean DEFAULT true NOT NULL,
	"is_fee_absorbed" boolean DEFAULT false NOT NULL,
	"is_checkin_restricted" boolean DEFAULT false NOT NULL,
	"auto_checkin_enabled" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "tickets_sold_within_quantity" CHECK (sold_count >= 0 AND sold_count <= quantity),
	CONSTRAINT "tickets_type" CHECK (type IN ('free', 'paid', 'donation')),
	CONSTRAINT "tickets_prices" CHECK (price_minor >= 0 AND (min_price_minor IS NULL OR min_price_minor >= 0))
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "order_expiry_time" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "attendees" ADD CONSTRAINT "attendees_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendees" ADD CONSTRAINT "attendees_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendees" ADD CONSTRAINT "attendees_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_tickets" ADD CONSTRAINT "order_tickets_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_tickets" ADD CONSTRAINT "order_tickets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendees_event" ON "attendees" USING btree ("event_id","id");--> statement-breakpoint
CREATE INDEX "attendees_order" ON "attendees" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_tickets_ticket" ON "order_tickets" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_identifier" ON "orders" USING btree ("identifier");--> statement-breakpoint
CREATE INDEX "orders_event" ON "orders" USING btree ("event_id","id");--> statement-breakpoint
CREATE INDEX "orders_user" ON "orders" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "orders_pending_expiry" ON "orders" USING btree ("expires_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "tickets_event" ON "tickets" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_event_name" ON "tickets" USING btree ("event_id","name") WHERE deleted_at IS NULL;