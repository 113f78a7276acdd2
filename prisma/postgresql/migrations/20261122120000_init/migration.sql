-- CreateTable
-- The CHECK constraints are Floatline's capacity guarantee: whatever the number of
-- processes or hosts, PostgreSQL refuses a row that lends more seats than the pool has.
CREATE TABLE "tools" (
    "name" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "borrowed" INTEGER NOT NULL DEFAULT 0,
    "commit_quantity" INTEGER NOT NULL,
    "max_overage" INTEGER NOT NULL,
    "commit_price" DOUBLE PRECISION NOT NULL,
    "overage_price_per_license" DOUBLE PRECISION NOT NULL,
    "overage_cost" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tools_pkey" PRIMARY KEY ("name"),
    CONSTRAINT "tools_total_check" CHECK ("total" >= 1),
    CONSTRAINT "tools_borrowed_check" CHECK ("borrowed" >= 0 AND "borrowed" <= "total"),
    CONSTRAINT "tools_budget_check" CHECK ("commit_quantity" >= 0 AND "max_overage" >= 0),
    CONSTRAINT "tools_money_check" CHECK ("commit_price" >= 0 AND "overage_price_per_license" >= 0 AND "overage_cost" >= 0)
);

-- CreateTable
CREATE TABLE "borrows" (
    "id" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "borrowed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "borrows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "overage_charges" (
    "id" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "borrow_id" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "charged_at" TIMESTAMP(3) NOT NULL,
    "amount" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "overage_charges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "license_events" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "type" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "user" TEXT,
    "borrow_id" TEXT,
    "reason" TEXT,
    "borrowed" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,

    CONSTRAINT "license_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "borrows_tool_idx" ON "borrows"("tool");

-- CreateIndex
CREATE INDEX "borrows_user_idx" ON "borrows"("user");

-- CreateIndex
CREATE INDEX "borrows_borrowed_at_idx" ON "borrows"("borrowed_at");

-- CreateIndex
CREATE INDEX "overage_charges_tool_charged_at_idx" ON "overage_charges"("tool", "charged_at");

-- CreateIndex
CREATE INDEX "license_events_at_idx" ON "license_events"("at");

-- CreateIndex
CREATE INDEX "license_events_tool_at_idx" ON "license_events"("tool", "at");

-- AddForeignKey
ALTER TABLE "borrows" ADD CONSTRAINT "borrows_tool_fkey" FOREIGN KEY ("tool") REFERENCES "tools"("name") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "overage_charges" ADD CONSTRAINT "overage_charges_tool_fkey" FOREIGN KEY ("tool") REFERENCES "tools"("name") ON DELETE RESTRICT ON UPDATE CASCADE;
