// The code a proposal touched: files → functions → hunks, each hunk linked to its place in the
// patch view (/<list>/<msgid>/patch/#f<N>h<M>), files and functions to their code history pages.
import type { ProposalFile, ProposalHunk } from "@/lib/views/proposals";
import { codeHref } from "@/lib/code";
import { fileAnchor, hunkAnchor, patchUrl } from "../_lib/urls";

/** Files with more functions than this fold them. */
const OPEN_FUNCTIONS = 12;

function HunkLinks({ hunks }: { hunks: ProposalHunk[] }) {
  return (
    <ul className="pp-hunks">
      {hunks.map((h, i) => (
        <li key={i}>
          {h.list ? <a href={`${patchUrl(h.list, h.msgid)}#${hunkAnchor(h.file, h.hunk)}`}>{h.version}</a> : h.version}{" "}
          <span className="mono dim">{h.header}</span> <span className="plus">+{h.added}</span> <span className="minus">-{h.removed}</span>
        </li>
      ))}
    </ul>
  );
}

export function ProposalCode({ files }: { files: ProposalFile[] }) {
  if (!files.length) return <p className="dim">No patches: this proposal changes no code.</p>;
  return (
    <ul className="pp-files">
      {files.map((f) => {
        const firstHunk = f.functions[0]?.hunks[0] ?? f.other[0];
        const fns = (
          <ul className="pp-functions">
            {f.functions.map((fn) => (
              <li key={fn.name}>
                <a className="mono" href={codeHref(f.path, fn.name)}>
                  {fn.name}
                </a>
                <HunkLinks hunks={fn.hunks} />
              </li>
            ))}
            {f.other.length ? (
              <li>
                <span className="dim">(outside any function)</span>
                <HunkLinks hunks={f.other} />
              </li>
            ) : null}
          </ul>
        );
        return (
          <li key={f.path} className="pp-file">
            <a className="mono pp-path" href={codeHref(f.path)}>
              {f.path}
            </a>{" "}
            <span className="plus">+{f.added}</span> <span className="minus">-{f.removed}</span>
            {f.status !== "modified" ? <span className="dim"> ({f.status})</span> : null}{" "}
            <span className="dim">in {f.versions.join(", ")}</span>
            {firstHunk?.list ? (
              <>
                {" "}
                <a className="pp-aux" href={`${patchUrl(firstHunk.list, firstHunk.msgid)}#${fileAnchor(firstHunk.file)}`}>
                  diff
                </a>
              </>
            ) : null}
            {f.functions.length > OPEN_FUNCTIONS ? (
              <details>
                <summary>
                  {f.functions.length} functions
                </summary>
                {fns}
              </details>
            ) : (
              fns
            )}
          </li>
        );
      })}
    </ul>
  );
}
