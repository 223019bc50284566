-- Discount codes and access codes (issue 17), as OES has them. used_count counts the tickets of
-- unfinished and completed orders that used a code; the CHECK refuses a count above tickets_number,
-- as tickets_sold_within_quantity does for tickets. Codes are unique per event, ignoring case (OES: CIText).
CREATE TABLE "discount_codes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "discount_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"code" text NOT NULL,
	"discount_url" text,
	"type" text NOT NULL,
	"value_scaled" bigint NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"tickets_number" integer,
	"used_count" integer DEFAULT 0 NOT NULL,
	"min_quantity" integer DEFAULT 1 NOT NULL,
	"max_quantity" integer,
	"valid_from" timestamp with time zone,
	"valid_till" timestamp with time zone,
	"used_for" text DEFAULT 'ticket' NOT NULL,
	"marketer_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "discount_codes_used_within_limit" CHECK (used_count >= 0 AND (tickets_number IS NULL OR used_count <= tickets_number)),
	CONSTRAINT "discount_codes_type" CHECK (type IN ('amount', 'percent')),
	CONSTRAINT "discount_codes_value" CHECK (value_scaled >= 0 AND (type <> 'percent' OR value_scaled <= 10000))
);
--> statement-breakpoint
CREATE TABLE "discount_code_tickets" (
	"discount_code_id" integer NOT NULL,
	"ticket_id" integer NOT NULL,
	CONSTRAINT "discount_code_tickets_discount_code_id_ticket_id_pk" PRIMARY KEY("discount_code_id","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "access_codes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "access_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"code" text NOT NULL,
	"access_url" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"tickets_number" integer,
	"used_count" integer DEFAULT 0 NOT NULL,
	"min_quantity" integer DEFAULT 1 NOT NULL,
	"max_quantity" integer,
	"valid_from" timestamp with time zone,
	"valid_till" timestamp with time zone,
	"marketer_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "access_codes_used_within_limit" CHECK (used_count >= 0 AND (tickets_number IS NULL OR used_count <= tickets_number))
);
--> statement-breakpoint
CREATE TABLE "access_code_tickets" (
	"access_code_id" integer NOT NULL,
	"ticket_id" integer NOT NULL,
	CONSTRAINT "access_code_tickets_access_code_id_ticket_id_pk" PRIMARY KEY("access_code_id","ticket_id")
);
--> statement-breakpoint
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "discount_codes" ADD CONSTRAINT "discount_codes_marketer_id_users_id_fk" FOREIGN KEY ("marketer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "discount_code_tickets" ADD CONSTRAINT "discount_code_tickets_discount_code_id_discount_codes_id_fk" FOREIGN KEY ("discount_code_id") REFERENCES "public"."discount_codes"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "discount_code_tickets" ADD CONSTRAINT "discount_code_tickets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "access_codes" ADD CONSTRAINT "access_codes_marketer_id_users_id_fk" FOREIGN KEY ("marketer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "access_code_tickets" ADD CONSTRAINT "access_code_tickets_access_code_id_access_codes_id_fk" FOREIGN KEY ("access_code_id") REFERENCES "public"."access_codes"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "access_code_tickets" ADD CONSTRAINT "access_code_tickets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "discount_codes_event_code" ON "discount_codes" USING btree ("event_id",lower("code")) WHERE deleted_at IS NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "access_codes_event_code" ON "access_codes" USING btree ("event_id",lower("code")) WHERE deleted_at IS NULL;
--> statement-breakpoint
CREATE INDEX "discount_code_tickets_ticket" ON "discount_code_tickets" USING btree ("ticket_id");
--> statement-breakpoint
CREATE INDEX "access_code_tickets_ticket" ON "access_code_tickets" USING btree ("ticket_id");
--> statement-breakpoint
-- What an order used: the codes, how many of its tickets each counted (given back when the order is let go), the discount.
ALTER TABLE "orders" ADD COLUMN "discount_code_id" integer;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount_uses" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount_minor" bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "access_code_id" integer;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "access_uses" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_discount_code_id_discount_codes_id_fk" FOREIGN KEY ("discount_code_id") REFERENCES "public"."discount_codes"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_access_code_id_access_codes_id_fk" FOREIGN KEY ("access_code_id") REFERENCES "public"."access_codes"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- The access codes a signed-in buyer has checked: OES's client unlocks hidden tickets with a code but
-- sends no code with the order, so the order finds the code the buyer checked.
CREATE TABLE "access_code_unlocks" (
	"user_id" integer NOT NULL,
	"access_code_id" integer NOT NULL,
	"unlocked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_code_unlocks_user_id_access_code_id_pk" PRIMARY KEY("user_id","access_code_id")
);
--> statement-breakpoint
ALTER TABLE "access_code_unlocks" ADD CONSTRAINT "access_code_unlocks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "access_code_unlocks" ADD CONSTRAINT "access_code_unlocks_access_code_id_access_codes_id_fk" FOREIGN KEY ("access_code_id") REFERENCES "public"."access_codes"("id") ON DELETE no action ON UPDATE no action;
