// lib/markdown: GitHub-flavoured Markdown for pull requests, built as mdast and written by remark
// (remark-gfm): a message, a discussion, a whole review, the related-work summary.
export { toMarkdown, parseMarkdown } from "./stringify";
export { Links, normalizeBaseUrl, chooseBaseUrl, BaseUrlError, encodeSegment } from "./links";
export { messageToMarkdown, messageNodes, bodyBlocks, type MarkdownMessage, type MarkdownOptions, type MessageMarkdownOptions } from "./message";
export {
  discussionToMarkdown, discussionNodes, reviewToMarkdown, patchReviewNodes, seriesReviewNodes, verdictSummary, contextOf,
  VERDICT_LABEL, type DiscussionContext,
} from "./review";
export { relatedToMarkdown, relatedNodes, reviewSummaryText, type RelatedMarkdownOptions } from "./related";
export { visible, defuseGitHub, mailText, formatDate, prose } from "./nodes";
