-- Who caused each overage charge (issue #15): the borrower's team and project, recorded at
-- charge time so statements split overage by team without replaying borrows.
ALTER TABLE "overage_charges" ADD COLUMN "team" TEXT;
ALTER TABLE "overage_charges" ADD COLUMN "project" TEXT;
