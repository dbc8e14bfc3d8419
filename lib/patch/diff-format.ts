// A parsed diff back to text (for patch-ids and round-trip checks).

import { BIN_HUNK_RE } from "./diff-lines";
import type { ParsedDiff } from "./diff-types";

/**
 * The diff as text again: every file's header lines, hunks and binary blocks, verbatim (an eaten
 * context line comes back empty unless `repair` is set, in which case it gets its space back).
 * Lines skipped inside the diff (svn property blocks, broken hunk remains) are not included.
 */
export function formatDiff(diff: ParsedDiff, opts: { repair?: boolean } = {}): string {
  const out: string[] = [];
  for (const f of diff.files) {
    for (const h of f.header) out.push(h);
    if (f.binaryPatch) {
      const bl = f.binaryPatch.lines;
      out.push(bl[0]);
      // blocks are separated (and ended) by an empty line
      for (let k = 1; k < bl.length; k++) {
        out.push(bl[k]);
        if (k + 1 < bl.length && BIN_HUNK_RE.test(bl[k + 1])) out.push("");
      }
      if (bl.length > 1) out.push("");
    }
    for (const h of f.hunks) {
      out.push(h.header);
      let w = 0;
      for (let k = 0; k < h.lines.length; k++) {
        while (w < h.wrapped.length && h.wrapped[w].at === k) out.push(h.wrapped[w++].text);
        const l = h.lines[k];
        if (l.kind === "\\") out.push("\\ " + l.text);
        else if (l.eaten && !opts.repair) out.push("");
        else out.push(l.kind + l.text);
      }
      while (w < h.wrapped.length) out.push(h.wrapped[w++].text);
    }
  }
  return out.length ? out.join("\n") + "\n" : "";
}
