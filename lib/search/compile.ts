// The parsed query (query.ts) -> one parameterized SQL condition over `search_doc`. Pure: the
// lists (for l: and lid:) are passed in; every value from the query travels as a parameter.
//
// How a query runs:
//   - every text prefix, phrase, wildcard, exact id (mid:, references:, dfpre:, dfpost:,
//     dfblob:, patchid:) and has:attachment|diff is a tsquery over the lexemes of the search
//     document (document.ts), on the vector that holds that field (head_tsv: headers, body_tsv:
//     body and diff). AND/OR/XOR/NOT of leaves on one vector stay ONE tsquery, which its GIN
//     index answers in one scan (negations included: a & !b); leaves on both vectors meet in
//     PostgreSQL's bitmap AND/OR of the two GIN scans;
//   - d:/rt: are ranges on search_doc.date/received (btree), in the same bitmap AND/OR;
//   - NEAR/ADJ: the words on the same vector by GIN, then their positions compared in SQL
//     (unnest(tsvector)) for those candidates only;
//   - what lives in other tables (is:patch|cover|reply|rfc|superseded|latest, v:, by:, l:, lid:,
//     thread:) is a semi-join on message_id; under an OR such parts turn the OR into a UNION of
//     message_id sets, so no branch ever forces a per-row scan of every document;
//   - a negation that cannot join its siblings' tsquery is an anti-join (NOT EXISTS / NOT IN),
//     never a per-row test of every document's tsvector.
import type { ParsedQuery, QueryNode, TermNode, NearNode, RangeNode, FacetNode, VersionNode } from "./query-ast";
import { queryWords, words as textWords } from "./tokenize";
import { codesOf, columnOf, EXACT_CODE, quoteLexeme, type DocColumn } from "./document";

export interface ListRef {
  id: number;
  name: string;
  /** List-Id (inside < >) */
  listId: string | null;
}

export interface CompileContext {
  /** every list: l: and lid: are resolved against them here */
  lists: ListRef[];
}

export interface CompiledSearch {
  /** a SQL boolean over `search_doc` aliased `d` */
  where: string;
  params: unknown[];
  /** per vector, the tsquery (text) of the terms a result is expected to contain, for ts_rank */
  rank: Partial<Record<DocColumn, string>>;
}

const COLUMN: Record<DocColumn, string> = { head: "head_tsv", body: "body_tsv" };

// ---------------------------------------------------------------------------------------------

class Params {
  readonly values: unknown[] = [];
  add(v: unknown, cast: string): string {
    this.values.push(v);
    return `$${this.values.length}::${cast}`;
  }
}

type Part =
  /** a tsquery over one vector of the document */
  | { k: "tsq"; col: DocColumn; q: string }
  /** a SQL condition on a search_doc row aliased `a`; indexable: made of GIN/btree conditions of
   * search_doc only (a bitmap OR can answer it); cheap: testing one row reads no tsvector */
  | { k: "pred"; sql: (a: string) => string; indexable: boolean; cheap: boolean }
  /** a SELECT of message ids (uncorrelated) */
  | { k: "set"; sql: string }
  | { k: "const"; v: boolean };

type Tsq = Extract<Part, { k: "tsq" }>;

const TRUE: Part = { k: "const", v: true };
const FALSE: Part = { k: "const", v: false };

const par = (s: string) => `(${s})`;

/** tsqueries by vector, each list joined with `op` */
function byColumn(parts: Tsq[], op: string): Tsq[] {
  const out: Tsq[] = [];
  for (const col of ["head", "body"] as const) {
    const qs = parts.filter((p) => p.col === col).map((p) => p.q);
    if (qs.length) out.push({ k: "tsq", col, q: qs.length === 1 ? qs[0] : qs.map(par).join(op) });
  }
  return out;
}

class Compiler {
  readonly p = new Params();
  readonly rank: Tsq[] = [];
  private aliases = 0;

