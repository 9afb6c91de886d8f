-- AlterTable
ALTER TABLE "InboundMessage" ADD COLUMN     "claimedUntil" TIMESTAMP(3),
ADD COLUMN     "payload" JSONB;

-- CreateIndex
CREATE INDEX "InboundMessage_status_claimedUntil_idx" ON "InboundMessage"("status", "claimedUntil");
