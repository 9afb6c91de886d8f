-- CreateTable
CREATE TABLE "PropertyFund" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "shareFen" INTEGER NOT NULL DEFAULT 1000,
    "approvalThresholdFen" INTEGER NOT NULL DEFAULT 50000,
    "contactPhones" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PropertyFund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FundContribution" (
    "id" TEXT NOT NULL,
    "fundId" TEXT NOT NULL,
    "householdId" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "paidOn" TIMESTAMP(3) NOT NULL,
    "receipt" TEXT,
    "source" TEXT NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FundContribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FundExpense" (
    "id" TEXT NOT NULL,
    "fundId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "purpose" TEXT NOT NULL,
    "workOrderId" TEXT,
    "spentOn" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FundExpense_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FundDisclosure" (
    "fundId" TEXT NOT NULL,
    "monthStart" TIMESTAMP(3) NOT NULL,
    "bulkSendId" TEXT,
    "recipients" INTEGER NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FundDisclosure_pkey" PRIMARY KEY ("fundId","monthStart")
);

-- CreateIndex
CREATE UNIQUE INDEX "PropertyFund_communityId_areaId_key" ON "PropertyFund"("communityId", "areaId");

-- CreateIndex
CREATE INDEX "FundContribution_fundId_paidOn_idx" ON "FundContribution"("fundId", "paidOn");

-- CreateIndex
CREATE INDEX "FundContribution_householdId_idx" ON "FundContribution"("householdId");

-- CreateIndex
CREATE UNIQUE INDEX "FundContribution_fundId_receipt_key" ON "FundContribution"("fundId", "receipt");

-- CreateIndex
CREATE INDEX "FundExpense_fundId_spentOn_idx" ON "FundExpense"("fundId", "spentOn");

-- CreateIndex
CREATE INDEX "FundExpense_workOrderId_idx" ON "FundExpense"("workOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "FundExpense_fundId_number_key" ON "FundExpense"("fundId", "number");

-- AddForeignKey
ALTER TABLE "PropertyFund" ADD CONSTRAINT "PropertyFund_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PropertyFund" ADD CONSTRAINT "PropertyFund_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FundContribution" ADD CONSTRAINT "FundContribution_fundId_fkey" FOREIGN KEY ("fundId") REFERENCES "PropertyFund"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FundContribution" ADD CONSTRAINT "FundContribution_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FundExpense" ADD CONSTRAINT "FundExpense_fundId_fkey" FOREIGN KEY ("fundId") REFERENCES "PropertyFund"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FundExpense" ADD CONSTRAINT "FundExpense_workOrderId_fkey" FOREIGN KEY ("workOrderId") REFERENCES "WorkOrder"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FundDisclosure" ADD CONSTRAINT "FundDisclosure_fundId_fkey" FOREIGN KEY ("fundId") REFERENCES "PropertyFund"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
