-- CreateTable
CREATE TABLE "BindCodeMiss" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BindCodeMiss_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BindCodeMiss_communityId_at_idx" ON "BindCodeMiss"("communityId", "at");

-- AddForeignKey
ALTER TABLE "BindCodeMiss" ADD CONSTRAINT "BindCodeMiss_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;
