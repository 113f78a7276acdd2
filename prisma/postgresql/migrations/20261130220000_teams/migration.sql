-- Teams and their shares of pools (issue #15). A pool with shares (tools.shares > 0)
-- decides each borrow by the borrower's team too: reserved seats others cannot take, and a
-- team's maximum. Borrows, tickets and events record the team and an optional project.
ALTER TABLE "tools" ADD COLUMN "shares" INTEGER NOT NULL DEFAULT 0 CHECK ("shares" >= 0);
ALTER TABLE "borrows" ADD COLUMN "team" TEXT;
ALTER TABLE "borrows" ADD COLUMN "project" TEXT;
ALTER TABLE "queue_tickets" ADD COLUMN "team" TEXT;
ALTER TABLE "queue_tickets" ADD COLUMN "project" TEXT;
ALTER TABLE "license_events" ADD COLUMN "team" TEXT;
ALTER TABLE "license_events" ADD COLUMN "project" TEXT;

CREATE TABLE "teams" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP(3) NOT NULL
);
CREATE TABLE "team_members" (
    "team" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "added_at" TIMESTAMP(3) NOT NULL,
    PRIMARY KEY ("team", "user"),
    CONSTRAINT "team_members_team_fkey" FOREIGN KEY ("team") REFERENCES "teams" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "team_members_user_key" ON "team_members"("user");
CREATE TABLE "pool_shares" (
    "tool" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "reserved" INTEGER NOT NULL CHECK ("reserved" >= 0),
    "max" INTEGER CHECK ("max" IS NULL OR "max" >= "reserved"),
    PRIMARY KEY ("tool", "team"),
    CONSTRAINT "pool_shares_tool_fkey" FOREIGN KEY ("tool") REFERENCES "tools" ("name") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "pool_shares_team_fkey" FOREIGN KEY ("team") REFERENCES "teams" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);
-- What each team holds in a pool, counted under the pool's lock.
CREATE INDEX "borrows_tool_team_idx" ON "borrows"("tool", "team");
