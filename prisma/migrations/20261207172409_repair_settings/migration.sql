-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "repairSettings" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "WorkOrder" ADD COLUMN     "offerToldAt" TIMESTAMP(3);
