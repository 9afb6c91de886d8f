-- Message references (MessageRef) instead of inbox data inside the outbox: which ticket or
-- binding request a message is about moves out of the outbox row (its `ticketId` column and the
-- `inbox` / `request` tags in `payload`) into refs; what the Telegram staff-thread step needs at
-- send time (is the chat a forum, the topic's name) moves onto the ticket's StaffThread.
--
-- Existing data is carried over: every tagged row gets its refs (rows already sent too, so a
-- staff reply to an old card, line, prompt or request post still finds its subject), threads get
-- their forum flag and topic name from their latest tagged row, and the tags leave the payloads.
-- One pass over the outbox at upgrade; nothing is lost.

-- CreateTable
CREATE TABLE "MessageRef" (
    "id" TEXT NOT NULL,
    "outboxId" TEXT NOT NULL,
    "subjectKind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MessageRef_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MessageRef_subjectKind_subjectId_role_idx" ON "MessageRef"("subjectKind", "subjectId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "MessageRef_outboxId_subjectKind_subjectId_key" ON "MessageRef"("outboxId", "subjectKind", "subjectId");

-- AddForeignKey
ALTER TABLE "MessageRef" ADD CONSTRAINT "MessageRef_outboxId_fkey" FOREIGN KEY ("outboxId") REFERENCES "OutboxMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "StaffThread" ADD COLUMN     "forum" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "topicName" TEXT NOT NULL DEFAULT '';

-- A ticket's messages in a staff chat: the `inbox` tag's part becomes the role; a prompt's action
-- and a topic's open / close become the action. (A prompt split in pieces carried its action on a
-- `line` piece, which replies never read: it stays a line.)
INSERT INTO "MessageRef" ("id", "outboxId", "subjectKind", "subjectId", "role", "action", "createdAt")
SELECT gen_random_uuid()::text, o."id", 'ticket', o."payload"->'inbox'->>'ticketId', o."payload"->'inbox'->>'part',
       CASE o."payload"->'inbox'->>'part'
         WHEN 'prompt' THEN o."payload"->'inbox'->>'prompt'
         WHEN 'topic' THEN CASE WHEN (o."payload"->'inbox'->>'topicOpen') = 'true' THEN 'open' ELSE 'close' END
       END,
       o."createdAt"
  FROM "OutboxMessage" o
 WHERE jsonb_typeof(o."payload"->'inbox') = 'object'
   AND jsonb_typeof(o."payload"->'inbox'->'ticketId') = 'string'
   AND jsonb_typeof(o."payload"->'inbox'->'part') = 'string';

-- Other rows about a ticket (the column without a tag): an alert to the committee (a staff chat,
-- no account) or a notice to one person.
INSERT INTO "MessageRef" ("id", "outboxId", "subjectKind", "subjectId", "role", "createdAt")
SELECT gen_random_uuid()::text, o."id", 'ticket', o."ticketId", CASE WHEN o."chatAccountId" IS NULL THEN 'alert' ELSE 'notice' END, o."createdAt"
  FROM "OutboxMessage" o
 WHERE o."ticketId" IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM "MessageRef" r WHERE r."outboxId" = o."id" AND r."subjectKind" = 'ticket' AND r."subjectId" = o."ticketId");

-- A binding request's post and lines: the tag held the request's number, the ref its id.
INSERT INTO "MessageRef" ("id", "outboxId", "subjectKind", "subjectId", "role", "createdAt")
SELECT gen_random_uuid()::text, o."id", 'binding_request', b."id", o."payload"->'request'->>'part', o."createdAt"
  FROM "OutboxMessage" o
  JOIN "BindingRequest" b
    ON b."communityId" = o."communityId"
   AND jsonb_typeof(o."payload"->'request'->'number') = 'number'
   AND b."number" = (o."payload"->'request'->>'number')::numeric
 WHERE jsonb_typeof(o."payload"->'request') = 'object'
   AND o."payload"->'request'->>'part' IN ('post', 'line');

-- Each thread as its latest row to that chat saw it.
UPDATE "StaffThread" t
   SET "forum" = COALESCE(x."tag"->>'forum' = 'true', false),
       "topicName" = COALESCE(x."tag"->>'topicName', '')
  FROM (SELECT DISTINCT ON (o."channel", o."chatId", o."payload"->'inbox'->>'ticketId')
               o."channel", o."chatId", o."payload"->'inbox'->>'ticketId' AS "ticketId", o."payload"->'inbox' AS "tag"
          FROM "OutboxMessage" o
         WHERE jsonb_typeof(o."payload"->'inbox') = 'object'
         ORDER BY o."channel", o."chatId", o."payload"->'inbox'->>'ticketId', o."seq" DESC) x
 WHERE t."ticketId" = x."ticketId" AND t."channel" = x."channel" AND t."chatId" = x."chatId";

-- The payload is the neutral message only.
UPDATE "OutboxMessage" SET "payload" = "payload" - 'inbox' - 'request' WHERE "payload" ? 'inbox' OR "payload" ? 'request';

-- AlterTable
ALTER TABLE "OutboxMessage" DROP COLUMN "ticketId";
