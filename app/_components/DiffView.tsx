// A parsed diff as the patch page shows it: a file list, then each file with its hunks, old and
// new line numbers in the gutters, the hunk heading (usually the function), damage flagged, and
// the code highlighted by shiki on the server (app/_lib/highlight.ts). Every piece of mail
// content is React text; the tokens are text plus class names, never HTML.
import { Fragment, type ReactNode } from "react";
import type { FileDiff, ParsedDiff } from "@/lib/patch/diff";
import type { FileHighlight, HlToken } from "../_lib/highlight";
import { plural } from "../_lib/format";
import { codeUrl, fileAnchor, hunkAnchor } from "../_lib/urls";
import "../history.css";

/** Width of the +/- bar of the diffstat, in characters (git's is similar). */
const BAR_WIDTH = 40;

export function pathLabel(f: Pick<FileDiff, "oldPath" | "newPath" | "path" | "status">): string {
  if ((f.status === "renamed" || f.status === "copied") && f.oldPath && f.newPath && f.oldPath !== f.newPath) return `${f.oldPath} → ${f.newPath}`;
  return f.path;
}

/** "+++++--" scaled like git's diffstat bar. */
function Bar({ added, removed, max }: { added: number; removed: number; max: number }) {
  const total = added + removed;
  if (!total) return null;
  const scale = max > BAR_WIDTH ? BAR_WIDTH / max : 1;
  let a = Math.round(added * scale);
  let r = Math.round(removed * scale);
  if (added && !a) a = 1;
  if (removed && !r) r = 1;
  return (
    <span className="bar" aria-hidden="true">
      <span className="plus">{"+".repeat(a)}</span>
      <span className="minus">{"-".repeat(r)}</span>
    </span>
  );
}

