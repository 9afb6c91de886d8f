-- CreateTable
CREATE TABLE "HousekeepingService" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "names" JSONB NOT NULL DEFAULT '{}',
    "cutoffMinutes" INTEGER NOT NULL DEFAULT 720,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HousekeepingService_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HousekeepingSlot" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "startTime" TEXT NOT NULL,
    "endTime" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "places" INTEGER NOT NULL,
    "booked" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HousekeepingSlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HousekeepingBooking" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "slotId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'booked',
    "remindersSent" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "HousekeepingBooking_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "HousekeepingService_communityId_code_key" ON "HousekeepingService"("communityId", "code");

-- CreateIndex
CREATE INDEX "HousekeepingSlot_communityId_startsAt_idx" ON "HousekeepingSlot"("communityId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "HousekeepingSlot_serviceId_date_startTime_key" ON "HousekeepingSlot"("serviceId", "date", "startTime");

-- CreateIndex
CREATE UNIQUE INDEX "HousekeepingBooking_ticketId_key" ON "HousekeepingBooking"("ticketId");

-- CreateIndex
CREATE INDEX "HousekeepingBooking_communityId_status_idx" ON "HousekeepingBooking"("communityId", "status");

-- CreateIndex
CREATE INDEX "HousekeepingBooking_slotId_idx" ON "HousekeepingBooking"("slotId");

-- AddForeignKey
ALTER TABLE "HousekeepingService" ADD CONSTRAINT "HousekeepingService_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousekeepingSlot" ADD CONSTRAINT "HousekeepingSlot_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousekeepingSlot" ADD CONSTRAINT "HousekeepingSlot_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "HousekeepingService"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousekeepingBooking" ADD CONSTRAINT "HousekeepingBooking_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousekeepingBooking" ADD CONSTRAINT "HousekeepingBooking_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousekeepingBooking" ADD CONSTRAINT "HousekeepingBooking_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "HousekeepingService"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousekeepingBooking" ADD CONSTRAINT "HousekeepingBooking_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "HousekeepingSlot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
