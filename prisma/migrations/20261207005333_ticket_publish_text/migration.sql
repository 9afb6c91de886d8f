-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "publishText" BOOLEAN NOT NULL DEFAULT false;