/** The diffstat: one row per file, linking to the file below. */
export function DiffStat({ diff, id = "files" }: { diff: ParsedDiff; id?: string }) {
  const max = Math.max(0, ...diff.files.map((f) => f.added + f.removed));
  return (
    <section className="diffstat-list" id={id} aria-label="Files changed">
      <h2 className="section-title">
        {plural(diff.files.length, "file")} changed,{" "}
        <span className="plus">{plural(diff.added, "insertion")}(+)</span>, <span className="minus">{plural(diff.removed, "deletion")}(-)</span>
      </h2>
      <table className="grid files">
        <tbody>
          {diff.files.map((f, i) => (
            <tr key={i}>
              <td className="mono path">
                <a href={`#${fileAnchor(i + 1)}`}>{pathLabel(f)}</a>
                {f.status !== "modified" ? <span className={`tag st-${f.status}`}>{f.status}</span> : null}
                {f.damaged.length ? <span className="tag warn">damaged</span> : null}
              </td>
              <td className="num plus">{f.binary ? "bin" : `+${f.added}`}</td>
              <td className="num minus">{f.binary ? "" : `-${f.removed}`}</td>
              <td className="mono barcell">
                <Bar added={f.added} removed={f.removed} max={max} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Tokens({ tokens, text }: { tokens: HlToken[] | null; text: string }) {
  if (!tokens) return <>{text}</>;
  return (
    <>
      {tokens.map((t, i) =>
        t.cls ? (
          <span key={i} className={t.cls}>
            {t.text}
          </span>
        ) : (
          <Fragment key={i}>{t.text}</Fragment>
        ),
      )}
    </>
  );
}

const KIND_CLASS = { "+": "add", "-": "del", " ": "ctx", "\\": "nonl" } as const;

function FileHeader({ f, n }: { f: FileDiff; n: number }) {
  const notes: ReactNode[] = [];
  if (f.oldMode && f.newMode && f.oldMode !== f.newMode) notes.push(`mode ${f.oldMode} → ${f.newMode}`);
  else if (f.status === "added" && f.newMode) notes.push(`new file, mode ${f.newMode}`);
  else if (f.status === "deleted" && f.oldMode) notes.push(`deleted file, mode ${f.oldMode}`);
  if (f.similarity !== null) notes.push(`similarity ${f.similarity}%`);
  return (
    <header className="dfile-head">
      <a href={`#${fileAnchor(n)}`} className="anchor" aria-label={`link to file ${n}`}>
        #
      </a>
      <span className="mono path">{pathLabel(f)}</span>
      {f.status !== "modified" ? <span className={`tag st-${f.status}`}>{f.status}</span> : null}
      <span className="counts mono">
        <span className="plus">+{f.added}</span> <span className="minus">-{f.removed}</span>
      </span>
      {notes.length ? <span className="dim small">{notes.map((x, i) => <Fragment key={i}>{i ? " · " : ""}{x}</Fragment>)}</span> : null}
      <a href={codeUrl(f.path)} className="small code-history" title="every proposal, patch, review comment and decision that touched this file">
        history
      </a>
      <a href="#files" className="small up">
        files ↑
      </a>
    </header>
  );
}

/** What a page adds to the diff (the review view: discussions under their lines). */
export interface DiffAnnotations {
  /** under the file header (comments on the file's header lines) */
  file?: ReactNode;
  /** under hunk hi's header row, spanning the table */
  hunk?: (hi: number) => ReactNode;
  /** a line's extra class and id, and a row spanning the table under it */
  line?: (hi: number, li: number) => { className?: string; id?: string; after?: ReactNode } | null;
}

export function DiffFile({ f, n, hl, annotate }: { f: FileDiff; n: number; hl: FileHighlight | undefined; annotate?: DiffAnnotations }) {
  // problems of a hunk are shown at the hunk; the file lists the others
  const atHunks = new Set(f.hunks.map((h) => h.damaged).filter(Boolean));
  const fileProblems = f.damaged.filter((d) => !atHunks.has(d));
  return (
    <section className="dfile" id={fileAnchor(n)} aria-label={`file ${n}: ${f.path}`}>
      <FileHeader f={f} n={n} />
      {fileProblems.length ? (
        <ul className="damage">
          {fileProblems.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      ) : null}
      {f.binary ? (
        <p className="dfile-note dim">
          binary change
          {f.binaryPatch?.forward ? ` (GIT binary patch: ${f.binaryPatch.forward.method}, ${f.binaryPatch.forward.size} bytes)` : ""}; contents not shown
        </p>
      ) : null}
      {!f.binary && !f.hunks.length ? <p className="dfile-note dim">no content change</p> : null}
      {hl?.plainReason ? <p className="dfile-note dim">{hl.plainReason}</p> : null}
      {annotate?.file ?? null}
      {f.hunks.length ? (
        <div className="code-wrap">
          <table className={`code${hl?.lang ? " hl" : ""}`} data-lang={hl?.lang ?? "plain"}>
            {f.hunks.map((h, hi) => {
              const wrappedAt = new Map<number, { text: string }[]>();
              for (const w of h.wrapped) wrappedAt.set(w.at, [...(wrappedAt.get(w.at) ?? []), w]);
              const toks = hl?.tokens[hi];
              const range = h.header.replace(/^(@@ [^@]*@@).*$/, "$1");
              return (
                <tbody key={hi} className={h.damaged ? "damaged" : undefined}>
                  <tr className="hunk-head" id={hunkAnchor(n, hi + 1)}>
                    <td className="ln hunk-link" colSpan={2}>
                      <a href={`#${hunkAnchor(n, hi + 1)}`} aria-label={`link to hunk ${hi + 1} of file ${n}`}>
                        ¶
                      </a>
                    </td>
                    <td className="hunk-text" colSpan={2}>
                      <span className="range">{range}</span>
                      {h.heading ? <span className="fn">{h.heading}</span> : null}
                      {h.damaged ? (
                        <span className="tag warn" title={h.damaged}>
                          damaged
                        </span>
                      ) : null}
                    </td>
                  </tr>
                  {annotate?.hunk?.(hi) ?? null}
                  {h.damaged ? (
                    <tr className="damage-row">
                      <td colSpan={2} />
                      <td colSpan={2}>{h.damaged}</td>
                    </tr>
                  ) : null}
                  {h.lines.map((l, li) => {
                    const note = annotate?.line?.(hi, li) ?? null;
                    return (
                      <Fragment key={li}>
                        {(wrappedAt.get(li) ?? []).map((w, wi) => (
                          <tr key={`w${wi}`} className="l wrapped" title="the tail of a line the mailer wrapped; not part of the diff">
                            <td className="ln" />
                            <td className="ln" />
                            <td className="mk">↩</td>
                            <td className="src">{w.text}</td>
                          </tr>
                        ))}
                        <tr className={`l ${KIND_CLASS[l.kind]}${l.eaten ? " eaten" : ""}${note?.className ? ` ${note.className}` : ""}`} id={note?.id}>
                          <td className="ln" data-n={l.oldLine ?? undefined} />
                          <td className="ln" data-n={l.newLine ?? undefined} />
                          <td className="mk">{l.kind === "\\" ? "\\" : l.kind}</td>
                          <td className="src">{l.kind === "\\" ? l.text : <Tokens tokens={toks?.[li] ?? null} text={l.text} />}</td>
                        </tr>
                        {note?.after ?? null}
                      </Fragment>
                    );
                  })}
                  {(wrappedAt.get(h.lines.length) ?? []).map((w, wi) => (
                    <tr key={`we${wi}`} className="l wrapped">
                      <td className="ln" />
                      <td className="ln" />
                      <td className="mk">↩</td>
                      <td className="src">{w.text}</td>
                    </tr>
                  ))}
                </tbody>
              );
            })}
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function DiffView({ diff, highlight }: { diff: ParsedDiff; highlight: FileHighlight[] }) {
  return (
    <div className="diffview">
      {diff.files.map((f, i) => (
        <DiffFile key={i} f={f} n={i + 1} hl={highlight[i]} />
      ))}
    </div>
  );
}
