-- CreateTable
CREATE TABLE "observed_prices" (
    "source" TEXT NOT NULL,
    "feature" TEXT NOT NULL,
    "price" REAL NOT NULL,
    "billing_day" INTEGER NOT NULL DEFAULT 1,
    "updated_at" DATETIME NOT NULL,

    PRIMARY KEY ("source", "feature")
);