  constructor(
    private readonly parsed: ParsedQuery,
    private readonly ctx: CompileContext,
  ) {}

  /** a fresh table alias: subqueries nest, and a correlated one must not shadow its outer row */
  private alias(base: string): string {
    return `${base}${++this.aliases}_`;
  }

  // ---- forms of a part

  tsqPred(t: Tsq, a: string): string {
    return `${a}.${COLUMN[t.col]} @@ ${this.p.add(t.q, "tsquery")}`;
  }

  pred(x: Part, a: string): string {
    switch (x.k) {
      case "tsq":
        return this.tsqPred(x, a);
      case "pred":
        return x.sql(a);
      case "set":
        return `${a}.message_id IN (${x.sql})`;
      case "const":
        return x.v ? "TRUE" : "FALSE";
    }
  }

  notPred(x: Part, a: string): string {
    switch (x.k) {
      case "tsq":
      case "pred": {
        if (x.k === "pred" && x.cheap) return `NOT COALESCE(${x.sql(a)}, false)`;
        // an anti-join: the planner picks a GIN scan of the excluded set or a per-row test of
        // the few candidates, whichever is cheaper
        const x_ = this.alias("x");
        return `NOT EXISTS (SELECT 1 FROM search_doc ${x_} WHERE ${x_}.message_id = ${a}.message_id AND ${this.pred(x, x_)})`;
      }
      case "set":
        return `${a}.message_id NOT IN (${x.sql})`;
      case "const":
        return x.v ? "FALSE" : "TRUE";
    }
  }

  set(x: Part): string {
    switch (x.k) {
      case "tsq":
        return `SELECT message_id FROM search_doc WHERE ${COLUMN[x.col]} @@ ${this.p.add(x.q, "tsquery")}`;
      case "pred": {
        const s_ = this.alias("s");
        return `SELECT ${s_}.message_id FROM search_doc ${s_} WHERE ${x.sql(s_)}`;
      }
      case "set":
        return x.sql;
      case "const":
        return x.v ? `SELECT message_id FROM search_doc` : `SELECT NULL::bigint AS message_id WHERE false`;
    }
  }

  /** an OR of tsqueries on both vectors: a bitmap OR of the two GIN scans */
  private orOfColumns(ts: Tsq[]): Part {
    if (ts.length === 1) return ts[0];
    return { k: "pred", indexable: true, cheap: false, sql: (a) => par(ts.map((t) => this.tsqPred(t, a)).join(" OR ")) };
  }

  // ---- nodes

  node(n: QueryNode, negated = false): Part {
    switch (n.type) {
      case "and":
        return this.and(n.children, negated);
      case "or":
        return this.or(n.children, negated);
      case "xor":
        return this.xor(n.children, negated);
      case "not": {
        // only ever under an AND (an AST invariant, see query-ast.ts), which handles it
        const inner = this.node(n.children[0], !negated);
        if (inner.k === "const") return inner.v ? FALSE : TRUE;
        return { k: "pred", sql: (a) => this.notPred(inner, a), indexable: false, cheap: inner.k === "pred" && inner.cheap };
      }
      case "term":
        return this.term(n, negated);
      case "near":
        return this.near(n, negated);
      case "range":
        return this.range(n);
      case "facet":
        return this.facet(n);
      case "version":
        return this.version(n);
    }
  }

