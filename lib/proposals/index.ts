// lib/proposals: lines of design work across threads and years (pure). The database layer
// (lib/passes/proposals) loads series, threads, references and code, calls groupProposals and
// similarityLinks, and writes proposals, members and links with their provenance.
export * from "./types";
export { groupProposals, seedReason, cleanSubject, titleWordCosine, mergeTerms, REF_CONFIDENCE, FIXES_CONFIDENCE, SHARED_CODE_MERGE, TITLE_ALIKE } from "./group";
export { similarityLinks, SIMILARITY_DEFAULTS, type SimilarityOptions } from "./links";
export { classifyRefs, fixesTrailers, normalizeTitle, type ClassifiedRef, type FixesTrailer, type RefMethod } from "./refs";
export { changedFunctions, isCodePath, splitFunction, type HunkInput } from "./code";
export { termCounts, mentionedIdentifiers, tokenize, proseOf, buildModel, vectorize, cosine, similarPairs, type TermCounts } from "./text";
