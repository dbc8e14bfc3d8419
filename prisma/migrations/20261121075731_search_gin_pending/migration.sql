-- Hand-written: Prisma cannot express index storage parameters (migrate diff ignores them).
-- A 32 MB GIN pending list per search index (PostgreSQL's default is 4 MB): new documents are
-- appended to it (searches read it as part of the index) and merged into the index by
-- lib/db/search-index.ts mergeSearchIndex on a connection of its own after each ingest batch,
-- so a batch of 1,000 messages never has to merge inline (lib/db/search-index.ts).
ALTER INDEX "search_doc_head_tsv_idx" SET (gin_pending_list_limit = 32768);
ALTER INDEX "search_doc_body_tsv_idx" SET (gin_pending_list_limit = 32768);