  private and(children: QueryNode[], negated: boolean): Part {
    const pos: Tsq[] = [];
    const neg: Tsq[] = [];
    const rest: { part: Part; not: boolean }[] = [];
    for (const c of children) {
      const not = c.type === "not";
      const part = this.node(not ? c.children[0] : c, not !== negated);
      if (part.k === "const") {
        if (part.v === not) return FALSE; // AND false, or AND NOT true
        continue;
      }
      if (part.k === "tsq") (not ? neg : pos).push(part);
      else rest.push({ part, not });
    }
    // one tsquery per vector: the positives, and the negatives of that vector folded in (a & !b)
    const groups = byColumn(pos, " & ");
    for (const n of neg) {
      const g = groups.find((x) => x.col === n.col);
      if (g) g.q = `${par(g.q)} & !${par(n.q)}`;
      else rest.push({ part: n, not: true });
    }
    if (!rest.length) {
      if (!groups.length) return TRUE;
      if (groups.length === 1) return groups[0];
    }
    return {
      k: "pred",
      indexable: rest.every((r) => !r.not && r.part.k === "pred" && r.part.indexable),
      cheap: !groups.length && rest.every((r) => r.part.k === "pred" && r.part.cheap),
      sql: (a) => {
        const conds = groups.map((g) => this.tsqPred(g, a));
        for (const r of rest) conds.push(r.not ? this.notPred(r.part, a) : this.pred(r.part, a));
        return par(conds.join(" AND "));
      },
    };
  }

  private or(children: QueryNode[], negated: boolean): Part {
    const tsqs: Tsq[] = [];
    const preds: Extract<Part, { k: "pred" }>[] = [];
    const others: Part[] = [];
    for (const c of children) {
      const part = this.node(c, negated);
      if (part.k === "const") {
        if (part.v) return TRUE;
        continue;
      }
      if (part.k === "tsq") tsqs.push(part);
      else if (part.k === "pred" && part.indexable) preds.push(part);
      else others.push(part);
    }
    const groups = byColumn(tsqs, " | ");
    if (!groups.length && !preds.length && !others.length) return FALSE;
    if (!preds.length && !others.length) return this.orOfColumns(groups);
    if (!others.length) {
      // every branch is an index condition of search_doc: a bitmap OR
      return {
        k: "pred",
        indexable: true,
        cheap: !groups.length && preds.every((p) => p.cheap),
        sql: (a) => par([...groups.map((g) => this.tsqPred(g, a)), ...preds.map((p) => p.sql(a))].join(" OR ")),
      };
    }
    // some branch lives in another table: the union of the branches' message ids
    const parts: Part[] = [...groups, ...preds, ...others];
    return { k: "set", sql: parts.map((x) => this.set(x)).join(" UNION ") };
  }

  private xor(children: QueryNode[], negated: boolean): Part {
    const parts = children.map((c) => this.node(c, negated));
    const first = parts[0];
    if (first.k === "tsq" && parts.every((x) => x.k === "tsq" && x.col === first.col)) {
      // a XOR b = (a | b) & !(a & b), folded left to right
      let acc = first.q;
      for (const x of parts.slice(1) as Tsq[]) acc = `(${par(acc)} | ${par(x.q)}) & !(${par(acc)} & ${par(x.q)})`;
      return { k: "tsq", col: first.col, q: acc };
    }
    // an odd number of the branches: count each message's branches
    const branches = parts.map((x, i) => `SELECT message_id, ${i} AS b_ FROM (${this.set(x)}) xb${i}_`).join(" UNION ALL ");
    return { k: "set", sql: `SELECT message_id FROM (${branches}) xb_ GROUP BY message_id HAVING count(DISTINCT b_) % 2 = 1` };
  }

  private exact(code: string, value: string, prefix = false): Tsq {
    return { k: "tsq", col: columnOf(code), q: quoteLexeme(code + value) + (prefix ? ":*" : "") };
  }

