-- A buyer may hold at most this many tickets of an event in pending (unpaid) orders, so one buyer
-- cannot hold a ticket type's whole stock until their orders expire.
ALTER TABLE "events" ADD COLUMN "max_pending_tickets_per_buyer" integer DEFAULT 20 NOT NULL;
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_max_pending_tickets_per_buyer" CHECK (max_pending_tickets_per_buyer > 0);
--> statement-breakpoint
-- What the cap check sums on every paid order: one buyer's pending orders in one event.
CREATE INDEX "orders_pending_buyer" ON "orders" USING btree ("user_id","event_id") WHERE status = 'pending';
