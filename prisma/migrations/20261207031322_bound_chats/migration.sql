-- A staff chat becomes one purpose of a bound chat: group chats on any channel bound to a
-- purpose (staff, service_team, household_group, area, community). Today's staff chats are
-- carried over as purpose `staff`, with their ids, so audit rows naming them still do.

-- CreateTable
CREATE TABLE "BoundChat" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "targetId" TEXT,
    "locale" TEXT,
    "isForum" BOOLEAN NOT NULL DEFAULT false,
    "boundAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "boundById" TEXT,
    "title" TEXT,

    CONSTRAINT "BoundChat_pkey" PRIMARY KEY ("id")
);

-- Carry the staff chats over
INSERT INTO "BoundChat" ("id", "communityId", "channel", "chatId", "purpose", "isForum", "boundAt", "boundById", "title")
SELECT "id", "communityId", "channel", "chatId", 'staff', "isForum", "boundAt", "boundById", "title" FROM "StaffChat";

-- DropForeignKey
ALTER TABLE "StaffChat" DROP CONSTRAINT "StaffChat_communityId_fkey";

-- DropTable
DROP TABLE "StaffChat";

-- CreateIndex
CREATE INDEX "BoundChat_communityId_purpose_idx" ON "BoundChat"("communityId", "purpose");

-- CreateIndex
CREATE UNIQUE INDEX "BoundChat_communityId_channel_chatId_key" ON "BoundChat"("communityId", "channel", "chatId");

-- AddForeignKey
ALTER TABLE "BoundChat" ADD CONSTRAINT "BoundChat_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