  private term(n: TermNode, negated: boolean): Part {
    switch (n.field) {
      case "mid":
        return this.exact(EXACT_CODE.mid, n.value);
      case "references":
        return this.exact(EXACT_CODE.references, n.value);
      case "dfpre":
        return this.exact(EXACT_CODE.dfpre, n.value, true);
      case "dfpost":
        return this.exact(EXACT_CODE.dfpost, n.value, true);
      case "dfblob":
        return { k: "tsq", col: "body", q: `${this.exact(EXACT_CODE.dfpre, n.value, true).q} | ${this.exact(EXACT_CODE.dfpost, n.value, true).q}` };
      case "patchid":
        return this.exact(EXACT_CODE.patchid, n.value);
      case "thread":
        return {
          k: "set",
          sql: `SELECT t_.id FROM message t_ WHERE t_.thread_id = (SELECT thread_id FROM message WHERE msgid = ${this.p.add(n.value, "text")})`,
        };
      case "lid":
        return this.lists(this.ctx.lists.filter((l) => (l.listId ?? "").toLowerCase() === n.value));
      case "l": {
        const ws = queryWords(n.value);
        return this.lists(this.ctx.lists.filter((l) => phraseIn(ws, n.wildcard, textWords(l.listId ?? "")) || phraseIn(ws, n.wildcard, textWords(l.name))));
      }
      case "by":
        return this.seriesAuthor(n);
      case "reviewer":
        return this.reviewer(n);
      default: {
        const ts = textTsqs(n);
        if (!negated) this.rank.push(...ts);
        return this.orOfColumns(ts);
      }
    }
  }

  private lists(matched: ListRef[]): Part {
    if (!matched.length) return FALSE;
    if (matched.length === this.ctx.lists.length) return TRUE;
    return { k: "set", sql: `SELECT message_id FROM list_message WHERE list_id = ANY(${this.p.add(matched.map((l) => l.id), "int[]")})` };
  }

  /** reviewer:NAME or reviewer:ADDRESS: gave the patch a Reviewed-by/Acked-by/Tested-by (applied or in its commit
   * message; a mismatched trailer names someone who did not send it and does not count), or commented on it */
  private reviewer(n: TermNode): Part {
    const v = n.value.trim().toLowerCase();
    const byAddress = v.includes("@") && !n.wildcard;
    const match = (name: string, address: string) =>
      byAddress ? `${address} = ${this.p.add(v, "text")}` : `(coalesce(${name}, '') || ' ' || coalesce(${address}, '')) ~* ${this.p.add(wordsRegex(n), "text")}`;
    const kinds = `('Reviewed-by', 'Acked-by', 'Tested-by')`;
    return {
      k: "set",
      sql: `SELECT pt_.patch_message_id AS message_id FROM patch_trailer pt_ JOIN trailer tr_ ON tr_.id = pt_.trailer_id
              WHERE tr_.kind IN ${kinds} AND NOT tr_.mismatch AND ${match("tr_.person_name", "tr_.person_address")}
            UNION SELECT tr_.message_id FROM trailer tr_ WHERE tr_.source = 'commit-message' AND tr_.kind IN ${kinds} AND ${match("tr_.person_name", "tr_.person_address")}
            UNION SELECT dc_.patch_message_id FROM discussion dc_ JOIN review_comment rc_ ON rc_.discussion_id = dc_.id
              JOIN message cm_ ON cm_.id = rc_.message_id JOIN message pm_ ON pm_.id = dc_.patch_message_id
              WHERE cm_.from_address <> pm_.from_address AND ${match("cm_.from_name", "cm_.from_address")}`,
    };
  }

  private seriesAuthor(n: TermNode): Part {
    const re = wordsRegex(n);
    return {
      k: "set",
      sql: `SELECT sp_.message_id FROM series_patch sp_ JOIN series s_ ON s_.id = sp_.series_id LEFT JOIN person pe_ ON pe_.address = s_.author
            WHERE (s_.author || ' ' || coalesce(array_to_string(pe_.names, ' '), '')) ~* ${this.p.add(re, "text")}`,
    };
  }

