-- CreateTable
CREATE TABLE "WorkOrder" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "skill" TEXT,
    "emergency" BOOLEAN NOT NULL DEFAULT false,
    "priority" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'received',
    "memberId" TEXT,
    "homeWindows" JSONB NOT NULL DEFAULT '[]',
    "expectedBy" TIMESTAMP(3),
    "acceptedAt" TIMESTAMP(3),
    "onTheWayAt" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "workDone" TEXT,
    "materials" JSONB NOT NULL DEFAULT '[]',
    "feeCents" INTEGER,
    "afterPhotos" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "returns" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DispatchOffer" (
    "id" TEXT NOT NULL,
    "workOrderId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "offeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "reason" TEXT,

    CONSTRAINT "DispatchOffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceMember" (
    "residentId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "areaIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "hours" JSONB NOT NULL DEFAULT '{}',
    "awaySince" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceMember_pkey" PRIMARY KEY ("residentId")
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkOrder_ticketId_key" ON "WorkOrder"("ticketId");

-- CreateIndex
CREATE INDEX "WorkOrder_communityId_status_idx" ON "WorkOrder"("communityId", "status");

-- CreateIndex
CREATE INDEX "WorkOrder_memberId_status_idx" ON "WorkOrder"("memberId", "status");

-- CreateIndex
CREATE INDEX "DispatchOffer_workOrderId_status_idx" ON "DispatchOffer"("workOrderId", "status");

-- CreateIndex
CREATE INDEX "DispatchOffer_memberId_status_idx" ON "DispatchOffer"("memberId", "status");

-- CreateIndex
CREATE INDEX "ServiceMember_communityId_idx" ON "ServiceMember"("communityId");

-- AddForeignKey
ALTER TABLE "WorkOrder" ADD CONSTRAINT "WorkOrder_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkOrder" ADD CONSTRAINT "WorkOrder_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkOrder" ADD CONSTRAINT "WorkOrder_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Resident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DispatchOffer" ADD CONSTRAINT "DispatchOffer_workOrderId_fkey" FOREIGN KEY ("workOrderId") REFERENCES "WorkOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DispatchOffer" ADD CONSTRAINT "DispatchOffer_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceMember" ADD CONSTRAINT "ServiceMember_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceMember" ADD CONSTRAINT "ServiceMember_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
