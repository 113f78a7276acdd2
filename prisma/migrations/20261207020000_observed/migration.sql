-- License servers Floatline observes (FlexNet, RLM): sources, their pools as last seen, and
-- the history inferred from snapshots or read from debug logs (docs/observed.md).
CREATE TABLE "observed_sources" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL CHECK ("kind" IN ('flexnet', 'rlm')),
    "command" TEXT,
    "interval_seconds" INTEGER NOT NULL CHECK ("interval_seconds" > 0),
    "created_at" DATETIME NOT NULL,
    "server_up" BOOLEAN,
    "error" TEXT,
    "health" TEXT NOT NULL DEFAULT '{"servers":[],"daemons":[]}',
    "last_snapshot_at" DATETIME,
    "unparsed_lines" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_until" DATETIME
);
CREATE TABLE "observed_pools" (
    "source" TEXT NOT NULL,
    "feature" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "issued" INTEGER,
    "in_use" INTEGER NOT NULL,
    "reserved" INTEGER NOT NULL,
    "expires" TEXT,
    "holders" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "stale" BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY ("source", "feature", "vendor")
);
CREATE TABLE "observed_events" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "feature" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "licenses" INTEGER NOT NULL,
    "reason" TEXT,
    "at" DATETIME NOT NULL
);
CREATE INDEX "observed_events_source_at_idx" ON "observed_events"("source", "at");
CREATE INDEX "observed_events_at_idx" ON "observed_events"("at");
