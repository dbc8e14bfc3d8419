-- AlterTable
ALTER TABLE "message" ADD COLUMN     "facts" JSONB,
ADD COLUMN     "kind" TEXT;

-- CreateTable
CREATE TABLE "patch" (
    "message_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "attachment" INTEGER,
    "title" TEXT NOT NULL,
    "subsystem" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "revision" TEXT NOT NULL DEFAULT '1',
    "counter_index" DOUBLE PRECISION,
    "counter_total" INTEGER,
    "is_rfc" BOOLEAN NOT NULL DEFAULT false,
    "is_resend" BOOLEAN NOT NULL DEFAULT false,
    "prefixes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "commit_message" TEXT NOT NULL DEFAULT '',
    "notes" TEXT,
    "patch_id" TEXT,
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "files_changed" INTEGER NOT NULL DEFAULT 0,
    "diffstat" JSONB,
    "mismatches" JSONB NOT NULL DEFAULT '[]',
    "damaged" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "parts" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "patch_pkey" PRIMARY KEY ("message_id")
);

-- CreateTable
CREATE TABLE "patch_file" (
    "id" BIGSERIAL NOT NULL,
    "message_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "old_path" TEXT,
    "new_path" TEXT,
    "path" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "old_mode" TEXT,
    "new_mode" TEXT,
    "similarity" INTEGER,
    "old_hash" TEXT,
    "new_hash" TEXT,
    "binary" BOOLEAN NOT NULL DEFAULT false,
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "start_line" INTEGER NOT NULL,
    "end_line" INTEGER NOT NULL,
    "damaged" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "patch_file_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hunk" (
    "id" BIGSERIAL NOT NULL,
    "file_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "old_start" INTEGER NOT NULL,
    "old_lines" INTEGER NOT NULL,
    "new_start" INTEGER NOT NULL,
    "new_lines" INTEGER NOT NULL,
    "heading" TEXT NOT NULL DEFAULT '',
    "start_line" INTEGER NOT NULL,
    "end_line" INTEGER NOT NULL,
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "added_text" TEXT NOT NULL DEFAULT '',
    "removed_text" TEXT NOT NULL DEFAULT '',
    "context_text" TEXT NOT NULL DEFAULT '',
    "damaged" TEXT,

    CONSTRAINT "hunk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "series" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "list_id" INTEGER,
    "thread_id" INTEGER,
    "cover_id" BIGINT,
    "title" TEXT NOT NULL,
    "title_key" TEXT NOT NULL,
    "subsystem" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "revision" TEXT NOT NULL DEFAULT '1',
    "is_rfc" BOOLEAN NOT NULL DEFAULT false,
    "is_resend" BOOLEAN NOT NULL DEFAULT false,
    "total" INTEGER NOT NULL DEFAULT 1,
    "author" TEXT NOT NULL,
    "author_id" INTEGER,
    "date" TIMESTAMPTZ(3),
    "last_date" TIMESTAMPTZ(3),
    "change_id" TEXT,
    "base_commit" TEXT,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "missing" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "method" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "version_line_id" INTEGER,

    CONSTRAINT "series_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "series_patch" (
    "series_id" INTEGER NOT NULL,
    "message_id" BIGINT NOT NULL,
    "index" DOUBLE PRECISION NOT NULL,
    "inherited" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "series_patch_pkey" PRIMARY KEY ("series_id","message_id")
);

-- CreateTable
CREATE TABLE "version_line" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,

    CONSTRAINT "version_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "version_link" (
    "id" SERIAL NOT NULL,
    "from_id" INTEGER NOT NULL,
    "to_id" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "version_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "patch_patch_id_idx" ON "patch"("patch_id");

-- CreateIndex
CREATE INDEX "patch_file_path_idx" ON "patch_file"("path");

-- CreateIndex
CREATE UNIQUE INDEX "patch_file_message_id_position_key" ON "patch_file"("message_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "hunk_file_id_position_key" ON "hunk"("file_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "series_key_key" ON "series"("key");

-- CreateIndex
CREATE INDEX "series_thread_id_idx" ON "series"("thread_id");

-- CreateIndex
CREATE INDEX "series_author_title_key_idx" ON "series"("author", "title_key");

-- CreateIndex
CREATE INDEX "series_change_id_idx" ON "series"("change_id");

-- CreateIndex
CREATE INDEX "series_version_line_id_idx" ON "series"("version_line_id");

-- CreateIndex
CREATE INDEX "series_patch_message_id_idx" ON "series_patch"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "version_link_from_id_to_id_key" ON "version_link"("from_id", "to_id");

-- AddForeignKey
ALTER TABLE "patch" ADD CONSTRAINT "patch_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "patch_file" ADD CONSTRAINT "patch_file_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "patch"("message_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hunk" ADD CONSTRAINT "hunk_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "patch_file"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "series" ADD CONSTRAINT "series_version_line_id_fkey" FOREIGN KEY ("version_line_id") REFERENCES "version_line"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "series_patch" ADD CONSTRAINT "series_patch_series_id_fkey" FOREIGN KEY ("series_id") REFERENCES "series"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "series_patch" ADD CONSTRAINT "series_patch_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version_link" ADD CONSTRAINT "version_link_from_id_fkey" FOREIGN KEY ("from_id") REFERENCES "series"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version_link" ADD CONSTRAINT "version_link_to_id_fkey" FOREIGN KEY ("to_id") REFERENCES "series"("id") ON DELETE CASCADE ON UPDATE CASCADE;
