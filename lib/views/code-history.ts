// Code history: every proposal, series, patch, hunk, review comment, decision and upstream commit
// that touched a file (or one function of it), over time; and a directory view of the paths
// patches touched. Served by /code/<path>[/<function>], /api/code/<path> and `patchlore code`.
//
// Sources: patch_file.path (and old_path, for renames) and hunk rows for what changed; the hunk's
// lines, read back from the message body, for which functions a hunk changes (lib/code
// hunkFunctions) — a function page reads only the hunks whose heading or text mentions the name;
// discussion rows (file, hunk index, anchor) with their review comments; decision rows by series
// or patch; proposal_member rows by series; patch_commit for patches found upstream.
import type { Db } from "../db/client";
import { iso, type SeriesRef } from "./refs";
import {
  codeSegments,
  functionAtLine,
  functionFromHeading,
  hunkFunctions,
  hunkFunctionsFromTexts,
  hunkLinesFromText,
  resolveCodePath,
  type CodeTarget,
  type HunkLineInput,
} from "../code";


export interface CodeDirEntry {
  name: string;
  path: string;
  kind: "file" | "dir";
  /** distinct patches (messages) that touched it (for a directory: anything under it) */
  patches: number;
  /** distinct files under a directory (1 for a file) */
  files: number;
  hunks: number;
  /** review discussions anchored in it */
  comments: number;
  firstDate: string | null;
  lastDate: string | null;
}

export interface CodeDirectory {
  kind: "dir";
  prefix: string;
  entries: CodeDirEntry[];
  totals: { patches: number; files: number };
}

export interface CodePerson {
  name: string;
  address: string;
}

export interface CodeHunk {
  /** 1-based, as the patch page's anchors (#f<file>h<hunk>) */
  file: number;
  hunk: number;
  header: string;
  heading: string;
  /** the function the heading names */
  headingFunction: string | null;
  /** functions the hunk's changed lines are in; method says how that was found */
  functions: string[];
  functionsMethod: "hunk-lines" | "hunk-texts";
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  added: number;
  removed: number;
  damaged: string | null;
}

export interface CodeComment {
  discussionId: string;
  /** the first comment's message */
  msgid: string;
  list: string | null;
  by: CodePerson;
  date: string | null;
  text: string;
  /** 1-based hunk of this file the comment is on (null: on the file header) */
  hunk: number | null;
  line: number | null;
  side: string | null;
  /** the function the commented line is in (from the hunk's lines, else the hunk heading) */
  function: string | null;
  status: string;
  resolvedHow: string | null;
  replies: number;
  /** how the comment was anchored, and how sure */
  method: string;
  confidence: number;
}

export interface CodeCommit {
  sha: string;
  subject: string;
  date: string | null;
  method: string;
  score: number;
}

export interface CodePatch {
  msgid: string;
  list: string | null;
  title: string;
  kind: string;
  date: string | null;
  by: CodePerson;
  version: number;
  counter: { index: number; total: number } | null;
  /** the file as this patch changes it */
  path: string;
  oldPath: string | null;
  status: string;
  added: number;
  removed: number;
  hunks: CodeHunk[];
  comments: CodeComment[];
  commits: CodeCommit[];
}

export interface CodeDecision {
  kind: string;
  msgid: string | null;
  list: string | null;
  date: string | null;
  quote: string;
  target: string | null;
  method: string;
  confidence: number;
  patchMsgid: string | null;
}

export interface CodeSeries extends SeriesRef {
  list: string | null;
  date: string | null;
  author: string;
  patches: CodePatch[];
  decisions: CodeDecision[];
}

export interface CodeProposal {
  id: number;
  key: string;
  title: string;
  status: string;
  /** how the series joined it (proposal_member.method, confidence) */
  method: string;
  confidence: number;
}

export interface CodeGroup {
  /** the proposal the series belong to (null: no proposal known) */
  proposal: CodeProposal | null;
  /** series postings in date order; a patch outside any series is a series of its own with key "" */
  series: CodeSeries[];
  firstDate: string | null;
  lastDate: string | null;
}

