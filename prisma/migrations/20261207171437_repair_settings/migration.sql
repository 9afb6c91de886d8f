-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "repairSettings" JSONB NOT NULL DEFAULT '{}';