  private near(n: NearNode, negated: boolean): Part {
    const codes = codesOf(n.field) ?? [];
    const terms = n.terms.map((t) => queryWords(t)[0]);
    // candidates: all the words in one field (GIN); then their positions, read from the vectors
    // of those candidates only. Xapian's window: every word within distance + words - 1
    // consecutive positions (ADJ: in the order given).
    const ands: Tsq[] = codes.map((code) => ({ k: "tsq", col: columnOf(code), q: terms.map((t) => quoteLexeme(code + t)).join(" & ") }));
    const candidates = byColumn(ands, " | ");
    if (!negated) this.rank.push(...candidates);
    const window = n.distance + terms.length - 1;
    const lexemes = codes.flatMap((code) => terms.map((t) => code + t));
    const cols = candidates.map((c) => c.col);
    return {
      k: "pred",
      indexable: true,
      cheap: false,
      sql: (a) => {
        const lx = this.p.add(lexemes, "text[]");
        const tm = this.p.add(terms, "text[]");
        const w = this.p.add(window, "int");
        // only the words' lexemes, with their positions: setweight marks them, ts_filter keeps them
        // (C functions over the vector, instead of unnesting every lexeme in SQL)
        const u = cols
          .map((c) => `SELECT lexeme, positions FROM unnest(ts_filter(setweight(setweight(${a}.${COLUMN[c]}, 'D'), 'A', ${lx}), '{a}'))`)
          .join(" UNION ALL ");
        const t = (i: number) => `t${i}_`;
        const joins = terms.slice(1).map((_, j) => {
          const i = j + 1;
          return `JOIN pos_ ${t(i)} ON ${t(i)}.code = ${t(0)}.code AND ${t(i)}.term = ${i + 1}${n.ordered ? ` AND ${t(i)}.p > ${t(i - 1)}.p` : ` AND ${t(i)}.p <> ${t(0)}.p`}`;
        });
        const ps = terms.map((_, i) => `${t(i)}.p`).join(", ");
        const check = `EXISTS (WITH pos_ AS (SELECT left(u_.lexeme, 1) AS code, array_position(${tm}, substr(u_.lexeme, 2)) AS term, p_ AS p
                         FROM (${u}) u_, unnest(u_.positions) p_)
                       SELECT 1 FROM pos_ ${t(0)} ${joins.join(" ")}
                       WHERE ${t(0)}.term = 1 AND GREATEST(${ps}) - LEAST(${ps}) < ${w})`;
        return par([par(candidates.map((c) => this.tsqPred(c, a)).join(" OR ")), check].join(" AND "));
      },
    };
  }

  private range(n: RangeNode): Part {
    if (n.from === null && n.to === null) return TRUE;
    const col = n.field === "d" ? "date" : "received";
    const from = n.from === null ? null : this.p.add(n.from, "timestamptz");
    const to = n.to === null ? null : this.p.add(n.to, "timestamptz");
    return {
      k: "pred",
      indexable: true,
      cheap: true,
      sql: (a) => par([from === null ? null : `${a}.${col} >= ${from}`, to === null ? null : `${a}.${col} < ${to}`].filter(Boolean).join(" AND ")),
    };
  }

