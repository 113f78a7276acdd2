-- Seat-hours (issue #15): reports and statements over a month of a busy pool read one row per
-- pool, group and hour instead of every seat of the month. Written by the roll-up
-- (server/licenses/seat-rollup.ts) a little after each hour ends; see docs/reports.md.
-- hour: whole hours since 1970-01-01 UTC. dim: pool, team, user or project; grp: the team,
-- user or project ('' for the pool row and for seats without a team or project).
CREATE TABLE "seat_hours" (
    "tool" TEXT NOT NULL,
    "hour" INTEGER NOT NULL,
    "dim" TEXT NOT NULL,
    "grp" TEXT NOT NULL,
    "seat_seconds" REAL NOT NULL,
    "peak" INTEGER NOT NULL,
    "start_level" INTEGER NOT NULL,
    "end_level" INTEGER NOT NULL,
    "expiries" INTEGER NOT NULL,
    "revocations" INTEGER NOT NULL,
    "first_at" REAL,
    "last_at" REAL,
    PRIMARY KEY ("tool", "dim", "grp", "hour")
) WITHOUT ROWID;
-- The levels carried into the next hour.
CREATE INDEX "seat_hours_hour_idx" ON "seat_hours"("hour") WHERE "end_level" <> 0;

-- Seats that began in an hour, from the end events (each carries its seat's start): with the
-- seats still held (borrows) every seat's start, whether or not its borrowed event is kept.
CREATE INDEX "license_events_seat_start_idx" ON "license_events"("started_at")
  WHERE "type" IN ('returned', 'expired', 'revoked');

-- Which hours are rolled up (all pools at once, in order, without gaps).
CREATE TABLE "seat_hour_marks" (
    "hour" INTEGER NOT NULL PRIMARY KEY,
    "rolled_at" DATETIME NOT NULL
);

-- A seat counts for the team its user was in when it was borrowed (recorded with every
-- borrow from now on, not only in pools with team shares), so a seat's start and end fall in
-- the same team. Seats and history from before take the user's team now, as reports did.
UPDATE "borrows" SET "team" = (SELECT m."team" FROM "team_members" m WHERE m."user" = "borrows"."user") WHERE "team" IS NULL;
UPDATE "queue_tickets" SET "team" = (SELECT m."team" FROM "team_members" m WHERE m."user" = "queue_tickets"."user")
  WHERE "team" IS NULL AND "state" = 'waiting';
UPDATE "license_events" SET "team" = (SELECT m."team" FROM "team_members" m WHERE m."user" = "license_events"."user")
  WHERE "team" IS NULL AND "type" IN ('borrowed', 'granted', 'returned', 'expired', 'revoked');

-- True denials: how long after a denial the same user got a seat in the pool (seconds; -1:
-- not within a day, the longest grace a report may ask), written by the roll-up once a day
-- has passed. Reports count settled denials from the index below alone and probe only the
-- last day's (NULL) as before.
ALTER TABLE "license_events" ADD COLUMN "retry_seconds" REAL;
DROP INDEX "license_events_denied_idx";
CREATE INDEX "license_events_denied_idx" ON "license_events"("tool", "at", "user", "team", "project", "retry_seconds") WHERE "type" = 'denied';
CREATE INDEX "license_events_denied_open_idx" ON "license_events"("at") WHERE "type" = 'denied' AND "retry_seconds" IS NULL;
