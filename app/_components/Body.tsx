// A message body rendered from its body tree (lib/body parseBody, drawn as lib/body bodyView lays
// it out). Everything is React text (escaped); no mail content is ever given to
// dangerouslySetInnerHTML. Quotes fold with <details> (no JS).
import { Fragment, type ReactNode } from "react";
import { parseBody } from "@/lib/body/tree";
import { bodyView, type BlockView, type DiffView, type QuoteView } from "@/lib/body/view";
import { plural } from "../_lib/format";

/** Quotes up to this many lines stay open: folding a one-line quote hides more than it saves. */
const OPEN_QUOTE_LINES = 3;

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}]/g;

/** Prose with http(s) links made clickable; other schemes stay text. */
function linkify(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const i = m.index ?? 0;
    if (i > last) out.push(text.slice(last, i));
    out.push(
      <a key={i} href={m[0]} rel="nofollow noopener noreferrer">
        {m[0]}
      </a>,
    );
    last = i + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function Diff({ block }: { block: DiffView }) {
  return (
    <pre className="diff">
      {block.lines.map((l, i) => (
        <span key={i} className={`dl ${l.kind}${l.kind === "file" && i > 0 && block.lines[i - 1].kind !== "file" && block.lines[i - 1].kind !== "meta" ? " fstart" : ""}`}>
          {l.text}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

function quoteSummary(q: QuoteView): string {
  const who = q.quotedFrom ? ` from ${q.quotedFrom}` : "";
  return `quoted ${plural(q.quotedLines, "line")}${who}`;
}

function Quote({ block }: { block: QuoteView }) {
  const inner = <Blocks blocks={block.children} />;
  if (block.quotedLines <= OPEN_QUOTE_LINES) {
    return <blockquote className={`quote q${((block.depth - 1) % 4) + 1}`}>{inner}</blockquote>;
  }
  return (
    <details className={`quote q${((block.depth - 1) % 4) + 1}`}>
      <summary>{quoteSummary(block)}</summary>
      <div className="quote-body">{inner}</div>
    </details>
  );
}

function Block({ block }: { block: BlockView }) {
  switch (block.type) {
    case "text":
      return block.lines.length ? <pre className="text">{linkify(block.lines.join("\n"))}</pre> : null;
    case "quote":
      return <Quote block={block} />;
    case "diff":
      return <Diff block={block} />;
    case "diffstat":
      return <pre className="diffstat">{block.lines.join("\n")}</pre>;
    case "signature":
      return (
        <pre className="signature">
          {"-- \n"}
          {linkify(block.lines.join("\n"))}
        </pre>
      );
  }
}

function Blocks({ blocks }: { blocks: BlockView[] }) {
  return (
    <>
      {blocks.map((b, i) => (
        <Fragment key={i}>
          <Block block={b} />
        </Fragment>
      ))}
    </>
  );
}

/** A message body: its body tree, built once here, drawn block by block. */
export function Body({ text }: { text: string }) {
  const blocks = bodyView(parseBody(text));
  if (!blocks.length) return <div className="body empty">(empty body)</div>;
  return (
    <div className="body">
      <Blocks blocks={blocks} />
    </div>
  );
}
