-- CreateTable
CREATE TABLE "MeetingSeries" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "rrule" TEXT NOT NULL,
    "firstLocal" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL DEFAULT 120,
    "place" TEXT,
    "audience" JSONB NOT NULL,
    "reminderOffsets" INTEGER[] DEFAULT ARRAY[1440, 120]::INTEGER[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MeetingSeries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "seriesId" TEXT,
    "number" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "agenda" JSONB NOT NULL DEFAULT '[]',
    "place" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "audience" JSONB NOT NULL,
    "reminderOffsets" INTEGER[] DEFAULT ARRAY[1440, 120]::INTEGER[],
    "version" INTEGER NOT NULL DEFAULT 0,
    "checkInCode" TEXT,
    "rollSize" INTEGER,
    "createdById" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingInvitation" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "residentId" TEXT NOT NULL,
    "rsvp" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "respondedAt" TIMESTAMP(3),
    "reminderOffsets" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "remindersSent" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "checkedInAt" TIMESTAMP(3),
    "checkedInBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Motion" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'ordinary',
    "title" TEXT NOT NULL,
    "text" TEXT,
    "ballot" TEXT NOT NULL DEFAULT 'open',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "subjectId" TEXT,
    "presentAtClose" INTEGER,
    "yes" INTEGER,
    "no" INTEGER,
    "abstain" INTEGER,
    "result" TEXT,
    "openedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "noticeId" TEXT,

    CONSTRAINT "Motion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vote" (
    "id" TEXT NOT NULL,
    "motionId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "residentId" TEXT,
    "choice" TEXT NOT NULL,
    "castAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Vote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationPoll" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "meetingId" TEXT,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "satisfied" INTEGER,
    "answered" INTEGER,
    "rectifyAt" TIMESTAMP(3),

    CONSTRAINT "EvaluationPoll_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationResponse" (
    "id" TEXT NOT NULL,
    "pollId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvaluationResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Petition" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "startedById" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "thresholdMet" TEXT,
    "counts" JSONB,
    "bindingAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Petition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PetitionSignature" (
    "id" TEXT NOT NULL,
    "petitionId" TEXT NOT NULL,
    "residentId" TEXT NOT NULL,
    "isRepresentative" BOOLEAN NOT NULL,
    "isAdult" BOOLEAN NOT NULL,
    "householdId" TEXT,
    "groupId" TEXT,
    "signedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PetitionSignature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "residentId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "renewedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("residentId")
);

-- CreateIndex
CREATE INDEX "Meeting_communityId_startsAt_idx" ON "Meeting"("communityId", "startsAt");

-- CreateIndex
CREATE INDEX "Meeting_seriesId_startsAt_idx" ON "Meeting"("seriesId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_communityId_number_key" ON "Meeting"("communityId", "number");

-- CreateIndex
CREATE INDEX "MeetingInvitation_residentId_idx" ON "MeetingInvitation"("residentId");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingInvitation_meetingId_residentId_key" ON "MeetingInvitation"("meetingId", "residentId");

-- CreateIndex
CREATE UNIQUE INDEX "Motion_meetingId_position_key" ON "Motion"("meetingId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Vote_motionId_voterKey_key" ON "Vote"("motionId", "voterKey");

-- CreateIndex
CREATE INDEX "EvaluationPoll_communityId_status_idx" ON "EvaluationPoll"("communityId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationResponse_pollId_voterKey_key" ON "EvaluationResponse"("pollId", "voterKey");

-- CreateIndex
CREATE UNIQUE INDEX "Petition_communityId_number_key" ON "Petition"("communityId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "PetitionSignature_petitionId_residentId_key" ON "PetitionSignature"("petitionId", "residentId");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_tokenHash_key" ON "CalendarFeed"("tokenHash");

-- AddForeignKey
ALTER TABLE "MeetingSeries" ADD CONSTRAINT "MeetingSeries_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "MeetingSeries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingInvitation" ADD CONSTRAINT "MeetingInvitation_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingInvitation" ADD CONSTRAINT "MeetingInvitation_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Motion" ADD CONSTRAINT "Motion_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_motionId_fkey" FOREIGN KEY ("motionId") REFERENCES "Motion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationPoll" ADD CONSTRAINT "EvaluationPoll_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationPoll" ADD CONSTRAINT "EvaluationPoll_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationResponse" ADD CONSTRAINT "EvaluationResponse_pollId_fkey" FOREIGN KEY ("pollId") REFERENCES "EvaluationPoll"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Petition" ADD CONSTRAINT "Petition_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Petition" ADD CONSTRAINT "Petition_startedById_fkey" FOREIGN KEY ("startedById") REFERENCES "Resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PetitionSignature" ADD CONSTRAINT "PetitionSignature_petitionId_fkey" FOREIGN KEY ("petitionId") REFERENCES "Petition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PetitionSignature" ADD CONSTRAINT "PetitionSignature_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
