-- CreateTable
CREATE TABLE "StoredPhoto" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "chatAccountId" TEXT,
    "residentId" TEXT,
    "bytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "forgottenAt" TIMESTAMP(3),

    CONSTRAINT "StoredPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StoredPhoto_ref_key" ON "StoredPhoto"("ref");

-- CreateIndex
CREATE INDEX "StoredPhoto_residentId_idx" ON "StoredPhoto"("residentId");

-- CreateIndex
CREATE INDEX "StoredPhoto_chatAccountId_idx" ON "StoredPhoto"("chatAccountId");

-- CreateIndex
CREATE INDEX "StoredPhoto_forgottenAt_idx" ON "StoredPhoto"("forgottenAt");
