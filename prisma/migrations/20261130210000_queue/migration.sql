-- A fair queue and force-release (issue #12). A borrow that asks to wait gets a ticket in
-- its pool's line; the seat a return, expiry, revocation or bigger budget frees goes to the
-- head of the line in the same transaction. tools.queued counts the waiting tickets, so a
-- return learns from the row it already updates whether anyone waits.
ALTER TABLE "tools" ADD COLUMN "queued" INTEGER NOT NULL DEFAULT 0 CHECK ("queued" >= 0);
ALTER TABLE "license_events" ADD COLUMN "ticket_id" TEXT;

CREATE TABLE "queue_tickets" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tool" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "host" TEXT,
    "seq" INTEGER NOT NULL,
    "queued_at" DATETIME NOT NULL,
    "lease_seconds" INTEGER NOT NULL CHECK ("lease_seconds" >= 5 AND "lease_seconds" <= 86400),
    "expires_at" DATETIME,
    "state" TEXT NOT NULL CHECK ("state" IN ('waiting', 'granted', 'expired', 'cancelled')),
    "ended_at" DATETIME,
    "borrow_id" TEXT,
    "idempotency_key" TEXT,
    CONSTRAINT "queue_tickets_tool_fkey" FOREIGN KEY ("tool") REFERENCES "tools" ("name") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "queue_tickets_idempotency_key_key" ON "queue_tickets"("idempotency_key");
-- The line of a pool, in order; the sweep's overdue tickets; retention's ended ones.
CREATE INDEX "queue_tickets_tool_state_seq_idx" ON "queue_tickets"("tool", "state", "seq");
CREATE INDEX "queue_tickets_expires_at_idx" ON "queue_tickets"("expires_at");
CREATE INDEX "queue_tickets_ended_at_idx" ON "queue_tickets"("ended_at");
-- (tool, expires_at) serves every lookup the (tool) index did.
DROP INDEX "borrows_tool_idx";

-- Most borrows carry neither a lease nor an idempotency key (the seed's curl calls): their
-- rows stay out of these indexes, so a plain borrow and return write no index entry for
-- them. Every query that uses them compares the column, which implies IS NOT NULL.
DROP INDEX "borrows_tool_expires_at_idx";
CREATE INDEX "borrows_tool_expires_at_idx" ON "borrows"("tool", "expires_at") WHERE "expires_at" IS NOT NULL;
DROP INDEX "borrows_expires_at_idx";
CREATE INDEX "borrows_expires_at_idx" ON "borrows"("expires_at") WHERE "expires_at" IS NOT NULL;
DROP INDEX "borrows_idempotency_key_key";
CREATE UNIQUE INDEX "borrows_idempotency_key_key" ON "borrows"("idempotency_key") WHERE "idempotency_key" IS NOT NULL;
DROP INDEX "queue_tickets_expires_at_idx";
CREATE INDEX "queue_tickets_expires_at_idx" ON "queue_tickets"("expires_at") WHERE "expires_at" IS NOT NULL;
