-- Reports and statements (issue #15).
-- An end event (returned, expired, revoked) records when its borrow began and the borrower's
-- team and project, so a report finds every seat interval from one index range scan of the
-- history (no join of each end to its start). Older end events are filled in from their
-- borrow's start event, through an index that exists only while this migration runs.
ALTER TABLE "license_events" ADD COLUMN "started_at" DATETIME;
CREATE INDEX "license_events_start_tmp_idx" ON "license_events"("borrow_id") WHERE "type" IN ('borrowed', 'granted');
UPDATE "license_events" SET
  "started_at" = (SELECT s."at" FROM "license_events" s WHERE s."borrow_id" = "license_events"."borrow_id" AND s."type" IN ('borrowed', 'granted')),
  "team" = coalesce("team", (SELECT s."team" FROM "license_events" s WHERE s."borrow_id" = "license_events"."borrow_id" AND s."type" IN ('borrowed', 'granted'))),
  "project" = coalesce("project", (SELECT s."project" FROM "license_events" s WHERE s."borrow_id" = "license_events"."borrow_id" AND s."type" IN ('borrowed', 'granted')))
WHERE "type" IN ('returned', 'expired', 'revoked') AND "borrow_id" IS NOT NULL;
DROP INDEX "license_events_start_tmp_idx";

-- Seat intervals: a report reads the end events of a window from this index alone (it holds
-- every column the report needs), about half the work of the (tool, at) index and a row
-- lookup each. Only end events are in it.
CREATE INDEX "license_events_seat_end_idx" ON "license_events"("tool", "at", "started_at", "user", "team", "project", "type")
  WHERE "type" IN ('returned', 'expired', 'revoked');

-- True denials: after each denial, did the same user get a seat in the pool within N
-- minutes? One probe per denial into the seat-taking events by (tool, user, at); only
-- borrowed and granted events are indexed, so returns and denials do not write to it.
CREATE INDEX "license_events_seat_user_idx" ON "license_events"("tool", "user", "at") WHERE "type" IN ('borrowed', 'granted');

-- The denials of a window, without visiting the other events (a few percent of the history).
CREATE INDEX "license_events_denied_idx" ON "license_events"("tool", "at", "user", "team", "project") WHERE "type" = 'denied';

-- A closed billing period's statement, frozen when it is first read after the period ended
-- (or by the retention job before it prunes): later events, price changes or pruned history
-- never change it. body is the statement as JSON.
CREATE TABLE "statements" (
    "tool" TEXT NOT NULL,
    "period_start" DATETIME NOT NULL,
    "period_end" DATETIME NOT NULL,
    "frozen_at" DATETIME NOT NULL,
    "body" TEXT NOT NULL,
    PRIMARY KEY ("tool", "period_start")
);
