-- Identity (issue #14): API tokens and dashboard sessions, stored only as SHA-256 hashes of
-- their random secrets, and the audit trail of admin actions with their actor.
CREATE TABLE "credentials" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL CHECK ("kind" IN ('token', 'session')),
    "name" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "role" TEXT NOT NULL CHECK ("role" IN ('viewer', 'user', 'admin')),
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    CONSTRAINT "credentials_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "credentials_token_hash_key" ON "credentials"("token_hash");
CREATE INDEX "credentials_user_created_at_idx" ON "credentials"("user", "created_at");
CREATE INDEX "credentials_kind_created_at_idx" ON "credentials"("kind", "created_at");

CREATE TABLE "audit_events" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "tool" TEXT,
    "target" TEXT,
    "detail" TEXT,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");
CREATE INDEX "audit_events_actor_at_idx" ON "audit_events"("actor", "at");
CREATE INDEX "audit_events_tool_at_idx" ON "audit_events"("tool", "at");
