-- Teams taken from the identity provider's groups (issue #15): each membership says who set
-- it, so a user who leaves the group leaves the team, while memberships an admin set stay.
ALTER TABLE "team_members" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'floatline';
