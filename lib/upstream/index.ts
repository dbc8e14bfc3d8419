// lib/upstream: which mailed patches became which upstream commits (PaStA-style). Pure.
//   similarity.ts  subject/message and diff similarity, the fuzzy score and its thresholds
//   links.ts       Message-IDs from Link:/Message-Id: trailers of commit messages
//   gitlog.ts      the `git log -p` stream format and its line parser
// Database: lib/db/upstream.ts. Reading a repository: ingest/commits.ts (`patchlore commits import`).

export * from "./similarity";
export * from "./links";
export * from "./gitlog";
