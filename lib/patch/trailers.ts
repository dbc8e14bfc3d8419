// The trailer block of a commit message (Signed-off-by:, Reviewed-by:, ...), found by git
// interpret-trailers' rule.

/** [start, end) lines of a text. */
export interface LineRange {
  start: number;
  end: number;
}

export interface TrailerLine {
  /** the token before ":" ("Signed-off-by"), null for a non-trailer line inside the block ("[ukl: fixed typo]") */
  key: string | null;
  /** the value, continuation lines folded in (joined with one space) */
  value: string;
  /** the line(s) as written, continuation lines folded in the same way */
  raw: string;
  line: number;
  endLine: number;
}


const TRAILER_RE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;
/** prefixes that make a mostly-prose last paragraph a trailer block (git: Signed-off-by and
 * "(cherry picked from commit"; here also the tags kernel tools add) */
const RECOGNIZED =
  /^(Signed-off-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Suggested-by|Co-developed-by|Fixes|Link|Closes|Cc|Nacked-by|Reported-and-tested-by|Message-ID|Change-Id|Cherry-picked-from|\(cherry picked from commit)\b/i;

/**
 * The trailer block at the end of lines[start, end) (git interpret-trailers' rule: the last
 * paragraph, made only of trailers and continuation lines, or with at least 25% trailers and a
 * recognized one such as Signed-off-by). Returns its lines, or null.
 */
export function findTrailerBlock(lines: string[], start: number, end: number): { range: LineRange; trailers: TrailerLine[] } | null {
  let e = end;
  while (e > start && lines[e - 1].trim() === "") e--;
  if (e === start) return null;
  let s = e;
  while (s > start && lines[s - 1].trim() !== "") s--;
  let trailerLines = 0;
  let other = 0;
  let recognized = false;
  const out: TrailerLine[] = [];
  for (let i = s; i < e; i++) {
    const l = lines[i];
    const prev = out[out.length - 1];
    if ((l[0] === " " || l[0] === "\t") && prev) {
      const more = l.trim();
      prev.value = prev.value ? `${prev.value} ${more}` : more;
      prev.raw = `${prev.raw} ${more}`;
      prev.endLine = i + 1;
      continue;
    }
    const m = TRAILER_RE.exec(l);
    if (m) {
      trailerLines++;
      if (RECOGNIZED.test(l)) recognized = true;
      out.push({ key: m[1], value: m[2].trim(), raw: l.replace(/\s+$/, ""), line: i, endLine: i + 1 });
    } else {
      if (RECOGNIZED.test(l)) recognized = true;
      other++;
      out.push({ key: null, value: l.trim(), raw: l.replace(/\s+$/, ""), line: i, endLine: i + 1 });
    }
  }
  if (!((trailerLines && !other) || (recognized && trailerLines && trailerLines * 3 >= other))) return null;
  return { range: { start: s, end: e }, trailers: out };
}
