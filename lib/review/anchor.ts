// Inline comments: a reply that quotes a patch answers it line by line. Each run of lines the
// replier wrote is anchored to the patch line the quote above it ends on: file, hunk, line in the
// hunk, side (old/new) and the line numbers, or to a line of the commit message. Comments above
// any quoted patch text are general (anchor null).
//
// Matching the quote against the patch. The quote is a subsequence of the patch's lines, often
//   trimmed ("[...]"), re-wrapped by the mailer (a long "+" line broken in two), whitespace-damaged
//   (tabs turned to spaces, the space of a context line eaten), or ambiguous (the same "+}" in
//   three hunks). So:
//   1. every quoted line gets candidate patch lines: the same marker and text with whitespace
//      collapsed ("exact"), the same text under another or a lost marker ("fuzzy"), a hunk header
//      with the same numbers; a quoted line that is the tail of a wrapped line is joined to the
//      line above it first;
//   2. the quote is aligned to the patch by a weighted longest increasing subsequence (anchors go
//      forward through the patch as the reply goes down; long distinctive lines weigh more than
//      "}" or "return 0;"; among equal alignments the most compact wins): repeated lines are told
//      apart by their neighbours and by the order of hunks;
//   3. quoted lines left over between two aligned lines are placed by position when the gap has
//      the same length on both sides ("order"), else by string similarity within the gap ("fuzzy").
// Confidence: 1 for a distinctive exact line, less for generic or ambiguous lines, fuzzy and
// positional placements.
//
// Replies to a review ("> > +foo" / "> comment" / "answer") form a discussion on the review's
// anchor: threadAnchor() carries a parent's anchors down to the comments that answer them.
//
// Line numbers: `lines` of a comment and `quotedAt` are 0-based lines of the reply body;
// `patchLine` is the 0-based line of the patch body (the index ParsedDiff uses).

// The code, entry points first, each file importing only the ones below it:
//   anchor-discussion.ts    threadAnchor, anchorReply, sameAnchor: discussions
//   anchor-comments.ts      anchorComments: a comment's quoted line, its patch line, its Anchor
//   anchor-comment-runs.ts  the runs of lines the replier wrote
//   not-comments.ts         what is not a comment: pings, bare links / Message-IDs, mutt's attachment markers
//   comment-quote.ts        the quoted lines a comment answers (InlineComment.quote, the review view's quote)
//   anchor-align.ts         steps 1-2: candidates and the weighted alignment
//   anchor-fill-gaps.ts     step 3: the lines left between aligned lines
//   anchor-quoted-lines.ts  the reply's quoted lines
//   anchor-patch-index.ts   the patch's lines, indexed once per patch
//   anchor-types.ts         the public shapes

export type { AnchorMethod, DiffAnchor, MessageAnchor, Anchor, InlineComment, PatchSource, AnchorOptions } from "./anchor-types";
export { anchorComments } from "./anchor-comments";
export { sameAnchor, threadAnchor, anchorReply } from "./anchor-discussion";
export { quoteAbove, commentQuote, QUOTE_LINES } from "./comment-quote";
export { isPing, isLinkOnly, isAttachmentMarker, isNotAComment } from "./not-comments";
