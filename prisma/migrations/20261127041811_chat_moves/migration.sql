-- CreateTable
CREATE TABLE "ChatMove" (
    "channel" TEXT NOT NULL,
    "fromChatId" TEXT NOT NULL,
    "toChatId" TEXT NOT NULL,
    "movedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatMove_pkey" PRIMARY KEY ("channel","fromChatId")
);
