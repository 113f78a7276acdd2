-- CreateTable
CREATE TABLE "observed_prices" (
    "source" TEXT NOT NULL,
    "feature" TEXT NOT NULL,
    "price" DOUBLE PRECISION NOT NULL,
    "billing_day" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "observed_prices_pkey" PRIMARY KEY ("source","feature")
);
