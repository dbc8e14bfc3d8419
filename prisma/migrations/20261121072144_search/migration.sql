-- CreateTable
CREATE TABLE "search_doc" (
    "message_id" BIGINT NOT NULL,
    "date" TIMESTAMPTZ(3),
    "received" TIMESTAMPTZ(3),
    "head_tsv" tsvector NOT NULL,
    "body_tsv" tsvector NOT NULL,

    CONSTRAINT "search_doc_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "search_doc_head_tsv_idx" ON "search_doc" USING GIN ("head_tsv");

-- CreateIndex
CREATE INDEX "search_doc_body_tsv_idx" ON "search_doc" USING GIN ("body_tsv");

-- CreateIndex
CREATE INDEX "search_doc_date_idx" ON "search_doc"("date" DESC);

-- CreateIndex
CREATE INDEX "search_doc_received_idx" ON "search_doc"("received");

-- AddForeignKey
ALTER TABLE "search_doc" ADD CONSTRAINT "search_doc_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;
