// The thread overview: the JWZ tree, depth first, indented like lore's, ghosts marked missing.
import type { ThreadView } from "@/lib/views/messages";
import { cleanText, shortDate, subjectText } from "../_lib/format";

export type TreeNode = ThreadView["tree"][number];

/** Indentation is text (monospace), so any depth works without inline styles; capped for width. */
const MAX_INDENT = 24;

export function normalizeSubject(s: string): string {
  let t = s.trim();
  for (;;) {
    const u = t.replace(/^(?:re|aw|sv|fwd?|antw)\s*(?:\[\d+\])?\s*:\s*/i, "");
    if (u === t) break;
    t = u;
  }
  return t.replace(/\s+/g, " ").toLowerCase();
}

export function ThreadTree({
  nodes,
  hrefFor,
  current,
  title = "Thread overview",
}: {
  nodes: TreeNode[];
  /** where a node links; null: no link */
  hrefFor: (n: TreeNode) => string | null;
  current?: string;
  title?: string;
}) {
  const parents: string[] = [];
  return (
    <section className="tree" aria-label={title}>
      <h2 className="section-title">
        {title} <span className="count">({nodes.filter((n) => !n.ghost).length} messages{nodes.some((n) => n.ghost) ? `, ${nodes.filter((n) => n.ghost).length} missing` : ""})</span>
      </h2>
      <ul className="tree-list">
        {nodes.map((n, i) => {
          parents.length = n.depth;
          const parentSubject = parents[n.depth - 1];
          const subject = n.ghost ? "" : n.subject;
          if (!n.ghost) parents[n.depth] = normalizeSubject(subject);
          else parents[n.depth] = parentSubject ?? "";
          const showSubject = !n.ghost && (n.depth === 0 || parentSubject === undefined || normalizeSubject(subject) !== parentSubject);
          const indent = "  ".repeat(Math.min(n.depth, MAX_INDENT)) + (n.depth > 0 ? "` " : "");
          const deep = n.depth > MAX_INDENT ? `[${n.depth}] ` : "";
          const href = hrefFor(n);
          const isCurrent = current !== undefined && n.msgid === current;
          const label = n.ghost ? `[message not in the archive: <${n.msgid}>]` : showSubject ? subjectText(subject) : cleanText(n.fromName || "(unknown)");
          return (
            <li key={`${i}:${n.msgid}`} className={`tn${n.ghost ? " ghost" : ""}${isCurrent ? " current" : ""}`}>
              <span className="tdate">{n.ghost ? "" : shortDate(n.date)}</span>
              <span className="tindent">
                {indent}
                {deep}
              </span>
              {href && !n.ghost ? (
                <a href={href} aria-current={isCurrent ? "true" : undefined}>
                  {label}
                </a>
              ) : (
                <span className="tlabel">{label}</span>
              )}
              {showSubject ? <span className="tauthor">{cleanText(n.fromName)}</span> : null}
              {isCurrent ? <span className="here"> ← this message</span> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
