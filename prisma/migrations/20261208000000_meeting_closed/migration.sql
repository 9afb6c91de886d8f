-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "closedAt" TIMESTAMP(3);
