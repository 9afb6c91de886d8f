-- Numbered replies on channels without buttons (WeChat): a notice's buttons are kept as the
-- account's pending numbered actions, pressed by typing their number; the conversation notes when
-- a reply last offered numbered choices, so a number always answers the latest list shown.

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "numberedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "NumberedActions" (
    "chatAccountId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "actions" JSONB NOT NULL,
    "writtenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NumberedActions_pkey" PRIMARY KEY ("chatAccountId")
);

-- AddForeignKey
ALTER TABLE "NumberedActions" ADD CONSTRAINT "NumberedActions_chatAccountId_fkey" FOREIGN KEY ("chatAccountId") REFERENCES "ChatAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;
