-- Leases (issue #12): a borrow may carry a lease that lapses unless renewed, a host and an
-- idempotency key; a pool may name a default lease. NULL everywhere means "as before":
-- a borrow without lease never expires.
ALTER TABLE "tools" ADD COLUMN "lease_seconds" INTEGER CHECK ("lease_seconds" IS NULL OR ("lease_seconds" >= 5 AND "lease_seconds" <= 86400));
ALTER TABLE "borrows" ADD COLUMN "lease_seconds" INTEGER CHECK ("lease_seconds" IS NULL OR ("lease_seconds" >= 5 AND "lease_seconds" <= 86400));
ALTER TABLE "borrows" ADD COLUMN "expires_at" TIMESTAMP(3);
ALTER TABLE "borrows" ADD COLUMN "host" TEXT;
ALTER TABLE "borrows" ADD COLUMN "idempotency_key" TEXT;

-- The sweep and the borrow-time check find a pool's overdue leases by deadline.
CREATE INDEX "borrows_tool_expires_at_idx" ON "borrows"("tool", "expires_at");
CREATE INDEX "borrows_expires_at_idx" ON "borrows"("expires_at");
-- One live borrow per idempotency key, whatever races.
CREATE UNIQUE INDEX "borrows_idempotency_key_key" ON "borrows"("idempotency_key");
-- A heartbeat for a borrow that is gone asks the history why.
CREATE INDEX "license_events_borrow_id_idx" ON "license_events"("borrow_id");
