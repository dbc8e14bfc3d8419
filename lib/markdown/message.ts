// One message as GitHub-flavoured Markdown: subject, author, date, permalink, then what the author
// wrote, with what they quoted as blockquotes (nested per depth, the attribution above), their
// diffs as ```diff blocks; signature and list footer left out.
import type { BlockContent, RootContent } from "mdast";
import { parseBody, type BodyContent } from "../body/tree";
import { Links } from "./links";
import { code, emphasis, formatDate, heading, inlineCode, joinPhrasing, label, link, paragraph, person, prose, text } from "./nodes";
import { toMarkdown } from "./stringify";

/** What Markdown needs of a message (lib/views/messages MessageDetail has it). */
export interface MarkdownMessage {
  msgid: string;
  subject: string;
  fromName: string;
  fromAddress: string;
  date: string | null;
  body: string;
  /** the list its permalink is in (else the first of lists) */
  list?: string | null;
  lists?: string[];
}

export interface MarkdownOptions {
  /** absolute links start here: PATCHLORE_BASE_URL, or the origin the request came to */
  baseUrl: string;
  /** the level of the top heading (default 3) */
  headingDepth?: number;
}

export interface MessageMarkdownOptions extends MarkdownOptions {
  /** include quoted text (default true) */
  quotes?: boolean;
}

/** A quote tree's nodes as mdast blocks. */
export function bodyBlocks(children: BodyContent[], opts: { quotes: boolean }): BlockContent[] {
  const out: BlockContent[] = [];
  for (const n of children) {
    switch (n.type) {
      case "text":
        out.push(...prose(n.value));
        break;
      case "diff":
        out.push(code(n.value, "diff"));
        break;
      case "diffstat":
        out.push(code(n.value));
        break;
      case "elision":
        out.push(paragraph(emphasis(text(n.value))));
        break;
      case "quote": {
        if (!opts.quotes) break;
        if (n.attribution) out.push(paragraph(emphasis(text(n.attribution.raw))));
        const inner = bodyBlocks(n.children, opts);
        if (inner.length) out.push({ type: "blockquote", children: inner });
        break;
      }
      case "signature":
      case "footer":
        break;
    }
  }
  return out;
}

export function messageNodes(m: MarkdownMessage, opts: MessageMarkdownOptions): RootContent[] {
  const links = new Links(opts.baseUrl);
  const list = m.list ?? m.lists?.[0] ?? null;
  const depth = opts.headingDepth ?? 3;
  const permalink = list ? links.message(list, m.msgid) : null;
  // as code: "<id@host>" as link text could read as an e-mail autolink
  const msgidText = inlineCode(`<${m.msgid}>`);
  const meta = joinPhrasing([
    person({ name: m.fromName, address: m.fromAddress }),
    [label(formatDate(m.date))],
    [permalink ? link(permalink, msgidText) : msgidText],
  ]);
  const tree = parseBody(m.body);
  return [
    heading(depth, text(m.subject || "(no subject)")),
    paragraph(...meta),
    ...bodyBlocks(tree.children, { quotes: opts.quotes !== false }),
  ];
}

export function messageToMarkdown(m: MarkdownMessage, opts: MessageMarkdownOptions): string {
  return toMarkdown(messageNodes(m, opts));
}
