-- Pools an admin can create and retire (issue #12). A retired pool keeps its row (so its
-- name stays unique and its borrows' and charges' foreign keys hold); reads skip it.
ALTER TABLE "tools" ADD COLUMN "retired_at" DATETIME;