export interface CodeHistory {
  kind: "file";
  path: string;
  function: string | null;
  /** functions changed in this file's hunks, most changed first (for the page's function list) */
  functions: { name: string; hunks: number }[];
  counts: { proposals: number; series: number; patches: number; hunks: number; comments: number; decisions: number; commits: number };
  firstDate: string | null;
  lastDate: string | null;
  /** oldest first */
  groups: CodeGroup[];
  /** more patches touched the file than `limit`: the newest were kept */
  truncated: boolean;
}

export type CodeResult = CodeDirectory | CodeHistory;

/** The file paths among `candidates` that some patch touched (as new path, else as old path). */
export async function knownFilePaths(db: Db, candidates: string[]): Promise<Set<string>> {
  if (!candidates.length) return new Set();
  const { rows } = await db.pool.query(`SELECT DISTINCT path FROM patch_file WHERE path = ANY($1::text[])`, [candidates]);
  const found = new Set(rows.map((r) => r.path as string));
  if (found.size < candidates.length) {
    const rest = candidates.filter((c) => !found.has(c));
    const { rows: old } = await db.pool.query(`SELECT DISTINCT old_path FROM patch_file WHERE old_path = ANY($1::text[])`, [rest]);
    for (const r of old) found.add(r.old_path);
  }
  return found;
}

/** What /code/<segments> names (see lib/code/paths.ts: the longest known file prefix). */
export async function resolveCode(db: Db, segments: string[], fn?: string | null): Promise<CodeTarget | null> {
  const segs = codeSegments(segments);
  const prefixes: string[] = [];
  for (let k = segs.length; k >= 1; k--) prefixes.push(segs.slice(0, k).join("/"));
  const known = await knownFilePaths(db, fn ? [segs.join("/")] : prefixes);
  return resolveCodePath(segs, (p) => known.has(p), fn);
}

/** The files and directories directly under `prefix` ("" = the top) that patches touched, with counts. */
export async function getCodeDirectory(db: Db, prefix: string): Promise<CodeDirectory | null> {
  const { rows } = await db.pool.query(
    `WITH f AS (
       SELECT pf.id, pf.message_id, pf.path, (SELECT count(*) FROM hunk h WHERE h.file_id = pf.id) AS hunks,
              CASE WHEN $1 = '' THEN pf.path ELSE substr(pf.path, length($1) + 2) END AS rest
       FROM patch_file pf
       WHERE $1 = '' OR starts_with(pf.path, $1 || '/')
     )
     SELECT split_part(f.rest, '/', 1) AS name, strpos(f.rest, '/') = 0 AS is_file,
            count(DISTINCT f.message_id) AS patches, count(DISTINCT f.path) AS files,
            sum(f.hunks) AS hunks,
            min(m.date) AS first_date, max(m.date) AS last_date
     FROM f JOIN message m ON m.id = f.message_id
     GROUP BY 1, 2 ORDER BY 2, 1`,
    [prefix],
  );
  if (!rows.length) return null;
  const { rows: com } = await db.pool.query(
    `WITH d AS (
       SELECT CASE WHEN $1 = '' THEN d.file ELSE substr(d.file, length($1) + 2) END AS rest
       FROM discussion d WHERE d.file IS NOT NULL AND ($1 = '' OR starts_with(d.file, $1 || '/'))
     )
     SELECT split_part(rest, '/', 1) AS name, strpos(rest, '/') = 0 AS is_file, count(*) AS n FROM d GROUP BY 1, 2`,
    [prefix],
  );
  const comments = new Map(com.map((r) => [`${r.is_file}:${r.name}`, Number(r.n)]));
  const { rows: [tot] } = await db.pool.query(
    `SELECT count(DISTINCT message_id) AS patches, count(DISTINCT path) AS files FROM patch_file WHERE $1 = '' OR starts_with(path, $1 || '/')`,
    [prefix],
  );
  return {
    kind: "dir",
    prefix,
    totals: { patches: Number(tot.patches), files: Number(tot.files) },
    entries: rows.map((r) => ({
      name: r.name,
      path: prefix ? `${prefix}/${r.name}` : r.name,
      kind: r.is_file ? "file" : "dir",
      patches: Number(r.patches),
      files: Number(r.files),
      hunks: Number(r.hunks ?? 0),
      comments: comments.get(`${r.is_file}:${r.name}`) ?? 0,
      firstDate: iso(r.first_date),
      lastDate: iso(r.last_date),
    })),
  };
}

