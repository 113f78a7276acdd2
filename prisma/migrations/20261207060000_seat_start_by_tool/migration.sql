-- One pool's seats that began in a stretch of time, from the end events (each carries its
-- seat's start), read from this index alone. With license_events_seat_start_idx (started_at)
-- only, SQLite answered "tool = ? AND started_at in [a, b)" from license_events_seat_end_idx
-- (tool, ...): every end event the pool ever had, on each read. Reports read a busy hour a
-- few minutes at a time (server/licenses/seat-history.ts), so that was the whole pool's
-- history per slice. The roll-up (every pool) still reads by started_at alone.
CREATE INDEX "license_events_seat_start_tool_idx" ON "license_events"("tool", "started_at", "at", "user", "team", "project", "type")
  WHERE "type" IN ('returned', 'expired', 'revoked');
