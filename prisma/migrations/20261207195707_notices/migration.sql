-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "noticeSettings" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "failureKind" TEXT;

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'notice',
    "authorId" TEXT,
    "locale" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "versions" JSONB NOT NULL DEFAULT '{}',
    "photoRef" TEXT,
    "attachment" JSONB,
    "audience" JSONB NOT NULL,
    "via" TEXT NOT NULL DEFAULT 'both',
    "perHousehold" BOOLEAN NOT NULL DEFAULT false,
    "asksConfirmation" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "sendAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "bulkSendId" TEXT,
    "statusMessage" JSONB,
    "searchText" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeAnswer" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "householdId" TEXT NOT NULL,
    "residentId" TEXT,
    "answer" TEXT NOT NULL,
    "ticketId" TEXT,
    "answeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NoticeAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedAudience" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "audience" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedAudience_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notice_communityId_status_sendAt_idx" ON "Notice"("communityId", "status", "sendAt");

-- CreateIndex
CREATE INDEX "Notice_communityId_kind_sentAt_idx" ON "Notice"("communityId", "kind", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notice_communityId_number_key" ON "Notice"("communityId", "number");

-- CreateIndex
CREATE INDEX "NoticeAnswer_noticeId_answer_idx" ON "NoticeAnswer"("noticeId", "answer");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeAnswer_noticeId_householdId_key" ON "NoticeAnswer"("noticeId", "householdId");

-- CreateIndex
CREATE UNIQUE INDEX "SavedAudience_communityId_name_key" ON "SavedAudience"("communityId", "name");

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Resident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeAnswer" ADD CONSTRAINT "NoticeAnswer_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeAnswer" ADD CONSTRAINT "NoticeAnswer_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeAnswer" ADD CONSTRAINT "NoticeAnswer_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedAudience" ADD CONSTRAINT "SavedAudience_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