  private facet(n: FacetNode): Part {
    const key = `${n.name}:${n.value}`;
    switch (key) {
      case "has:attachment":
        return this.exact(EXACT_CODE.has, "attachment");
      case "has:diff":
        return this.exact(EXACT_CODE.has, "diff");
      case "is:cover":
        // the cover letter of a series (lib/series)
        return { k: "set", sql: `SELECT message_id FROM series_patch WHERE index = 0 AND NOT inherited` };
      case "is:patch":
        // a patch of a series (lib/series): a lone patch is a series of one
        return { k: "set", sql: `SELECT message_id FROM series_patch WHERE index > 0` };
      case "is:reply": {
        // answers another message (In-Reply-To/References) and is no part of a series
        const parent = this.exact(EXACT_CODE.has, "parent");
        return { k: "pred", indexable: false, cheap: false, sql: (a) => `(${this.tsqPred(parent, a)} AND ${a}.message_id NOT IN (SELECT message_id FROM series_patch))` };
      }
      case "is:rfc":
        return { k: "set", sql: `SELECT sp_.message_id FROM series_patch sp_ JOIN series s_ ON s_.id = sp_.series_id WHERE s_.is_rfc` };
      case "is:decision":
        // a message announcing a decision (lib/db/knowledge.ts): applied, queued, merged, NAK, changes requested,
        // deferred, superseded, withdrawn, rejected (kinds; a decision curated as rejected does not count)
        return { k: "set", sql: `SELECT message_id FROM decision WHERE message_id IS NOT NULL AND status <> 'rejected'` };
      case "is:applied":
        // a message announcing "applied" (lib/knowledge/decisions.ts), or what an applied decision decides
        // (lib/passes/knowledge-links.ts): the patch it names or answers, else every posting of its series
        return { k: "set", sql: decidedBy("applied") };
      case "is:changes-requested":
        // a message asking for changes: a changes-requested decision ("please fix ... and send a v2")
        return { k: "set", sql: `SELECT message_id FROM decision WHERE kind = 'changes-requested' AND message_id IS NOT NULL AND status <> 'rejected'` };
      case "has:benchmark":
        // benchmark figures parsed out of the message (LKP tables, mmtests, time(1), claims in prose)
        return { k: "set", sql: `SELECT message_id FROM benchmark` };
      case "is:merged":
        // found upstream (patch_commit, from \`commits import\`), or decided merged: the patch or series a
        // "merged"/pulled decision answers (lib/passes/knowledge-links.ts), or the pull request it replies to
        return {
          k: "set",
          sql: `SELECT message_id FROM patch_commit
                UNION SELECT d_.patch_message_id FROM decision d_ WHERE d_.kind = 'merged' AND d_.status <> 'rejected' AND d_.patch_message_id IS NOT NULL
                UNION SELECT sp_.message_id FROM decision d_ JOIN series_patch sp_ ON sp_.series_id = d_.series_id
                  WHERE d_.kind = 'merged' AND d_.status <> 'rejected' AND d_.patch_message_id IS NULL AND NOT sp_.inherited
                UNION SELECT m_.parent_id FROM decision d_ JOIN message m_ ON m_.id = d_.message_id
                  WHERE d_.kind = 'merged' AND d_.status <> 'rejected' AND d_.series_id IS NULL AND m_.parent_id IS NOT NULL`,
        };
      case "is:reviewed":
        return { k: "set", sql: givenTrailer("Reviewed-by") };
      case "is:acked":
        return { k: "set", sql: givenTrailer("Acked-by") };
      case "is:nacked":
        // the message's verdict is a NAK, by the rule its review page uses (PATCH_VERDICT_NAK)
        return { k: "set", sql: PATCH_VERDICT_NAK };
      case "has:comments":
        // a reply commenting on lines of a patch (or its commit message), or a patch under discussion
        return {
          k: "set",
          sql: `SELECT rc_.message_id FROM review_comment rc_ JOIN discussion dc_ ON dc_.id = rc_.discussion_id WHERE dc_.part <> 'general'
                UNION SELECT dc_.patch_message_id FROM discussion dc_`,
        };
      case "has:run":
        // imported runs (lib/db/runs.ts) attached to the patch, to its series (cover and patches),
        // or to a proposal whose member series it is in
        return {
          k: "set",
          sql: `SELECT patch_message_id AS message_id FROM run WHERE patch_message_id IS NOT NULL
                UNION SELECT sp_.message_id FROM run ru_ JOIN series_patch sp_ ON sp_.series_id = ru_.series_id
                UNION SELECT sp_.message_id FROM run ru_ JOIN proposal_member pm_ ON pm_.proposal_id = ru_.proposal_id AND pm_.state <> 'removed'
                  JOIN series_patch sp_ ON sp_.series_id = pm_.series_id`,
        };
      case "is:superseded":
        // posted in a series that a later version of its line replaced, and not carried into a
        // latest one (a partial reroll keeps unchanged patches alive)
        return { k: "set", sql: `${SUPERSEDED_SERIES_MESSAGES} EXCEPT ${LATEST_SERIES_MESSAGES}` };
      case "is:latest":
        return { k: "set", sql: LATEST_SERIES_MESSAGES };
    }
    throw new Error(`facet ${key} has no compile rule`);
  }

