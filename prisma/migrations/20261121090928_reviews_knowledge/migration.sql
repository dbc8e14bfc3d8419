-- AlterTable
ALTER TABLE "person" ADD COLUMN     "canonical_id" INTEGER;

-- CreateTable
CREATE TABLE "trailer" (
    "id" BIGSERIAL NOT NULL,
    "message_id" BIGINT NOT NULL,
    "thread_id" INTEGER,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "person_name" TEXT,
    "person_address" TEXT,
    "person_id" INTEGER,
    "commit" TEXT,
    "url" TEXT,
    "comment" TEXT,
    "line" INTEGER NOT NULL,
    "end_line" INTEGER NOT NULL,
    "mismatch" BOOLEAN NOT NULL DEFAULT false,
    "method" TEXT NOT NULL DEFAULT 'b4-rules',
    "confidence" DOUBLE PRECISION NOT NULL DEFAULT 1,

    CONSTRAINT "trailer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patch_trailer" (
    "series_id" INTEGER NOT NULL,
    "patch_message_id" BIGINT NOT NULL,
    "trailer_id" BIGINT NOT NULL,
    "via" TEXT NOT NULL,

    CONSTRAINT "patch_trailer_pkey" PRIMARY KEY ("series_id","patch_message_id","trailer_id")
);

-- CreateTable
CREATE TABLE "review" (
    "message_id" BIGINT NOT NULL,
    "thread_id" INTEGER,
    "patch_message_id" BIGINT,
    "kind" TEXT NOT NULL,
    "verdict" TEXT,
    "verdict_line" INTEGER,
    "verdict_text" TEXT,
    "comment_count" INTEGER NOT NULL DEFAULT 0,
    "rejected" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "review_pkey" PRIMARY KEY ("message_id")
);

-- CreateTable
CREATE TABLE "discussion" (
    "id" BIGSERIAL NOT NULL,
    "thread_id" INTEGER,
    "patch_message_id" BIGINT NOT NULL,
    "part" TEXT NOT NULL,
    "anchor" JSONB,
    "file" TEXT,
    "hunk_index" INTEGER,
    "line_number" INTEGER,
    "side" TEXT,
    "heading" TEXT,
    "patch_line" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolved_how" TEXT,
    "resolved_confidence" DOUBLE PRECISION,
    "resolved_evidence" TEXT,
    "next_patch_message_id" BIGINT,
    "carried_anchor" JSONB,
    "carried_from_id" BIGINT,
    "first_date" TIMESTAMPTZ(3),

    CONSTRAINT "discussion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_comment" (
    "id" BIGSERIAL NOT NULL,
    "discussion_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "first_line" INTEGER NOT NULL,
    "last_line" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "in_reply_to_id" BIGINT,

    CONSTRAINT "review_comment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idea" (
    "id" BIGSERIAL NOT NULL,
    "message_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "quote" TEXT NOT NULL,
    "first_line" INTEGER NOT NULL,
    "last_line" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'detected',
    "curated_by" INTEGER,
    "curated_at" TIMESTAMPTZ(3),
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "idea_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "decision" (
    "id" BIGSERIAL NOT NULL,
    "message_id" BIGINT,
    "kind" TEXT NOT NULL,
    "target" TEXT,
    "reason" TEXT,
    "quote" TEXT NOT NULL DEFAULT '',
    "first_line" INTEGER NOT NULL DEFAULT 0,
    "last_line" INTEGER NOT NULL DEFAULT 0,
    "method" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "series_id" INTEGER,
    "patch_message_id" BIGINT,
    "status" TEXT NOT NULL DEFAULT 'detected',
    "curated_by" INTEGER,
    "curated_at" TIMESTAMPTZ(3),
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "benchmark" (
    "id" BIGSERIAL NOT NULL,
    "message_id" BIGINT NOT NULL,
    "suite" TEXT,
    "test" TEXT,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "unit" TEXT,
    "change" DOUBLE PRECISION,
    "direction" TEXT,
    "machine" TEXT,
    "config" JSONB NOT NULL DEFAULT '{}',
    "commit" TEXT,
    "first_line" INTEGER NOT NULL,
    "last_line" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "quote" TEXT NOT NULL DEFAULT '',
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "benchmark_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "robot_report" (
    "message_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "robot" TEXT NOT NULL,
    "commit" TEXT,
    "suite" TEXT,
    "metric" TEXT,
    "change" DOUBLE PRECISION,
    "direction" TEXT,
    "method" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "robot_report_pkey" PRIMARY KEY ("message_id")
);

-- CreateTable
CREATE TABLE "proposal" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "custom_title" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "first_date" TIMESTAMPTZ(3),
    "last_date" TIMESTAMPTZ(3),
    "merged_into_id" INTEGER,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "proposal_member" (
    "id" BIGSERIAL NOT NULL,
    "proposal_id" INTEGER NOT NULL,
    "ref" TEXT NOT NULL,
    "series_id" INTEGER,
    "thread_id" INTEGER,
    "message_id" BIGINT,
    "role" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "state" TEXT NOT NULL DEFAULT 'auto',

    CONSTRAINT "proposal_member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "proposal_link" (
    "id" SERIAL NOT NULL,
    "from_id" INTEGER NOT NULL,
    "to_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "proposal_link_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "user_id" INTEGER,
    "action" TEXT NOT NULL,
    "target_kind" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run" (
    "id" SERIAL NOT NULL,
    "proposal_id" INTEGER,
    "series_id" INTEGER,
    "patch_message_id" BIGINT,
    "tool" TEXT NOT NULL,
    "tool_version" TEXT,
    "label" TEXT NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "series" JSONB NOT NULL DEFAULT '[]',
    "attachments" JSONB NOT NULL DEFAULT '[]',
    "document" JSONB NOT NULL,
    "source_name" TEXT,
    "created_by" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "upstream_commit" (
    "sha" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "author_name" TEXT NOT NULL,
    "author_email" TEXT NOT NULL,
    "author_date" TIMESTAMPTZ(3),
    "committer_date" TIMESTAMPTZ(3),
    "patch_id" TEXT,
    "link_msgids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "files" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "body" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "upstream_commit_pkey" PRIMARY KEY ("sha")
);

-- CreateTable
CREATE TABLE "patch_commit" (
    "message_id" BIGINT NOT NULL,
    "sha" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "patch_commit_pkey" PRIMARY KEY ("message_id","sha")
);

-- CreateIndex
CREATE INDEX "trailer_message_id_idx" ON "trailer"("message_id");

-- CreateIndex
CREATE INDEX "trailer_thread_id_idx" ON "trailer"("thread_id");

-- CreateIndex
CREATE INDEX "trailer_kind_person_address_idx" ON "trailer"("kind", "person_address");

-- CreateIndex
CREATE INDEX "patch_trailer_patch_message_id_idx" ON "patch_trailer"("patch_message_id");

-- CreateIndex
CREATE INDEX "patch_trailer_trailer_id_idx" ON "patch_trailer"("trailer_id");

-- CreateIndex
CREATE INDEX "review_patch_message_id_idx" ON "review"("patch_message_id");

-- CreateIndex
CREATE INDEX "review_thread_id_idx" ON "review"("thread_id");

-- CreateIndex
CREATE INDEX "review_verdict_idx" ON "review"("verdict");

-- CreateIndex
CREATE INDEX "discussion_patch_message_id_idx" ON "discussion"("patch_message_id");

-- CreateIndex
CREATE INDEX "discussion_thread_id_idx" ON "discussion"("thread_id");

-- CreateIndex
CREATE INDEX "discussion_file_idx" ON "discussion"("file");

-- CreateIndex
CREATE INDEX "review_comment_discussion_id_idx" ON "review_comment"("discussion_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_comment_message_id_position_key" ON "review_comment"("message_id", "position");

-- CreateIndex
CREATE INDEX "idea_message_id_idx" ON "idea"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "idea_message_id_first_line_kind_key" ON "idea"("message_id", "first_line", "kind");

-- CreateIndex
CREATE INDEX "decision_message_id_idx" ON "decision"("message_id");

-- CreateIndex
CREATE INDEX "decision_series_id_idx" ON "decision"("series_id");

-- CreateIndex
CREATE INDEX "decision_kind_idx" ON "decision"("kind");

-- CreateIndex
CREATE INDEX "benchmark_message_id_idx" ON "benchmark"("message_id");

-- CreateIndex
CREATE INDEX "benchmark_suite_metric_idx" ON "benchmark"("suite", "metric");

-- CreateIndex
CREATE INDEX "benchmark_commit_idx" ON "benchmark"("commit");

-- CreateIndex
CREATE INDEX "robot_report_commit_idx" ON "robot_report"("commit");

-- CreateIndex
CREATE UNIQUE INDEX "proposal_key_key" ON "proposal"("key");

-- CreateIndex
CREATE INDEX "proposal_last_date_idx" ON "proposal"("last_date" DESC);

-- CreateIndex
CREATE INDEX "proposal_member_series_id_idx" ON "proposal_member"("series_id");

-- CreateIndex
CREATE INDEX "proposal_member_thread_id_idx" ON "proposal_member"("thread_id");

-- CreateIndex
CREATE INDEX "proposal_member_message_id_idx" ON "proposal_member"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "proposal_member_proposal_id_ref_key" ON "proposal_member"("proposal_id", "ref");

-- CreateIndex
CREATE UNIQUE INDEX "proposal_link_from_id_to_id_kind_key" ON "proposal_link"("from_id", "to_id", "kind");

-- CreateIndex
CREATE INDEX "audit_log_target_kind_target_id_idx" ON "audit_log"("target_kind", "target_id");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- CreateIndex
CREATE INDEX "run_proposal_id_idx" ON "run"("proposal_id");

-- CreateIndex
CREATE INDEX "run_series_id_idx" ON "run"("series_id");

-- CreateIndex
CREATE INDEX "upstream_commit_patch_id_idx" ON "upstream_commit"("patch_id");

-- CreateIndex
CREATE INDEX "upstream_commit_subject_idx" ON "upstream_commit"("subject");

-- CreateIndex
CREATE INDEX "patch_commit_sha_idx" ON "patch_commit"("sha");

-- AddForeignKey
ALTER TABLE "trailer" ADD CONSTRAINT "trailer_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patch_trailer" ADD CONSTRAINT "patch_trailer_trailer_id_fkey" FOREIGN KEY ("trailer_id") REFERENCES "trailer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "discussion" ADD CONSTRAINT "discussion_patch_message_id_fkey" FOREIGN KEY ("patch_message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_comment" ADD CONSTRAINT "review_comment_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_comment" ADD CONSTRAINT "review_comment_discussion_id_fkey" FOREIGN KEY ("discussion_id") REFERENCES "discussion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idea" ADD CONSTRAINT "idea_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decision" ADD CONSTRAINT "decision_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "benchmark" ADD CONSTRAINT "benchmark_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "robot_report" ADD CONSTRAINT "robot_report_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposal_member" ADD CONSTRAINT "proposal_member_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposal_link" ADD CONSTRAINT "proposal_link_from_id_fkey" FOREIGN KEY ("from_id") REFERENCES "proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposal_link" ADD CONSTRAINT "proposal_link_to_id_fkey" FOREIGN KEY ("to_id") REFERENCES "proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposal"("id") ON DELETE SET NULL ON UPDATE CASCADE;
