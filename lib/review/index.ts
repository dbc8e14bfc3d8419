// lib/review: reviews by mail, made as readable as a pull-request review. Pure functions.
//
//   (the body tree every review reads, and its line model, is lib/body/tree parseBody)
//   attribution.ts  the one attribution parser ("On …, X wrote:", Outlook header blocks, …)
//   trailers.ts     trailers the way b4 collects them, verdicts (NAK first, each reviewer's latest
//                   word), where reply trailers apply
//   anchor.ts       inline comments anchored to the patch lines their quote ends on; discussions
//                   (the entry point of anchor-*.ts: patch index, quoted lines, alignment, comments)
//   resolve.ts      resolved by the next version's code or the author's word; ported like Gerrit
//   placement.ts    what an anchor shows on a review page (its code, its row in the diff), stored with it
//
// Per message (parallel, no context but the message and the patch it answers):
//   analyzePatchMessage(body)                       its commit-message trailers
//   analyzeReply(body, { from, patch, parentComments }) tree, reply trailers, verdict, inline comments
// Per thread / series (cross-message):
//   analyzeThread(messages, series)                  all of the above for a thread, parents first, plus
//                                                    attributeTrailers: which patch each reply trailer applies to
//   resolveDiscussion({ anchor, replies, diff, nextDiff })        resolved / carried to the next version

export * from "./trailers";
export * from "./anchor";
export * from "./placement";
export * from "./resolve";
export * from "./analyze";
export * from "./thread";
export * from "./view";