  private version(n: VersionNode): Part {
    return {
      k: "set",
      sql: `SELECT sp_.message_id FROM series_patch sp_ JOIN series s_ ON s_.id = sp_.series_id WHERE s_.version = ${this.p.add(n.value, "int")}`,
    };
  }
}

/**
 * The messages whose verdict is a NAK, the SQL twin of lib/review standingVerdicts/strongestVerdict
 * as lib/db/review-queries applies them: the replies' verdicts on the message and, for a patch, on
 * the cover letter of its own series (the one getPatchReview shows: posted in before carried into,
 * the oldest first); each reviewer's latest verdict stands (date order, undated ones oldest, on an
 * equal date the cover letter's and then the later stored message last), and a NAK is the strongest,
 * so one standing NAK is enough. A NAK its author followed with an Ack or a Reviewed-by is withdrawn
 * and no longer counts. Trailers alone (a Nacked-by carried by patch-id) do not make the verdict.
 * The verdicts a patch's commit message carries (lib/views/review commitMessageVerdicts: Reviewed-by,
 * Acked-by, Tested-by the author collected) are never a NAK and are dated with the patch, before any
 * reply to it or to its cover letter, so they cannot withdraw one: this query needs not read them.
 */
const PATCH_VERDICT_NAK = `SELECT v_.target AS message_id FROM (
    SELECT DISTINCT ON (w_.target, w_.who) w_.target, w_.verdict FROM (
      SELECT r_.patch_message_id AS target, r_.verdict, m_.date, 0 AS on_cover, m_.id AS mid,
             CASE WHEN COALESCE(m_.from_address, '') <> '' THEN lower(m_.from_address) ELSE '#' || m_.id::text END AS who
        FROM review r_ JOIN message m_ ON m_.id = r_.message_id
        WHERE r_.verdict IS NOT NULL AND r_.patch_message_id IS NOT NULL
      UNION ALL
      SELECT own_.message_id, r_.verdict, m_.date, 1, m_.id,
             CASE WHEN COALESCE(m_.from_address, '') <> '' THEN lower(m_.from_address) ELSE '#' || m_.id::text END
        FROM (SELECT DISTINCT ON (sp_.message_id) sp_.message_id, s_.cover_id FROM series_patch sp_ JOIN series s_ ON s_.id = sp_.series_id
              WHERE sp_.index > 0 ORDER BY sp_.message_id, sp_.inherited, s_.date NULLS LAST, s_.id) own_
        JOIN review r_ ON r_.patch_message_id = own_.cover_id JOIN message m_ ON m_.id = r_.message_id
        WHERE r_.verdict IS NOT NULL
    ) w_ ORDER BY w_.target, w_.who, w_.date DESC NULLS LAST, w_.on_cover DESC, w_.mid DESC
  ) v_ WHERE v_.verdict = 'nak'`;

/** The messages of decisions of this kind (a curated-away, rejected decision never counts) and what
 * each decides: the patch it names or answers, else the postings of its series (cover letter and
 * patches, not those carried in from an earlier version). */
function decidedBy(kind: "applied"): string {
  return `SELECT d_.message_id FROM decision d_ WHERE d_.kind = '${kind}' AND d_.status <> 'rejected' AND d_.message_id IS NOT NULL
          UNION SELECT d_.patch_message_id FROM decision d_ WHERE d_.kind = '${kind}' AND d_.status <> 'rejected' AND d_.patch_message_id IS NOT NULL
          UNION SELECT sp_.message_id FROM decision d_ JOIN series_patch sp_ ON sp_.series_id = d_.series_id
            WHERE d_.kind = '${kind}' AND d_.status <> 'rejected' AND d_.patch_message_id IS NULL AND NOT sp_.inherited`;
}

/** patches given a trailer of this kind: applied to them (from a reply, the cover letter or an
 * earlier version; mismatched ones never count) or in their commit message (lib/passes/reviews) */
