-- Billing periods, seat-hour overage and spend caps (issue #15). Each pool's period starts on
-- its billing_day (1-28, see server/licenses/billing-periods.ts for why not 29-31) at 00:00 UTC.
-- overage_mode: 'per_borrow' (each overage borrow charged once, as before) or 'per_seat_hour'
-- (each started seat-hour of overage use charged once; see server/licenses/overage-rules.ts).
-- spend_cap: the most overage money a period may take (null: no cap). period_start and
-- period_overage_cost keep this period's overage spend in step with the charges, in the same
-- transaction, so the cap is decided from the pool's locked row with no extra read.
ALTER TABLE "tools" ADD COLUMN "billing_day" INTEGER NOT NULL DEFAULT 1 CHECK ("billing_day" BETWEEN 1 AND 28);
ALTER TABLE "tools" ADD COLUMN "overage_mode" TEXT NOT NULL DEFAULT 'per_borrow' CHECK ("overage_mode" IN ('per_borrow', 'per_seat_hour'));
ALTER TABLE "tools" ADD COLUMN "spend_cap" REAL CHECK ("spend_cap" IS NULL OR "spend_cap" >= 0);
ALTER TABLE "tools" ADD COLUMN "period_start" DATETIME;
ALTER TABLE "tools" ADD COLUMN "period_overage_cost" REAL NOT NULL DEFAULT 0;
-- What a charge paid for: 'borrow' (an overage borrow, per_borrow mode) or 'seat_hour'.
ALTER TABLE "overage_charges" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'borrow';

-- The paid hours of a per_seat_hour pool's overage slots: slot n is in use while the pool
-- holds at least commit + n seats; it is paid until paid_until, and its hours are charged to
-- the borrow recorded here (the one that filled it, or the seat that moved into it).
CREATE TABLE "overage_slots" (
    "tool" TEXT NOT NULL,
    "slot" INTEGER NOT NULL CHECK ("slot" >= 1),
    "paid_until" DATETIME NOT NULL,
    "borrow_id" TEXT,
    "user" TEXT,
    "team" TEXT,
    "project" TEXT,
    PRIMARY KEY ("tool", "slot"),
    CONSTRAINT "overage_slots_tool_fkey" FOREIGN KEY ("tool") REFERENCES "tools" ("name") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "overage_slots_paid_until_idx" ON "overage_slots"("paid_until");
