// The units of a scope in detail for groupProposals (lib/proposals): series postings with their
// texts, functions and files, threads without series, references and Fixes: between them, robot reports.
import type pg from "pg";
import {
  changedFunctions,
  classifyRefs,
  termCounts,
  mentionedIdentifiers,
  type ProposalInput,
  type SeriesUnit,
  type ThreadUnit,
  type UnitFixes,
  type UnitReference,
} from "../../proposals";
import { isCoreUnit, unitOf, type Graph } from "./graph";

/** Robots whose mails are reports, when robot_report has nothing for a message (lib/knowledge fills it). */
const ROBOT_SENDER = /(?:^|[^a-z])(?:lkp|oliver\.sang|syzbot|kernelci|ci_notify|kbuild|intel-gfx-ci)[^@]*@|kernel test robot/i;

export async function loadInput(c: pg.PoolClient, g: Graph, scope: Set<string> | null, mark?: (phase: string) => void): Promise<{ input: ProposalInput; threadsOf: Map<string, number[]> }> {
  const seriesIds = scope ? [...scope].filter((u) => u.startsWith("series:")).map((u) => Number(u.slice(7))) : [...g.series.keys()];
  let threadIds: number[];
  if (scope) threadIds = [...scope].filter((u) => u.startsWith("thread:")).map((u) => Number(u.slice(7)));
  else {
    // every topic thread, and the threads without series that a reference joins to something
    const ids = new Set<number>();
    for (const [id, th] of g.threads) if (th.seed) ids.add(id);
    for (const r of g.refs) for (const u of [unitOf(g, r.from_id, r.from_thread, r.from_date), unitOf(g, r.to_id, r.to_thread, r.to_date)]) if (u.startsWith("thread:")) ids.add(Number(u.slice(7)));
    threadIds = [...ids];
  }
  const seedIds = threadIds.filter((id) => g.threads.get(id)?.seed);
  const { rows: srows } = await c.query(
    `SELECT s.id, s.key, s.version_line_id, s.title, s.author, s.date, s.last_date, s.is_rfc, s.version, s.cover_id, l.name AS list
     FROM series s LEFT JOIN list l ON l.id = s.list_id WHERE s.id = ANY($1::int[]) ORDER BY s.id`,
    [seriesIds],
  );
  const { rows: vlinks } = await c.query(
    `SELECT DISTINCT ON (vl.to_id) vl.to_id, a.key AS from_key, vl.method, vl.confidence
     FROM version_link vl JOIN series a ON a.id = vl.from_id WHERE vl.to_id = ANY($1::int[]) ORDER BY vl.to_id, vl.confidence DESC, vl.from_id`,
    [seriesIds],
  );
  const vlinkOf = new Map(vlinks.map((v) => [v.to_id, v]));
  // a posting lasts as long as its threads do (the review, the "applied", the report after it)
  const postingThreads = [...new Set(seriesIds.flatMap((id) => [...(g.threadsOfSeries.get(id) ?? [])]))];
  const { rows: tlast } = await c.query(`SELECT id, last_date FROM thread WHERE id = ANY($1::int[]) ORDER BY id`, [postingThreads]);
  const threadLast = new Map<number, Date | null>(tlast.map((x) => [x.id, x.last_date]));
  const lastOf = (id: number, own: Date | null) => {
    let best = own;
    for (const tid of g.threadsOfSeries.get(id) ?? []) {
      const d = threadLast.get(tid);
      if (d && (!best || d > best)) best = d;
    }
    return best;
  };
  mark?.("units: series");
  // text: the cover letter, else the first patch's commit message; patch titles for Fixes:
  const { rows: texts } = await c.query(
    `SELECT s.id, COALESCE(cm.body, (SELECT p.commit_message FROM series_patch sp JOIN patch p ON p.message_id = sp.message_id
                                      WHERE sp.series_id = s.id AND NOT sp.inherited ORDER BY sp.index LIMIT 1), '') AS body,
            ARRAY(SELECT lower(regexp_replace(p.title, '\\s+', ' ', 'g')) FROM series_patch sp JOIN patch p ON p.message_id = sp.message_id
                  WHERE sp.series_id = s.id AND NOT sp.inherited AND p.kind <> 'inline' ORDER BY sp.index) AS titles
     FROM series s LEFT JOIN message cm ON cm.id = s.cover_id WHERE s.id = ANY($1::int[]) ORDER BY s.id`,
    [seriesIds],
  );
  const textOf = new Map(texts.map((r) => [r.id, r]));
  mark?.("units: texts");
  // functions: hunk headings, and definitions on added/removed lines (only those lines travel)
  const { rows: hunks } = await c.query(
    `SELECT sp.series_id, f.path, h.heading,
            array_to_string(ARRAY(SELECT (regexp_matches(h.added_text || E'\\n' || h.removed_text,
              '(?n)^(?:[A-Za-z_][^;\\n]*\\(|(?:typedef\\s+)?(?:struct|union|enum)\\s+\\w+\\s*\\{)[^;\\n]*$', 'g'))[1]), E'\\n') AS defs
     FROM series_patch sp JOIN patch_file f ON f.message_id = sp.message_id JOIN hunk h ON h.file_id = f.id
     WHERE sp.series_id = ANY($1::int[]) AND NOT sp.inherited AND f.path ~ '\\.(c|h|cc|cpp|rs|S|s|py|go|js|ts)$'
     ORDER BY sp.series_id, h.id`,
    [seriesIds],
  );
  const hunksOf = new Map<number, { path: string; heading: string; addedText: string; removedText: string }[]>();
  for (const h of hunks) hunksOf.set(h.series_id, [...(hunksOf.get(h.series_id) ?? []), { path: h.path, heading: h.heading, addedText: h.defs ?? "", removedText: "" }]);
  const { rows: files } = await c.query(
    `SELECT DISTINCT sp.series_id, f.path FROM series_patch sp JOIN patch_file f ON f.message_id = sp.message_id
     WHERE sp.series_id = ANY($1::int[]) AND NOT sp.inherited
     ORDER BY sp.series_id, f.path`,
    [seriesIds],
  );
  mark?.("units: hunks");
  const filesOf = new Map<number, string[]>();
  for (const f of files) filesOf.set(f.series_id, [...(filesOf.get(f.series_id) ?? []), f.path]);

  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const series: SeriesUnit[] = srows.map((s) => {
    const v = vlinkOf.get(s.id);
    const tx = textOf.get(s.id);
    return {
      ref: `series:${s.id}`, id: s.id, key: s.key, versionLineId: s.version_line_id,
      versionLink: v ? { from: v.from_key, method: v.method, confidence: v.confidence } : null,
      threadIds: [...(g.threadsOfSeries.get(s.id) ?? [])].sort((a, b) => a - b),
      title: s.title, author: s.author, date: iso(s.date), lastDate: iso(lastOf(s.id, s.last_date)), isRfc: s.is_rfc, version: s.version,
      patchTitles: [...new Set<string>((tx?.titles ?? []).map((x: string) => x.trim()))],
      functions: changedFunctions(hunksOf.get(s.id) ?? []),
      files: (filesOf.get(s.id) ?? []).sort(),
      terms: termCounts(s.title, tx?.body ?? ""),
      lists: s.list ? [s.list] : [],
    };
  });

  const { rows: trows } = await c.query(
    `SELECT t.id, t.subject, t.first_date, t.last_date, r.msgid AS root_msgid, r.ghost,
            (SELECT m.from_address FROM message m WHERE m.thread_id = t.id AND NOT m.ghost ORDER BY m.date NULLS LAST, m.id LIMIT 1) AS author,
            CASE WHEN t.id = ANY($2::int[]) THEN (SELECT m.body FROM message m WHERE m.thread_id = t.id AND NOT m.ghost ORDER BY m.date NULLS LAST, m.id LIMIT 1) END AS body,
            (SELECT m.from_name || ' <' || m.from_address || '>' FROM message m WHERE m.id = t.root_id) AS root_from,
            EXISTS (SELECT 1 FROM robot_report rr WHERE rr.message_id = t.root_id) AS robot,
            ARRAY(SELECT l.name FROM list_thread lt JOIN list l ON l.id = lt.list_id WHERE lt.thread_id = t.id ORDER BY l.name) AS lists
     FROM thread t LEFT JOIN message r ON r.id = t.root_id WHERE t.id = ANY($1::int[]) ORDER BY t.id`,
    [threadIds, seedIds],
  );
  const threads: ThreadUnit[] = trows.map((r) => {
    const seed = g.threads.get(r.id)?.seed ?? null;
    return {
      ref: `thread:${r.id}`, id: r.id, rootMsgid: r.root_msgid, subject: r.subject, author: r.author, date: iso(r.first_date), lastDate: iso(r.last_date),
      seed, report: !!r.robot || (!r.ghost && ROBOT_SENDER.test(r.root_from ?? "")),
      terms: seed ? termCounts(r.subject.replace(/^\s*(?:\[[^\]]*\]\s*)+/, ""), r.body ?? "") : {},
      mentions: seed ? mentionedIdentifiers(r.body ?? "") : [],
      lists: r.lists,
    };
  });

  mark?.("units: threads");
  // references between units of the scope, classified by how they are written
  const inScope = (u: string) => (scope ? scope.has(u) : u.startsWith("series:") || g.threads.has(Number(u.slice(7))));
  const cross = g.refs
    .map((r) => ({ r, from: unitOf(g, r.from_id, r.from_thread, r.from_date), to: unitOf(g, r.to_id, r.to_thread, r.to_date) }))
    .filter((x) => x.from !== x.to && inScope(x.from) && inScope(x.to) && !(x.from.startsWith("thread:") && x.to.startsWith("thread:") && !isCoreUnit(g, x.from) && !isCoreUnit(g, x.to)));
  const bodies = new Map<number, string>();
  const needBodies = [...new Set(cross.filter((x) => !x.r.robot).map((x) => x.r.from_id))];
  for (let i = 0; i < needBodies.length; i += 2000) {
    const { rows } = await c.query(`SELECT id, body FROM message WHERE id = ANY($1::bigint[]) ORDER BY id`, [needBodies.slice(i, i + 2000)]);
    for (const b of rows) bodies.set(b.id, b.body);
  }
  const classified = new Map<number, ReturnType<typeof classifyRefs>>();
  const authorOfUnit = new Map<string, string>([...series.map((s) => [s.ref, s.author.toLowerCase()] as const), ...threads.map((x) => [x.ref, (x.author ?? "").toLowerCase()] as const)]);
  const references: UnitReference[] = [];
  for (const { r, from, to } of cross) {
    let cl = classified.get(r.from_id);
    if (!cl) classified.set(r.from_id, (cl = classifyRefs(bodies.get(r.from_id) ?? "")));
    const hit = cl.find((x) => x.msgid === r.to_msgid);
    const method = r.robot ? "robot-report" : r.trailer ? "link-trailer" : (hit?.method ?? "body-ref");
    references.push({
      from, to, method, trailer: r.trailer ?? hit?.trailer ?? null, fromMsgid: r.from_msgid, toMsgid: r.to_msgid,
      byAuthor: r.from_address.toLowerCase() === authorOfUnit.get(from),
      inPosting: g.seriesOfMessage.get(r.from_id) !== undefined,
      basedOn: r.based_on, line: hit?.line ?? 0, text: r.robot ? `robot report about <${r.to_msgid}> (${r.robot})` : (hit?.text ?? ""),
    });
  }
  mark?.("units: references");
  const fixes: UnitFixes[] = [];
  for (const f of g.fixes) {
    const s = g.seriesOfMessage.get(f.from_id);
    if (s === undefined || !inScope(`series:${s}`)) continue;
    const commitTargets = f.targets.filter((x) => x.by === "commit" && g.seriesOfMessage.has(x.id) && inScope(`series:${g.seriesOfMessage.get(x.id)}`))
      .map((x) => ({ ref: `series:${g.seriesOfMessage.get(x.id)}`, msgid: x.msgid }));
    fixes.push({ from: `series:${s}`, fromMsgid: f.from_msgid, commit: f.commit, subject: f.subject, commitTargets, line: f.line, text: f.text });
  }
  // robot reports inside the threads of the scope
  const scopeThreads = new Set<number>([...series.flatMap((s) => s.threadIds), ...threads.map((x) => x.id)]);
  const { rows: reports } = await c.query(
    `SELECT m.id, m.msgid, m.thread_id FROM message m
     WHERE m.thread_id = ANY($1::int[]) AND NOT m.ghost AND m.parent_id IS NOT NULL
       AND (EXISTS (SELECT 1 FROM robot_report rr WHERE rr.message_id = m.id)
            OR (m.from_name || ' <' || m.from_address || '>') ~* $2)
     ORDER BY m.id`,
    [[...scopeThreads], ROBOT_SENDER.source],
  );
  const threadsOf = new Map<string, number[]>();
  for (const s of series) threadsOf.set(s.ref, s.threadIds);
  for (const x of threads) threadsOf.set(x.ref, [x.id]);
  return {
    input: { series, threads, references, fixes, reports: reports.map((r) => ({ messageId: r.id, msgid: r.msgid, threadId: r.thread_id })) },
    threadsOf,
  };
}