function givenTrailer(kind: "Reviewed-by" | "Acked-by"): string {
  return `SELECT pt_.patch_message_id AS message_id FROM patch_trailer pt_ JOIN trailer tr_ ON tr_.id = pt_.trailer_id
            WHERE tr_.kind = '${kind}' AND NOT tr_.mismatch
          UNION SELECT tr_.message_id FROM trailer tr_ WHERE tr_.source = 'commit-message' AND tr_.kind = '${kind}'`;
}

/** the query words in order, separated by anything but word characters (a POSIX regex for ~*) */
function wordsRegex(n: TermNode): string {
  const ws = queryWords(n.value);
  return ws.map((w, i) => `\\m${w.replace(/\./g, "\\.")}${i === ws.length - 1 && n.wildcard ? "" : "\\M"}`).join("[^[:alnum:]_]+");
}

/** each series, and whether it is the latest version of its version line (no higher version
 * in the line; a series in no line is its own latest) */
const SERIES_LATEST = `(SELECT id, version_line_id IS NULL OR version = max(version) OVER (PARTITION BY version_line_id) AS latest FROM series)`;
const LATEST_SERIES_MESSAGES = `SELECT sp_.message_id FROM series_patch sp_ JOIN ${SERIES_LATEST} s_ ON s_.id = sp_.series_id WHERE s_.latest`;
const SUPERSEDED_SERIES_MESSAGES = `SELECT sp_.message_id FROM series_patch sp_ JOIN ${SERIES_LATEST} s_ ON s_.id = sp_.series_id
  WHERE NOT s_.latest AND NOT sp_.inherited`;

/** The tsqueries (one per vector) of a text term: the word, or the phrase, in each field it
 * searches, ORed. */
export function textTsqs(n: TermNode): Tsq[] {
  const codes = codesOf(n.field as Parameters<typeof codesOf>[0]);
  if (!codes) throw new Error(`field ${n.field} is not in the search document`);
  const ws = queryWords(n.value);
  const alts: Tsq[] = codes.map((code) => ({
    k: "tsq",
    col: columnOf(code),
    q: ws.map((w, i) => quoteLexeme(code + w) + (n.wildcard && i === ws.length - 1 ? ":*" : "")).join(" <-> "),
  }));
  if (n.field === null && ws.length === 1) {
    // lore's default search includes the blob ids and the patch-id of the diff
    const w = ws[0];
    if (/^[0-9a-f]{7,64}$/.test(w)) alts.push({ k: "tsq", col: "body", q: `${quoteLexeme(EXACT_CODE.dfpre + w)}:* | ${quoteLexeme(EXACT_CODE.dfpost + w)}:*` });
    if (/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(w)) alts.push({ k: "tsq", col: "body", q: quoteLexeme(EXACT_CODE.patchid + w) });
  }
  return byColumn(alts, " | ");
}

/** the query words appear in order, adjacent, in `text` (the last a prefix with a wildcard) */
function phraseIn(q: string[], wildcard: boolean, text: string[]): boolean {
  if (!q.length) return false;
  for (let i = 0; i + q.length <= text.length; i++) {
    let ok = true;
    for (let j = 0; j < q.length && ok; j++) {
      const t = text[i + j];
      ok = wildcard && j === q.length - 1 ? t.startsWith(q[j]) : t === q[j];
    }
    if (ok) return true;
  }
  return false;
}

/** Compiles a parsed query. */
export function compileQuery(parsed: ParsedQuery, ctx: CompileContext): CompiledSearch {
  const c = new Compiler(parsed, ctx);
  const part = c.node(parsed.ast);
  const where = part.k === "const" ? (part.v ? "TRUE" : "FALSE") : c.pred(part, "d");
  const rank: Partial<Record<DocColumn, string>> = {};
  for (const g of byColumn(c.rank, " | ")) rank[g.col] = g.q;
  return { where, params: c.p.values, rank };
}
