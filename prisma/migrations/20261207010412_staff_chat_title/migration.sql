-- AlterTable
ALTER TABLE "StaffChat" ADD COLUMN     "title" TEXT;
