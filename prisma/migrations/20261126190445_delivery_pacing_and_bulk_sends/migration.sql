-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "bulkSendId" TEXT;

-- CreateTable
CREATE TABLE "BulkSend" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "recipients" INTEGER NOT NULL,
    "priority" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BulkSend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SendPace" (
    "key" TEXT NOT NULL,
    "tatMs" BIGINT NOT NULL,
    "seenMs" BIGINT NOT NULL,
    "grantToken" TEXT,

    CONSTRAINT "SendPace_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "BulkSend_communityId_createdAt_idx" ON "BulkSend"("communityId", "createdAt");

-- CreateIndex
CREATE INDEX "SendPace_tatMs_idx" ON "SendPace"("tatMs");

-- CreateIndex
CREATE INDEX "OutboxMessage_bulkSendId_status_idx" ON "OutboxMessage"("bulkSendId", "status");

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_bulkSendId_fkey" FOREIGN KEY ("bulkSendId") REFERENCES "BulkSend"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkSend" ADD CONSTRAINT "BulkSend_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
