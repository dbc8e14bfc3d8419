import { describe, expect, it } from "vitest";
import { compileQuery, textTsqs, type CompiledSearch } from "./compile";
import { isQueryError, parseQuery, type TermNode } from "./query";

const NOW = new Date("2023-11-14T22:13:20Z");
const LISTS = [
  { id: 1, name: "linux-mmc", listId: "linux-mmc.vger.kernel.org" },
  { id: 2, name: "linux-mm", listId: "linux-mm.kvack.org" },
];

function compile(q: string): CompiledSearch {
  const p = parseQuery(q, { now: NOW });
  if (isQueryError(p)) throw new Error(p.message);
  return compileQuery(p, { lists: LISTS });
}

/** the SQL with each parameter written in place, for reading */
function inline(c: CompiledSearch): string {
  return c.where.replace(/\$(\d+)::(\w+(?:\[\])?)/g, (_, i) => JSON.stringify(c.params[Number(i) - 1]));
}

describe("compileQuery", () => {
  it("a text prefix is one tsquery on the vector that holds the field", () => {
    expect(inline(compile("s:folio"))).toBe(`d.head_tsv @@ "'Sfolio'"`);
    expect(inline(compile("dfb:vm_write_begin"))).toBe(`d.body_tsv @@ "'Pvm_write_begin'"`);
    expect(inline(compile('dfn:mm/memory.c'))).toBe(`d.body_tsv @@ "'Fmm' <-> 'Fmemory' <-> 'Fc'"`);
    expect(inline(compile("s:mmc_blk*"))).toBe(`d.head_tsv @@ "'Smmc_blk':*"`);
  });

  it("AND/OR/NOT of one vector stay one tsquery; two vectors meet in a bitmap AND/OR", () => {
    expect(inline(compile("s:a s:b -s:c"))).toBe(`d.head_tsv @@ "(('Sa') & ('Sb')) & !('Sc')"`);
    expect(inline(compile("s:a OR s:b"))).toBe(`d.head_tsv @@ "('Sa') | ('Sb')"`);
    expect(inline(compile("s:a dfb:b"))).toBe(`(d.head_tsv @@ "'Sa'" AND d.body_tsv @@ "'Pb'")`);
    expect(inline(compile("s:a OR dfb:b"))).toBe(`(d.head_tsv @@ "'Sa'" OR d.body_tsv @@ "'Pb'")`);
    expect(inline(compile("s:a XOR s:b"))).toBe(`d.head_tsv @@ "(('Sa') | ('Sb')) & !(('Sa') & ('Sb'))"`);
  });

  it("a negation on the other vector is an anti-join, never a per-row scan of all documents", () => {
    const sql = inline(compile("s:a -dfb:b"));
    expect(sql).toMatch(/^\(d\.head_tsv @@ "'Sa'" AND NOT EXISTS \(SELECT 1 FROM search_doc x\d+_ WHERE x\d+_\.message_id = d\.message_id AND x\d+_\.body_tsv @@ "'Pb'"\)\)$/);
  });

  it("an OR with a branch in another table becomes a UNION of message ids", () => {
    const sql = inline(compile("s:a OR is:cover"));
    expect(sql).toMatch(/^d\.message_id IN \(SELECT message_id FROM search_doc WHERE head_tsv @@ "'Sa'" UNION SELECT message_id FROM series_patch WHERE index = 0/);
  });

  it("dates are btree ranges, half-open", () => {
    expect(inline(compile("d:2023-01-01..2023-02-01"))).toBe(`(d.date >= "2023-01-01T00:00:00Z" AND d.date < "2023-02-02T00:00:00Z")`);
    expect(inline(compile("rt:..2023-02-01"))).toBe(`(d.received < "2023-02-02T00:00:00Z")`);
  });

  it("resolves l: and lid: against the lists: all of them is no filter, none matches nothing", () => {
    expect(inline(compile("l:linux s:a"))).toBe(`d.head_tsv @@ "'Sa'"`);
    expect(inline(compile("l:nosuch s:a"))).toBe("FALSE");
    expect(inline(compile("lid:linux-mm.kvack.org s:a"))).toBe(`(d.head_tsv @@ "'Sa'" AND d.message_id IN (SELECT message_id FROM list_message WHERE list_id = ANY([2])))`);
  });

  it("keeps every value in parameters", () => {
    const c = compile(`s:"it's" mid:a'b\\c@x`);
    expect(c.where).not.toContain("it's");
    expect(c.where).not.toContain("a'b");
    expect(c.params).toEqual([`('Sit' <-> 'Ss') & ('mid=a''b\\\\c@x')`]);
  });

  it("the default field spans both vectors, with blob ids for hex words", () => {
    const [head, body] = textTsqs({ type: "term", field: null, value: "3a4b5c6d", phrase: false, wildcard: false } as TermNode);
    expect(head.q).toBe("('M3a4b5c6d') | ('S3a4b5c6d') | ('A3a4b5c6d') | ('N3a4b5c6d')");
    expect(body.q).toContain("'pre=3a4b5c6d':*");
  });

  it("ranks the positive terms only", () => {
    const c = compile("s:a -s:b dfb:c");
    expect(c.rank).toEqual({ head: "'Sa'", body: "'Pc'" });
  });

  it("answers the review facets from the review tables (lib/passes/reviews)", () => {
    const sql = (q: string) => {
      const p = parseQuery(q, { now: NOW });
      if (isQueryError(p)) throw new Error(p.message);
      return compileQuery(p, { lists: LISTS });
    };
    expect(sql("is:reviewed").where).toMatch(/patch_trailer[\s\S]*'Reviewed-by'[\s\S]*NOT tr_\.mismatch/);
    expect(sql("is:acked").where).toMatch(/'Acked-by'/);
    expect(sql("is:nacked").where).toMatch(/DISTINCT ON \(w_\.target, w_\.who\)[\s\S]*verdict = 'nak'/);
    expect(sql("has:comments").where).toMatch(/review_comment/);
    expect(sql("-is:nacked s:a").where).toMatch(/NOT IN \(SELECT v_\.target AS message_id/);
    // an address matches exactly (a parameter), a name by words
    expect(sql("reviewer:Jane@Example.org").params).toEqual(["jane@example.org", "jane@example.org", "jane@example.org"]);
    expect(sql('reviewer:"Jane Doe"').params).toEqual(Array(3).fill("\\mjane\\M[^[:alnum:]_]+\\mdoe\\M"));
  });

  it("answers the decision facets from the decision table, a curated-away (rejected) decision never counting", () => {
    const decision = inline(compile("is:decision"));
    expect(decision).toBe(`d.message_id IN (SELECT message_id FROM decision WHERE message_id IS NOT NULL AND status <> 'rejected')`);

    // is:applied mirrors is:merged: the announcing message, the patch decided, else the series' own postings
    const applied = inline(compile("is:applied"));
    expect(applied).toMatch(/^d\.message_id IN \(SELECT d_\.message_id FROM decision d_ WHERE d_\.kind = 'applied' AND d_\.status <> 'rejected'/);
    expect(applied).toMatch(/UNION SELECT d_\.patch_message_id FROM decision d_ WHERE d_\.kind = 'applied'/);
    expect(applied).toMatch(/JOIN series_patch sp_ ON sp_\.series_id = d_\.series_id\s+WHERE d_\.kind = 'applied' AND d_\.status <> 'rejected' AND d_\.patch_message_id IS NULL AND NOT sp_\.inherited/);
    expect(applied).not.toMatch(/'merged'|'queued'|patch_commit/);

    const cr = inline(compile("is:changes-requested"));
    expect(cr).toBe(`d.message_id IN (SELECT message_id FROM decision WHERE kind = 'changes-requested' AND message_id IS NOT NULL AND status <> 'rejected')`);

    // negated and combined: anti-joins and unions of the id sets, no parameters of their own
    expect(inline(compile("s:mmc -is:applied"))).toMatch(/^\(d\.head_tsv @@ "'Smmc'" AND d\.message_id NOT IN \(SELECT d_\.message_id FROM decision d_ WHERE d_\.kind = 'applied'/);
    const or = compile("is:changes-requested OR is:nacked");
    expect(or.params).toEqual([]);
    expect(or.where).toMatch(/kind = 'changes-requested'[\s\S]* UNION [\s\S]*verdict = 'nak'/);
    expect(() => compile("is:deferred")).toThrow(/is: "deferred" is not known/);
  });
});
