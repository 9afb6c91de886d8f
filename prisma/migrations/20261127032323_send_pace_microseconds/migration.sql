-- Pacing cells are disposable (a lost one only lets a message go a little early): the old
-- millisecond cells are dropped rather than converted.
DELETE FROM "SendPace";

-- DropIndex
DROP INDEX "SendPace_tatMs_idx";

-- AlterTable
ALTER TABLE "SendPace" DROP COLUMN "seenMs",
DROP COLUMN "tatMs",
ADD COLUMN     "seenUs" BIGINT NOT NULL,
ADD COLUMN     "tatUs" BIGINT NOT NULL;

-- CreateIndex
CREATE INDEX "SendPace_tatUs_idx" ON "SendPace"("tatUs");
