-- DropIndex
DROP INDEX "StaffLoginCode_codeHash_key";

-- AlterTable
ALTER TABLE "StaffLoginMiss" ALTER COLUMN "origin" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "StaffLoginCode_communityId_purpose_codeHash_idx" ON "StaffLoginCode"("communityId", "purpose", "codeHash");

-- CreateIndex
CREATE INDEX "StaffLoginCode_expiresAt_idx" ON "StaffLoginCode"("expiresAt");

-- CreateIndex
CREATE INDEX "StaffLoginMiss_createdAt_idx" ON "StaffLoginMiss"("createdAt");