interface HunkRow {
  file_id: number;
  message_id: number;
  position: number;
  file_position: number;
  path: string;
  old_start: number;
  old_lines: number;
  new_start: number;
  new_lines: number;
  heading: string;
  start_line: number;
  end_line: number;
  added: number;
  removed: number;
  added_text: string | null;
  removed_text: string | null;
  damaged: string | null;
  patch_kind: string;
  context_mentions: boolean;
}

const HUNK_HEADER = (h: HunkRow) => {
  const r = (s: number, n: number) => (n === 1 ? `${s}` : `${s},${n}`);
  return `@@ -${r(h.old_start, h.old_lines)} +${r(h.new_start, h.new_lines)} @@${h.heading ? ` ${h.heading}` : ""}`;
};

export interface CodeHistoryOptions {
  /** only hunks (and comments) in this function */
  function?: string | null;
  /** at most this many patches, the newest (default 500) */
  limit?: number;
}

/** The design history of one file, or of one function in it; null when no patch touched the file. */
export async function getCodeHistory(db: Db, path: string, opts: CodeHistoryOptions = {}): Promise<CodeHistory | null> {
  const fn = opts.function?.trim() || null;
  const limit = Math.max(1, Math.min(5000, opts.limit ?? 500));
  // the file rows (a rename counts for both of its names)
  const { rows: files } = await db.pool.query(
    `SELECT pf.id, pf.message_id, pf.position, pf.path, pf.old_path, pf.status, pf.added, pf.removed,
            p.kind, p.title, p.version, p.counter_index, p.counter_total,
            m.msgid, m.date, m.from_name, m.from_address, m.body,
            (SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id ORDER BY l.name LIMIT 1) AS list
     FROM patch_file pf JOIN patch p ON p.message_id = pf.message_id JOIN message m ON m.id = pf.message_id
     WHERE (pf.path = $1 OR pf.old_path = $1)
     ORDER BY m.date DESC NULLS LAST, m.id DESC`,
    [path],
  );
  if (!files.length) return null;
  const truncated = files.length > limit;
  const fileRows = files.slice(0, limit);
  const fileIds = fileRows.map((f) => f.id);
  const { rows: hunkRows } = await db.pool.query<HunkRow>(
    `SELECT h.file_id, pf.message_id, h.position, pf.position AS file_position, pf.path, h.old_start, h.old_lines, h.new_start, h.new_lines,
            h.heading, h.start_line, h.end_line, h.added, h.removed, h.added_text, h.removed_text, h.damaged, p.kind AS patch_kind,
            ($2 <> '' AND strpos(h.context_text, $2) > 0) AS context_mentions
     FROM hunk h JOIN patch_file pf ON pf.id = h.file_id JOIN patch p ON p.message_id = pf.message_id
     WHERE h.file_id = ANY($1::bigint[]) ORDER BY h.file_id, h.position`,
    [fileIds, fn ?? ""],
  );
  const bodyOf = new Map<number, string>(fileRows.map((f) => [f.message_id as number, f.body as string]));
  const bodyLinesCache = new Map<number, string[]>();
  const bodyLines = (mid: number) => {
    let l = bodyLinesCache.get(mid);
    if (!l) bodyLinesCache.set(mid, (l = (bodyOf.get(mid) ?? "").split("\n")));
    return l;
  };
  /** the hunk's lines from the body (null for attachments: their lines are not in the body) */
  const linesOf = (h: HunkRow): HunkLineInput[] | null => {
    if (h.patch_kind === "attachment") return null;
    const all = bodyLines(h.message_id);
    if (h.end_line > all.length || h.start_line < 0) return null;
    const raw = all.slice(h.start_line + 1, h.end_line);
    if (!raw.length && h.added + h.removed > 0) return null;
    return hunkLinesFromText(raw);
  };
  const hunkLinesMemo = new Map<string, HunkLineInput[] | null>();
  const memoLines = (h: HunkRow) => {
    const k = `${h.file_id}:${h.position}`;
    if (!hunkLinesMemo.has(k)) hunkLinesMemo.set(k, linesOf(h));
    return hunkLinesMemo.get(k)!;
  };

  const hunksByFile = new Map<number, CodeHunk[]>();
  const fnCount = new Map<string, number>();
  for (const h of hunkRows) {
    // the hunk's lines in order (from the body) say which functions it changes; with a function
    // asked for, a hunk whose heading and text never name it cannot change it and is not read
    let functions: string[];
    let method: CodeHunk["functionsMethod"] = "hunk-texts";
    const mentions =
      fn === null || h.context_mentions || h.heading.includes(fn) || (h.added_text ?? "").includes(fn) || (h.removed_text ?? "").includes(fn);
    if (!mentions) {
      for (const f of hunkFunctionsFromTexts(h.heading, h.added_text ?? "", h.removed_text ?? "", h.path)) fnCount.set(f, (fnCount.get(f) ?? 0) + 1);
      continue;
    }
    const lines = memoLines(h);
    if (lines) {
      functions = hunkFunctions(h.heading, lines, h.path).changed;
      method = "hunk-lines";
    } else {
      functions = hunkFunctionsFromTexts(h.heading, h.added_text ?? "", h.removed_text ?? "", h.path);
    }
    for (const f of functions) fnCount.set(f, (fnCount.get(f) ?? 0) + 1);
    if (fn && !functions.includes(fn)) continue;
    const list = hunksByFile.get(h.file_id) ?? [];
    list.push({
      file: h.file_position + 1,
      hunk: h.position + 1,
      header: HUNK_HEADER(h),
      heading: h.heading,
      headingFunction: functionFromHeading(h.heading, h.path),
      functions,
      functionsMethod: method,
      oldStart: h.old_start,
      oldLines: h.old_lines,
      newStart: h.new_start,
      newLines: h.new_lines,
      added: h.added,
      removed: h.removed,
      damaged: h.damaged,
    });
    hunksByFile.set(h.file_id, list);
  }
  const hunkRowByKey = new Map(hunkRows.map((h) => [`${h.message_id}:${h.file_position}:${h.position}`, h]));

  const messageIds = [...new Set(fileRows.map((f) => f.message_id as number))];
  // review discussions on this file of these patches, with their first comment
  const { rows: discRows } = await db.pool.query(
    `SELECT d.id, d.patch_message_id, d.file, d.hunk_index, d.line_number, d.side, d.heading, d.anchor, d.status, d.resolved_how,
            c.text, c.method, c.confidence, cm.msgid, cm.date, cm.from_name, cm.from_address,
            (SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = cm.id ORDER BY l.name LIMIT 1) AS list,
            (SELECT count(*) FROM review_comment r WHERE r.discussion_id = d.id) - 1 AS replies
     FROM discussion d
     JOIN LATERAL (SELECT * FROM review_comment rc WHERE rc.discussion_id = d.id ORDER BY rc.in_reply_to_id NULLS FIRST, rc.id LIMIT 1) c ON true
     JOIN message cm ON cm.id = c.message_id
     WHERE d.patch_message_id = ANY($1::bigint[]) AND d.part = 'diff' AND (d.file = $2 OR d.file IN (SELECT old_path FROM patch_file WHERE id = ANY($3::bigint[]) AND old_path IS NOT NULL))
     ORDER BY cm.date NULLS LAST, d.id`,
    [messageIds, path, fileIds],
  );
  const filePosByMessage = new Map(fileRows.map((f) => [f.message_id as number, f.position as number]));
  const commentsByMessage = new Map<number, CodeComment[]>();
  for (const d of discRows) {
    const anchor = (d.anchor ?? {}) as { fileIndex?: number; hunkIndex?: number; lineIndexInHunk?: number };
    const filePos = filePosByMessage.get(d.patch_message_id);
    const hunkIndex = typeof d.hunk_index === "number" && d.hunk_index >= 0 ? d.hunk_index : null;
    let where: string | null = null;
    if (hunkIndex !== null && filePos !== undefined) {
      const h = hunkRowByKey.get(`${d.patch_message_id}:${filePos}:${hunkIndex}`);
      const lines = h ? memoLines(h) : null;
      if (h && lines && typeof anchor.lineIndexInHunk === "number" && anchor.lineIndexInHunk >= 0) where = functionAtLine(h.heading, lines, anchor.lineIndexInHunk, h.path);
      else if (h) where = functionFromHeading(h.heading, h.path);
    }
    if (!where && d.heading) where = functionFromHeading(d.heading, path);
    if (fn && where !== fn) continue;
    const list = commentsByMessage.get(d.patch_message_id) ?? [];
    list.push({
      discussionId: String(d.id),
      msgid: d.msgid,
      list: d.list,
      by: { name: d.from_name, address: d.from_address },
      date: iso(d.date),
      text: d.text,
      hunk: hunkIndex === null ? null : hunkIndex + 1,
      line: d.line_number,
      side: d.side,
      function: where,
      status: d.status,
      resolvedHow: d.resolved_how,
      replies: Math.max(0, Number(d.replies)),
      method: d.method,
      confidence: d.confidence,
    });
    commentsByMessage.set(d.patch_message_id, list);
  }

  // series, proposals, decisions and upstream commits of these patches
  const { rows: seriesRows } = await db.pool.query(
    `SELECT DISTINCT ON (sp.message_id) sp.message_id, s.id, s.key, s.title, s.version, s.revision, s.is_rfc, s.date, s.author,
            (SELECT l.name FROM list l WHERE l.id = s.list_id) AS list
     FROM series_patch sp JOIN series s ON s.id = sp.series_id
     WHERE sp.message_id = ANY($1::bigint[])
     ORDER BY sp.message_id, sp.inherited, s.date`,
    [messageIds],
  );
  const seriesOfMessage = new Map(seriesRows.map((r) => [r.message_id as number, r]));
  const seriesIds = [...new Set(seriesRows.map((r) => r.id as number))];
  const { rows: propRows } = seriesIds.length
    ? await db.pool.query(
        `SELECT DISTINCT ON (pm.series_id) pm.series_id, p.id, p.key, COALESCE(p.custom_title, p.title) AS title, p.status, pm.method, pm.confidence
         FROM proposal_member pm JOIN proposal p ON p.id = pm.proposal_id
         WHERE pm.series_id = ANY($1::int[]) AND pm.state <> 'removed' AND p.merged_into_id IS NULL
         ORDER BY pm.series_id, pm.confidence DESC, p.id`,
        [seriesIds],
      )
    : { rows: [] as Record<string, any>[] };
  const proposalOfSeries = new Map(propRows.map((r) => [r.series_id as number, r]));
  const { rows: decRows } = await db.pool.query(
    `SELECT d.kind, d.series_id, d.patch_message_id, d.quote, d.target, d.method, d.confidence, m.msgid, m.date, pm.msgid AS patch_msgid,
            (SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id ORDER BY l.name LIMIT 1) AS list
     FROM decision d LEFT JOIN message m ON m.id = d.message_id LEFT JOIN message pm ON pm.id = d.patch_message_id
     WHERE (d.series_id = ANY($1::int[]) OR d.patch_message_id = ANY($2::bigint[])) AND d.status <> 'rejected'
     ORDER BY m.date NULLS LAST, d.id`,
    [seriesIds, messageIds],
  );
  const { rows: commitRows } = await db.pool.query(
    `SELECT pc.message_id, pc.method, pc.score, uc.sha, uc.subject, COALESCE(uc.committer_date, uc.author_date) AS date
     FROM patch_commit pc JOIN upstream_commit uc ON uc.sha = pc.sha WHERE pc.message_id = ANY($1::bigint[])
     ORDER BY pc.score DESC, uc.committer_date`,
    [messageIds],
  );
  const commitsOf = new Map<number, CodeCommit[]>();
  for (const c of commitRows) {
    const l = commitsOf.get(c.message_id) ?? [];
    l.push({ sha: c.sha, subject: c.subject, date: iso(c.date), method: c.method, score: c.score });
    commitsOf.set(c.message_id, l);
  }

  // patches (one file row each; a patch naming the file twice keeps both rows' hunks)
  const patches = new Map<number, CodePatch>();
  for (const f of [...fileRows].reverse()) {
    const hunks = hunksByFile.get(f.id) ?? [];
    const comments = commentsByMessage.get(f.message_id) ?? [];
    if (fn && !hunks.length && !comments.length) continue;
    const have = patches.get(f.message_id);
    if (have) {
      have.hunks.push(...hunks);
      continue;
    }
    patches.set(f.message_id, {
      msgid: f.msgid,
      list: f.list,
      title: f.title,
      kind: f.kind,
      date: iso(f.date),
      by: { name: f.from_name, address: f.from_address },
      version: f.version,
      counter: f.counter_index === null ? null : { index: f.counter_index, total: f.counter_total },
      path: f.path,
      oldPath: f.old_path,
      status: f.status,
      added: f.added,
      removed: f.removed,
      hunks,
      comments,
      commits: commitsOf.get(f.message_id) ?? [],
    });
  }

  // series postings (a patch outside a series stands alone)
  const seriesMap = new Map<string, CodeSeries & { seriesId: number | null }>();
  for (const [mid, p] of patches) {
    const s = seriesOfMessage.get(mid);
    const key = s ? `s:${s.id}` : `m:${mid}`;
    let cs = seriesMap.get(key);
    if (!cs) {
      cs = {
        seriesId: s ? s.id : null,
        key: s ? s.key : "",
        title: s ? s.title : p.title,
        version: s ? s.version : p.version,
        revision: s ? s.revision : String(p.version),
        isRfc: s ? s.is_rfc : false,
        list: s ? s.list ?? p.list : p.list,
        date: s ? iso(s.date) : p.date,
        author: s ? s.author : p.by.address,
        patches: [],
        decisions: [],
      };
      seriesMap.set(key, cs);
    }
    cs.patches.push(p);
  }
  const decisionsUsed = new Set<number>();
  decRows.forEach((d, i) => {
    for (const cs of seriesMap.values()) {
      const hit = (cs.seriesId !== null && d.series_id === cs.seriesId) || cs.patches.some((p) => p.msgid === d.patch_msgid);
      if (!hit) continue;
      cs.decisions.push({
        kind: d.kind, msgid: d.msgid, list: d.list, date: iso(d.date), quote: d.quote, target: d.target,
        method: d.method, confidence: d.confidence, patchMsgid: d.patch_msgid,
      });
      decisionsUsed.add(i);
      break;
    }
  });

  // proposals: series of one proposal together, the rest one group per series
  const groups = new Map<string, CodeGroup>();
  const sortedSeries = [...seriesMap.values()].sort((a, b) => (a.date ?? "").localeCompare(b.date ?? ""));
  for (const cs of sortedSeries) {
    const pr = cs.seriesId !== null ? proposalOfSeries.get(cs.seriesId) : undefined;
    const gk = pr ? `p:${pr.id}` : `s:${cs.seriesId ?? cs.patches[0].msgid}`;
    let g = groups.get(gk);
    if (!g) {
      g = {
        proposal: pr ? { id: pr.id, key: pr.key, title: pr.title, status: pr.status, method: pr.method, confidence: pr.confidence } : null,
        series: [],
        firstDate: cs.date,
        lastDate: cs.date,
      };
      groups.set(gk, g);
    }
    const { seriesId: _omit, ...plain } = cs;
    void _omit;
    g.series.push(plain);
    for (const p of cs.patches) {
      if (p.date && (!g.firstDate || p.date < g.firstDate)) g.firstDate = p.date;
      if (p.date && (!g.lastDate || p.date > g.lastDate)) g.lastDate = p.date;
    }
  }
  const all = [...patches.values()];
  const dates = all.map((p) => p.date).filter(Boolean).sort() as string[];
  return {
    kind: "file",
    path,
    function: fn,
    functions: [...fnCount.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, hunks]) => ({ name, hunks })),
    counts: {
      proposals: [...groups.values()].filter((g) => g.proposal).length,
      series: [...seriesMap.values()].filter((s) => s.key).length,
      patches: all.length,
      hunks: all.reduce((n, p) => n + p.hunks.length, 0),
      comments: all.reduce((n, p) => n + p.comments.length, 0),
      decisions: decisionsUsed.size,
      commits: new Set(all.flatMap((p) => p.commits.map((c) => c.sha))).size,
    },
    firstDate: dates[0] ?? null,
    lastDate: dates[dates.length - 1] ?? null,
    groups: [...groups.values()].sort((a, b) => (a.firstDate ?? "").localeCompare(b.firstDate ?? "")),
    truncated,
  };
}

/** /code/<segments> (and ?function=): a directory listing or a file's (function's) history; null: nothing there. */
export async function getCode(db: Db, segments: string[], opts: CodeHistoryOptions = {}): Promise<CodeResult | null> {
  const target = await resolveCode(db, segments, opts.function ?? null);
  if (!target) return null;
  if (target.kind === "dir") return getCodeDirectory(db, target.prefix);
  return getCodeHistory(db, target.path, { ...opts, function: target.function });
}
