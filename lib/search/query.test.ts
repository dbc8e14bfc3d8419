import { describe, expect, it } from "vitest";
import { PREFIXES } from "./fields";
import {
  MAX_QUERY_LENGTH,
  MAX_TERMS,
  describeQuery,
  formatQuery,
  isQueryError,
  parseQuery,
  positiveTerms,
  type ParsedQuery,
  type QueryError,
  type QueryNode,
  type TermNode,
} from "./query";

// Where a test says "lore:", the behaviour was checked by running Xapian 1.4.22 with
// public-inbox's query parser setup (Search.pm: default op AND, FLAG_PHRASE | FLAG_BOOLEAN |
// FLAG_LOVEHATE | FLAG_WILDCARD, its prefix table) and reading the parsed query.

const NOW = new Date("2023-11-14T22:13:20Z"); // a Tuesday, Unix 1700000000

function ok(q: string): ParsedQuery {
  const r = parseQuery(q, { now: NOW });
  if (isQueryError(r)) throw new Error(`${q}: ${r.message} @${r.position}+${r.length}`);
  return r;
}
const ast = (q: string) => ok(q).ast;
function fail(q: string): QueryError {
  const r = parseQuery(q, { now: NOW });
  if (!isQueryError(r)) throw new Error(`${q} parsed: ${JSON.stringify(r.ast)}`);
  return r;
}
/** the error points exactly at `fragment` (its first occurrence at or after `from`) */
function failsAt(q: string, fragment: string, message: RegExp, from = 0): QueryError {
  const e = fail(q);
  expect(e.message).toMatch(message);
  const pos = q.indexOf(fragment, from);
  expect(pos).toBeGreaterThanOrEqual(0);
  expect({ position: e.position, length: e.length }).toEqual({ position: pos, length: fragment.length });
  return e;
}

const T = (value: string, field: TermNode["field"] = null, extra: Partial<TermNode> = {}): TermNode => ({ type: "term", field, value, phrase: false, wildcard: false, ...extra });
const P = (value: string, field: TermNode["field"] = null) => T(value, field, { phrase: true });
const W = (value: string, field: TermNode["field"] = null) => T(value, field, { wildcard: true });
const and = (...children: QueryNode[]): QueryNode => ({ type: "and", children });
const or = (...children: QueryNode[]): QueryNode => ({ type: "or", children });
const not = (child: QueryNode): QueryNode => ({ type: "not", children: [child] });
const range = (field: "d" | "rt", from: string | null, to: string | null): QueryNode => ({ type: "range", field, from, to });

describe("lore's prefixes", () => {
  const text: [string, string][] = [
    ["s", "subject"],
    ["f", "From"],
    ["t", "To"],
    ["c", "Cc"],
    ["tc", "To or Cc"],
    ["a", "To, Cc or From"],
    ["b", "body"],
    ["bs", "subject or body"],
    ["nq", "unquoted text"],
    ["q", "quoted text"],
    ["n", "attachment name"],
    ["l", "List-Id"],
    ["m", "Message-ID"],
    ["dfn", "diff file name"],
    ["dfa", "removed lines"],
    ["dfb", "added lines"],
    ["dfhh", "hunk header"],
    ["dfctx", "diff context"],
  ];
  it.each(text)("%s: is a word field (%s)", (p, label) => {
    expect(ast(`${p}:foo`)).toEqual(T("foo", p as TermNode["field"]));
    expect(ast(`${p}:"foo bar"`)).toEqual(P("foo bar", p as TermNode["field"]));
    expect(ast(`${p}:foo*`)).toEqual(W("foo", p as TermNode["field"]));
    expect(describeQuery(ast(`${p}:foo`))).toBe(`${label} contains "foo"`);
  });

  it("aliases: tcf: is a:, dt: is d: to the second; patchlore's file:, func:, refs:", () => {
    expect(ast("tcf:akpm")).toEqual(T("akpm", "a"));
    expect(ast("file:mm/memory.c")).toEqual(T("mm/memory.c", "dfn"));
    expect(ast("func:do_wp_page")).toEqual(T("do_wp_page", "dfhh"));
    expect(ast("refs:a@b")).toEqual(T("a@b", "references"));
    expect(ast("dt:20230101120000..20230101180000")).toEqual(range("d", "2023-01-01T12:00:00Z", "2023-01-01T18:00:01Z"));
  });

  it("the default (no prefix) is lore's: Message-ID, subject, From, names, quoted and unquoted text", () => {
    expect(ast("foo")).toEqual(T("foo"));
    expect(describeQuery(ast("foo"))).toBe('message contains "foo"');
  });

  it("mid:, references:, thread: take a whole Message-ID; the <> are dropped", () => {
    expect(ast("mid:20230101.1234-1-a@example.com")).toEqual(T("20230101.1234-1-a@example.com", "mid"));
    expect(ast("mid:<x@y>")).toEqual(T("x@y", "mid"));
    expect(ast('mid:"<x@y>"')).toEqual(T("x@y", "mid"));
    expect(ast("references:<x@y>")).toEqual(T("x@y", "references"));
    expect(ast("thread:x@y")).toEqual(T("x@y", "thread"));
    // exact values are byte for byte: case kept, no wildcard (lore: a boolean term "Qfoo*")
    expect(ast("mid:Foo*@Bar")).toEqual(T("Foo*@Bar", "mid"));
    expect(describeQuery(ast("mid:x@y"))).toBe("Message-ID is <x@y>");
  });

  it("lid: is lower-cased, as lore indexes List-Ids", () => {
    expect(ast("lid:<Linux-MMC.vger.kernel.org>")).toEqual(T("linux-mmc.vger.kernel.org", "lid"));
  });

  it("dfpre:, dfpost:, dfblob: take 7 to 64 hex digits (lore indexes every abbreviation)", () => {
    expect(ast("dfpre:3A4B5C6")).toEqual(T("3a4b5c6", "dfpre"));
    expect(ast("dfpost:3a4b5c6d7e8f")).toEqual(T("3a4b5c6d7e8f", "dfpost"));
    expect(ast("dfblob:3a4b5c6d*")).toEqual(T("3a4b5c6d", "dfblob"));
    failsAt("dfpre:abc", "abc", /7 to 64 hex digits/);
    failsAt("dfblob:xyz1234", "xyz1234", /hex digits/);
  });

  it("patchid: takes the full git patch-id --stable", () => {
    const id = "0123456789abcdef0123456789abcdef01234567";
    expect(ast(`patchid:${id.toUpperCase()}`)).toEqual(T(id, "patchid"));
    failsAt("patchid:0123456", "0123456", /40 hex digits/);
  });
});

describe("dates (d:, rt:, dt:) with git's approxidate, now = 2023-11-14 22:13:20 UTC", () => {
  it("d:A..B includes both days, as lore's inclusive YYYYMMDD range does", () => {
    expect(ast("d:2023-01-01..2023-02-01")).toEqual(range("d", "2023-01-01T00:00:00Z", "2023-02-02T00:00:00Z"));
    expect(ast("d:20230101..20230201")).toEqual(range("d", "2023-01-01T00:00:00Z", "2023-02-02T00:00:00Z"));
    expect(describeQuery(ast("d:2023-01-01..2023-02-01"))).toBe("date from 2023-01-01 through 2023-02-01");
  });

  it("open-ended ranges: d:last.week.. and d:..2.days.ago, widened to whole days (lore 2.x)", () => {
    expect(ast("d:last.week..")).toEqual(range("d", "2023-11-07T00:00:00Z", null));
    expect(ast("d:..2.days.ago")).toEqual(range("d", null, "2023-11-13T00:00:00Z"));
    expect(ast("d:2.weeks.ago..1.week.ago")).toEqual(range("d", "2023-10-31T00:00:00Z", "2023-11-08T00:00:00Z"));
    expect(describeQuery(ast("d:last.week.."))).toBe("date on or after 2023-11-07");
    expect(describeQuery(ast("d:..2.days.ago"))).toBe("date on or before 2023-11-12");
  });

  it("a single day means that whole day", () => {
    expect(ast("d:20230101")).toEqual(range("d", "2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z"));
    expect(ast("d:2023-01-01")).toEqual(range("d", "2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z"));
    expect(ast("d:yesterday")).toEqual(range("d", "2023-11-13T00:00:00Z", "2023-11-14T00:00:00Z"));
    expect(ast("d:today")).toEqual(range("d", "2023-11-14T00:00:00Z", "2023-11-15T00:00:00Z"));
    expect(ast("d:2.days.ago")).toEqual(range("d", "2023-11-12T00:00:00Z", "2023-11-13T00:00:00Z"));
    expect(ast("d:last.friday")).toEqual(range("d", "2023-11-10T00:00:00Z", "2023-11-11T00:00:00Z"));
    expect(describeQuery(ast("d:20230101"))).toBe("date is 2023-01-01");
  });

  it("month names and years name the whole period", () => {
    expect(ast("d:march")).toEqual(range("d", "2023-03-01T00:00:00Z", "2023-04-01T00:00:00Z"));
    expect(ast("d:dec")).toEqual(range("d", "2022-12-01T00:00:00Z", "2023-01-01T00:00:00Z"));
    expect(ast("d:march.2022..may.2022")).toEqual(range("d", "2022-03-01T00:00:00Z", "2022-06-01T00:00:00Z"));
    expect(ast("d:jan.5")).toEqual(range("d", "2023-01-05T00:00:00Z", "2023-01-06T00:00:00Z"));
    expect(ast("d:2023")).toEqual(range("d", "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z"));
    expect(ast("d:2022..2023")).toEqual(range("d", "2022-01-01T00:00:00Z", "2024-01-01T00:00:00Z"));
    expect(ast("d:2023-03")).toEqual(range("d", "2023-03-01T00:00:00Z", "2023-04-01T00:00:00Z"));
  });

  it("YYYYMMDDHHMMSS keeps its seconds (public-inbox 1.x turned such a d: into dt:)", () => {
    expect(ast("d:20230101123456..")).toEqual(range("d", "2023-01-01T12:34:56Z", null));
    expect(ast("d:..20230101123456")).toEqual(range("d", null, "2023-01-01T12:34:57Z"));
    // a single instant X is X .. X + 1 day (Search.pm: "add 1 day")
    expect(ast("d:20230101123456")).toEqual(range("d", "2023-01-01T12:34:56Z", "2023-01-02T12:34:56Z"));
    expect(ast('d:"2023-01-01 12:00"..')).toEqual(range("d", "2023-01-01T12:00:00Z", null));
  });

  it("rt: is the received time, to the second; epoch seconds accepted like lore", () => {
    expect(ast("rt:2.days.ago..")).toEqual(range("rt", "2023-11-12T22:13:20Z", null));
    expect(ast("rt:1700000000..")).toEqual(range("rt", "2023-11-14T22:13:20Z", null));
    expect(ast("rt:86400..172800")).toEqual(range("rt", "1970-01-02T00:00:00Z", "1970-01-03T00:00:01Z"));
    expect(ast("rt:2023-01-01")).toEqual(range("rt", "2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z"));
    expect(describeQuery(ast("rt:2.days.ago.."))).toBe("received on or after 2023-11-12 22:13:20 UTC");
  });

  it("a trailing ) closes a group, as lore strips it off the date", () => {
    expect(ast("(s:foo d:2023-01-01..)")).toEqual(and(T("foo", "s"), range("d", "2023-01-01T00:00:00Z", null)));
  });

  it("bad dates point inside the value", () => {
    failsAt("s:foo d:2.dayz.ago", "dayz", /unknown date word "dayz"/);
    failsAt("d:garbage..", "garbage", /unknown date word/);
    failsAt("d:2023-01-01..yesterdy", "yesterdy", /unknown date word/);
    failsAt("d:20231301", "20231301", /no such date/);
    failsAt("d:2023-02-01..2023-01-01", "2023-02-01..2023-01-01", /ends before it starts/);
    failsAt("d:..", "..", /empty range/);
    failsAt("d:a..b..c", "..", /one "\.\."/, 5);
    failsAt("d: foo", "d:", /needs a value/);
  });
});

describe("patchlore's own prefixes", () => {
  it("is: and has: facets", () => {
    for (const v of ["patch", "cover", "reply", "rfc", "reviewed", "acked", "nacked", "merged", "applied", "changes-requested", "superseded", "latest", "decision"]) {
      expect(ast(`is:${v}`)).toEqual({ type: "facet", name: "is", value: v });
    }
    for (const v of ["benchmark", "comments", "run", "attachment", "diff"]) {
      expect(ast(`has:${v}`)).toEqual({ type: "facet", name: "has", value: v });
    }
    expect(ast("is:PATCH")).toEqual({ type: "facet", name: "is", value: "patch" });
    expect(ast("is:Changes-Requested")).toEqual({ type: "facet", name: "is", value: "changes-requested" });
    expect(describeQuery(ast("is:applied -is:changes-requested"))).toBe("is applied and is not asking for changes");
    expect(formatQuery(ast("is:changes-requested"))).toBe("is:changes-requested");
    failsAt("is:changes", "changes", /did you mean is:changes-requested/);
    failsAt("is:pach", "pach", /did you mean is:patch/);
    failsAt("has:benchmarks x", "benchmarks", /did you mean has:benchmark/);
    failsAt("is:foo", "foo", /is: takes patch, cover/);
  });

  it("v:N", () => {
    expect(ast("v:3")).toEqual({ type: "version", value: 3 });
    expect(ast("v:v12")).toEqual({ type: "version", value: 12 });
    failsAt("v:0", "0", /from 1 to 999/);
    failsAt("foo v:x", "x", /series version/);
    failsAt("v:2.5", "2.5", /series version/);
    failsAt("v:-1", "-1", /series version/);
    failsAt("v:1000", "1000", /from 1 to 999/);
  });

  it("by: and reviewer:", () => {
    expect(ast("by:akpm@linux-foundation.org")).toEqual(T("akpm@linux-foundation.org", "by"));
    expect(ast('reviewer:"Adrian Hunter"')).toEqual(P("Adrian Hunter", "reviewer"));
    expect(describeQuery(ast("by:akpm"))).toBe('series author matches "akpm"');
    expect(describeQuery(ast("reviewer:hunter"))).toBe('reviewed by "hunter"');
  });
});

describe("operators, with lore's precedence", () => {
  it("juxtaposition is AND (lore's default_op)", () => {
    expect(ast("foo bar")).toEqual(and(T("foo"), T("bar")));
    expect(ast("foo AND bar")).toEqual(and(T("foo"), T("bar")));
  });

  it("OR binds loosest: a OR b c = a OR (b AND c); a b OR c = (a AND b) OR c", () => {
    // lore: (a OR (b AND c)) and ((a AND b) OR c)
    expect(ast("a OR b c")).toEqual(or(T("a"), and(T("b"), T("c"))));
    expect(ast("a b OR c")).toEqual(or(and(T("a"), T("b")), T("c")));
    expect(ast("a OR b AND c")).toEqual(or(T("a"), and(T("b"), T("c"))));
    expect(ast("a AND b OR c")).toEqual(or(and(T("a"), T("b")), T("c")));
    expect(ast("a OR b OR c")).toEqual(or(T("a"), T("b"), T("c")));
  });

  it("NOT is AND NOT, and takes the whole juxtaposition after it: a NOT b c = a AND NOT (b AND c)", () => {
    // lore: (a AND_NOT (b AND c))
    expect(ast("a NOT b c")).toEqual(and(T("a"), not(and(T("b"), T("c")))));
    expect(ast("a NOT b")).toEqual(and(T("a"), not(T("b"))));
    expect(ast("a AND NOT b")).toEqual(and(T("a"), not(T("b"))));
    // lore: ((a AND_NOT b) AND c) and ((a AND b) AND_NOT c)
    expect(ast("a NOT b AND c")).toEqual(and(T("a"), not(T("b")), T("c")));
    expect(ast("a AND b NOT c")).toEqual(and(T("a"), T("b"), not(T("c"))));
    expect(ast("a NOT b NOT c")).toEqual(and(T("a"), not(T("b")), not(T("c"))));
  });

  it("a minus right after AND negates the whole group after it (Xapian's HATE_AFTER_AND)", () => {
    // lore: (a AND_NOT (c AND d))
    expect(ast("a AND -c d")).toEqual(and(T("a"), not(and(T("c"), T("d")))));
    expect(ast("a AND -c")).toEqual(and(T("a"), not(T("c"))));
    // without the AND, the minus is the word's alone: ((a AND d) AND_NOT c)
    expect(ast("a -c d")).toEqual(and(T("a"), not(T("c")), T("d")));
  });

  it("XOR sits between AND and OR", () => {
    // lore: ((a XOR b) OR c), (a XOR (b AND c)), ((a AND b) XOR c)
    expect(ast("a XOR b OR c")).toEqual(or({ type: "xor", children: [T("a"), T("b")] }, T("c")));
    expect(ast("a XOR b AND c")).toEqual({ type: "xor", children: [T("a"), and(T("b"), T("c"))] });
    expect(ast("a AND b XOR c")).toEqual({ type: "xor", children: [and(T("a"), T("b")), T("c")] });
    expect(ast("a XOR b XOR c")).toEqual({ type: "xor", children: [T("a"), T("b"), T("c")] });
    expect(describeQuery(ast("a XOR b"))).toBe('either message contains "a" or message contains "b", not both');
  });

  it("+must and -not modifiers", () => {
    // lore: ((a AND c) AND_NOT b); + changes nothing under default_op AND
    expect(ast("a -b c")).toEqual(and(T("a"), not(T("b")), T("c")));
    expect(ast("+a +b c")).toEqual(and(T("a"), T("b"), T("c")));
    expect(ast("-s:foo bar")).toEqual(and(not(T("foo", "s")), T("bar")));
    expect(ast('c -"x y"')).toEqual(and(T("c"), not(P("x y"))));
    expect(ast("-(a b) c")).toEqual(and(not(and(T("a"), T("b"))), T("c")));
    expect(ast("a - b")).toEqual(and(T("a"), T("b"))); // lore: a lone - is ignored
  });

  it("parentheses and prefixes applied to a group", () => {
    expect(ast("(a OR b) c")).toEqual(and(or(T("a"), T("b")), T("c")));
    expect(ast("a (b OR c)")).toEqual(and(T("a"), or(T("b"), T("c"))));
    expect(ast("((a))")).toEqual(T("a"));
    // lore: (ZSa OR ZSb), (ZSa AND_NOT ZSb)
    expect(ast("s:(a OR b)")).toEqual(or(T("a", "s"), T("b", "s")));
    expect(ast("s:(a -b)")).toEqual(and(T("a", "s"), not(T("b", "s"))));
    expect(ast("b:(foo bar) baz")).toEqual(and(T("foo", "b"), T("bar", "b"), T("baz")));
    expect(ast("s:(a f:b)")).toEqual(and(T("a", "s"), T("b", "f")));
  });

  it("NEAR and ADJ between single words", () => {
    // lore: (Sa NEAR 11 Sb): window 11 = distance 10 + 2 words - 1
    expect(ast("s:a NEAR s:b")).toEqual({ type: "near", field: "s", terms: ["a", "b"], distance: 10, ordered: false });
    expect(ast("a NEAR/3 b")).toEqual({ type: "near", field: null, terms: ["a", "b"], distance: 3, ordered: false });
    expect(ast("a ADJ b ADJ c")).toEqual({ type: "near", field: null, terms: ["a", "b", "c"], distance: 10, ordered: true });
    expect(ast("x a NEAR b")).toEqual(and(T("x"), { type: "near", field: null, terms: ["a", "b"], distance: 10, ordered: false }));
    expect(ast("s:(a NEAR b)")).toEqual({ type: "near", field: "s", terms: ["a", "b"], distance: 10, ordered: false });
    failsAt('"a b" NEAR c', '"a b"', /single words/);
    failsAt("a NEAR s:b", "s:b", /same field/);
    failsAt("a NEAR", "NEAR", /between two single words/);
    failsAt("NEAR a", "NEAR", /between two single words/);
    failsAt("a NEAR/0 b", "NEAR/0", /from 1 to 100/);
    failsAt("a NEAR b ADJ c", "ADJ", /can't be mixed/);
  });

  it("lower-case and/or/not are words, as in lore (no FLAG_BOOLEAN_ANY_CASE), with a warning", () => {
    const r = ok("foo or bar");
    expect(r.ast).toEqual(and(T("foo"), T("or"), T("bar")));
    expect(r.warnings).toEqual([{ message: expect.stringMatching(/write OR in capitals/), position: 4, length: 2 }]);
    expect(ast("not foo")).toEqual(and(T("not"), T("foo")));
    expect(ok("foo bar").warnings).toEqual([]);
  });

  it("operator errors point at the operator", () => {
    failsAt("foo OR", "OR", /OR needs something to search for after it/);
    failsAt("AND foo", "AND", /AND needs something to search for on both sides/);
    failsAt("a AND OR b", "AND", /AND needs something to search for after it/);
    failsAt("a (AND b)", "AND", /AND needs something/);
    failsAt("NOT", "NOT", /NOT needs something to search for after it/);
    expect(ast("foo -")).toEqual(T("foo")); // lore: a lone - is ignored
  });
});

describe("queries of only negations are refused (lore refuses them)", () => {
  it.each([
    ["NOT foo", "NOT foo"], // lore: "Syntax: <expression> NOT <expression>"
    ["-foo", "-foo"], // lore silently turns it into "foo"
    ["-foo -bar", "-foo"],
    ["-s:foo", "-s:foo"],
    ["NOT (a b)", "NOT (a b)"],
    ["-is:rfc", "-is:rfc"],
  ])("%s", (q, at) => {
    failsAt(q, at, /only exclusions/);
  });

  it("an exclusion alone on one side of OR/XOR is refused too (lore: syntax error)", () => {
    failsAt("a OR -b", "-b", /can't stand alone on one side of OR/);
    failsAt("a OR NOT b", "NOT b", /one side of OR/);
    failsAt("(-a) OR b", "(-a)", /one side of OR/);
    failsAt("a XOR -b", "-b", /one side of XOR/);
  });

  it("exclusions next to something positive are fine", () => {
    expect(ast("foo -bar")).toEqual(and(T("foo"), not(T("bar"))));
    expect(ast("foo (NOT bar)")).toEqual(and(T("foo"), not(T("bar"))));
    expect(ast("foo AND -bar")).toEqual(and(T("foo"), not(T("bar"))));
    expect(ast("d:last.week.. -s:RFC")).toEqual(and(range("d", "2023-11-07T00:00:00Z", null), not(T("RFC", "s"))));
    expect(ast("is:patch -is:rfc")).toEqual(and({ type: "facet", name: "is", value: "patch" }, not({ type: "facet", name: "is", value: "rfc" })));
    expect(ast("(a -b) OR c")).toEqual(or(and(T("a"), not(T("b"))), T("c")));
    // NOT (NOT a AND NOT b) = a OR b: no "not" is left without a positive sibling
    expect(ast("x NOT (-a -b)")).toEqual(and(T("x"), or(T("a"), T("b"))));
    expect(ast("x NOT -a")).toEqual(and(T("x"), T("a")));
  });
});

describe("lore's rule for exact filters: the same prefix juxtaposed is ORed", () => {
  it("mid:, lid:, dfblob: ... repeated mean any of them; different prefixes mean all", () => {
    // lore: 0 * (Qx OR Qy); (foo FILTER (Qx OR Qy)); 0 * ((Ga OR Gb) AND Qc)
    expect(ast("mid:x mid:y")).toEqual(or(T("x", "mid"), T("y", "mid")));
    expect(ast("mid:x foo mid:y")).toEqual(and(or(T("x", "mid"), T("y", "mid")), T("foo")));
    expect(ast("lid:a lid:b mid:c")).toEqual(and(or(T("a", "lid"), T("b", "lid")), T("c", "mid")));
    expect(ast("dfpre:1234567 dfpost:1234567")).toEqual(and(T("1234567", "dfpre"), T("1234567", "dfpost")));
  });
  it("so are repeated date ranges of the same prefix (lore: OR of the value ranges)", () => {
    expect(ast("d:20200101..20200131 d:20210101..20210131")).toEqual(
      or(range("d", "2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z"), range("d", "2021-01-01T00:00:00Z", "2021-02-01T00:00:00Z")),
    );
    expect(ast("d:2020.. rt:..2021")).toEqual(and(range("d", "2020-01-01T00:00:00Z", null), range("rt", null, "2022-01-01T00:00:00Z")));
  });
  it("an explicit AND keeps AND, exclusions stay exclusions, word fields are ANDed", () => {
    // lore: (0 * Qx AND 0 * Qy); ((foo FILTER Qx) AND_NOT Qy); (ZSfoo AND ZSbar)
    expect(ast("mid:x AND mid:y")).toEqual(and(T("x", "mid"), T("y", "mid")));
    expect(ast("mid:x -mid:y foo")).toEqual(and(T("x", "mid"), not(T("y", "mid")), T("foo")));
    expect(ast("s:foo s:bar")).toEqual(and(T("foo", "s"), T("bar", "s")));
  });
});

describe("phrases and wildcards", () => {
  it("phrases, also after a prefix and with curly quotes", () => {
    expect(ast('"struct page"')).toEqual(P("struct page"));
    expect(ast('s:"exact phrase"')).toEqual(P("exact phrase", "s"));
    expect(ast("\u201ccurly quoted\u201d")).toEqual(P("curly quoted"));
    expect(ast('"  spaced   out "')).toEqual(P("spaced out"));
    expect(ast('"foo bar" baz')).toEqual(and(P("foo bar"), T("baz")));
    expect(describeQuery(ast('s:"use after free"'))).toBe('subject contains the phrase "use after free"');
  });

  it("a * after a phrase is ignored, as in lore, with a warning", () => {
    const r = ok('s:"foo bar"* x');
    expect(r.ast).toEqual(and(P("foo bar", "s"), T("x")));
    expect(r.warnings[0].message).toMatch(/ignored/);
  });

  it("trailing * wildcards", () => {
    expect(ast("foo*")).toEqual(W("foo"));
    expect(ast("s:regress*")).toEqual(W("regress", "s"));
    expect(ast("dfhh:mmc_blk*")).toEqual(W("mmc_blk", "dfhh"));
    expect(ast("foo** bar")).toEqual(and(W("foo"), T("bar")));
    expect(describeQuery(ast("s:regress*"))).toBe('subject contains a word starting with "regress"');
    failsAt("a*", "a*", /at least 2 letters/);
    failsAt("s:*", "*", /at least 2 letters/);
    failsAt("x *", "*", /at least 2 letters/);
  });

  it("errors: empty phrase, unclosed quote", () => {
    failsAt('foo ""', '""', /empty phrase/);
    failsAt('s:"foo bar', '"foo bar', /unclosed quote/);
    failsAt('a "b', '"b', /unclosed quote/);
  });
});

describe("code identifiers stay whole", () => {
  it.each([
    ["vm_write_begin", "vm_write_begin"],
    ["mm/memory.c", "mm/memory.c"],
    ["do_wp_page()", "do_wp_page"],
    ["__GFP_NOWARN", "__GFP_NOWARN"],
    ["0x1f", "0x1f"],
    ["x86_64", "x86_64"],
    ["v6.1.3", "v6.1.3"],
    ["vma->vm_flags", "vma->vm_flags"],
    ["std::vector", "std::vector"],
    ["http://lore.kernel.org/r/x@y", "http://lore.kernel.org/r/x@y"],
    ["akpm@linux-foundation.org", "akpm@linux-foundation.org"],
  ])("%s is one term", (q, value) => {
    expect(ast(q)).toEqual(T(value));
  });

  it("dfhh:do_wp_page and dfhh:do_wp_page() are the same search", () => {
    expect(ast("dfhh:do_wp_page")).toEqual(T("do_wp_page", "dfhh"));
    expect(ast("dfhh:do_wp_page()")).toEqual(T("do_wp_page", "dfhh"));
    expect(ast("do_wp_page() foo")).toEqual(and(T("do_wp_page"), T("foo")));
  });

  it("struct/union/enum NAME is the phrase (lore would AND the two words)", () => {
    expect(ast("struct page")).toEqual(P("struct page"));
    expect(ast("folio struct page")).toEqual(and(T("folio"), P("struct page")));
    expect(ast("-struct page x")).toEqual(and(not(P("struct page")), T("x")));
    expect(ast("dfb:(union bar)")).toEqual(P("union bar", "dfb"));
    // only with a bare identifier after it
    expect(ast("struct s:page")).toEqual(and(T("struct"), T("page", "s")));
    expect(ast('struct "page"')).toEqual(and(T("struct"), P("page")));
  });

  it("a call with arguments is a word and a group, as in lore: BIT(3) = BIT AND 3", () => {
    expect(ast("BIT(3)")).toEqual(and(T("BIT"), T("3")));
  });

  it("punctuation around words", () => {
    expect(ast("Fixes: abc")).toEqual(and(T("Fixes"), T("abc")));
    expect(ast("regression, done.")).toEqual(and(T("regression"), T("done")));
    const r = ok("foo && bar");
    expect(r.ast).toEqual(and(T("foo"), T("bar")));
    expect(r.warnings[0]).toMatchObject({ position: 4, length: 2 });
    failsAt("&&", "&&", /nothing to search for/);
  });
});

describe("errors point at the spot", () => {
  it("unbalanced parentheses", () => {
    failsAt("(foo bar", "(", /unclosed '\('/);
    failsAt("a (b (c) d", "(", /unclosed '\('/);
    failsAt("foo bar)", ")", /unmatched '\)'/);
    failsAt("(a) b) c", ")", /unmatched/, 3);
    failsAt("foo ()", "()", /empty parentheses/);
    failsAt("s:()", "()", /empty parentheses/);
    failsAt("s:(a", "(", /unclosed/);
  });

  it("unknown prefixes suggest the nearest known one", () => {
    failsAt("subject:foo", "subject:", /unknown prefix "subject:" — did you mean "s:"\?/);
    failsAt("x fron:akpm", "fron:", /did you mean "f:"/);
    failsAt("dfhhh:foo", "dfhhh:", /did you mean "dfhh:"/);
    failsAt("dnf:foo", "dnf:", /did you mean "dfn:"/);
    failsAt("date:2023", "date:", /did you mean "d:"/);
    failsAt("author:akpm", "author:", /did you mean "by:"/);
    const e = fail("qwertyuiop:x");
    expect(e.message).toMatch(/unknown prefix "qwertyuiop:" \(to search for the text itself, put it in quotes: "qwertyuiop:x"\)/);
    failsAt("z:1000..", "z:", /not supported/);
    // quoted, it is text
    expect(ast('"subject:foo"')).toEqual(P("subject:foo"));
  });

  it("empty values", () => {
    failsAt("s:", "s:", /s: needs a value right after the colon, e.g. s:"a quick brown fox"/);
    failsAt("foo mid: bar", "mid:", /needs a value/);
    failsAt("dfn:)", "dfn:", /needs a value/);
    failsAt("mid:<>", "<>", /needs a Message-ID/);
    failsAt("s:---", "---", /needs letters or digits/);
    failsAt("mid:(a b)", "mid:", /one value, not a parenthesised group/);
    failsAt("is:", "is:", /needs a value/);
  });

  it("prefixes are case-insensitive here (lore: S:foo would be the words s and foo)", () => {
    expect(ast("S:foo")).toEqual(T("foo", "s"));
    expect(ast("DFN:mm/memory.c")).toEqual(T("mm/memory.c", "dfn"));
  });

  it("empty query", () => {
    expect(fail("")).toMatchObject({ position: 0, length: 0, message: expect.stringMatching(/empty query/) });
    expect(fail("   ")).toMatchObject({ position: 0, length: 3 });
  });
});

describe("limits", () => {
  it(`at most ${MAX_QUERY_LENGTH} characters`, () => {
    const q = "a".repeat(MAX_QUERY_LENGTH + 5);
    expect(fail(q)).toMatchObject({ position: MAX_QUERY_LENGTH, length: 5, message: expect.stringMatching(/too long: 1005 characters, at most 1000/) });
    expect(ok("b".repeat(MAX_QUERY_LENGTH)).termCount).toBe(1);
  });

  it(`at most ${MAX_TERMS} terms, the error at the first one too many`, () => {
    const words = Array.from({ length: MAX_TERMS + 1 }, (_, i) => `w${i}`);
    const q = words.join(" ");
    failsAt(q, `w${MAX_TERMS}`, /too many terms: a query may have at most 64/, q.lastIndexOf(" "));
    expect(ok(words.slice(0, MAX_TERMS).join(" ")).termCount).toBe(MAX_TERMS);
    // every kind of leaf counts, and each word of a NEAR
    expect(ok("a NEAR b s:c d:2023.. is:patch v:2").termCount).toBe(6);
  });
});

describe("describeQuery", () => {
  it("reads like a sentence", () => {
    expect(describeQuery(ast('s:"memory leak" d:2023-01-01..2023-02-01'))).toBe(
      'subject contains the phrase "memory leak" and date from 2023-01-01 through 2023-02-01',
    );
    expect(describeQuery(ast("dfn:mm/memory.c -s:RFC (is:reviewed OR is:acked)"))).toBe(
      'diff file name contains "mm/memory.c" and subject does not contain "RFC" and (is reviewed or is acked)',
    );
    expect(describeQuery(ast("a NOT (b c)"))).toBe('message contains "a" and not (message contains "b" and message contains "c")');
    expect(describeQuery(ast("is:patch -has:benchmark v:2"))).toBe("is a patch and has no benchmark figures and is version 2 of its series");
    expect(describeQuery(ast("patchid:0123456789abcdef0123456789abcdef01234567"))).toBe("patch-id is 0123456789abcdef0123456789abcdef01234567");
    expect(describeQuery(ast("a ADJ/2 b"))).toBe('message contains "a" then "b" within 2 words');
    expect(describeQuery(ast("x -d:2023"))).toBe('message contains "x" and not (date from 2023-01-01 through 2023-12-31)');
  });
});

// queries used for round-trip and invariant checks
const CORPUS = [
  "foo",
  "foo bar",
  "a OR b c",
  "a NOT b c",
  "a -b c",
  "(a OR b) -c d",
  "a XOR b XOR c",
  's:"exact phrase" d:2023-01-01..2023-02-01',
  "vm_write_begin mm/memory.c do_wp_page() struct page __GFP_NOWARN 0x1f",
  "dfhh:do_wp_page dfn:drivers/mmc/core/block.c",
  "d:last.week.. -s:RFC",
  "d:..2.days.ago rt:2.days.ago..",
  "d:20230101123456..",
  "dt:20230101120000..20230101180000",
  "d:yesterday",
  "d:march",
  "mid:x@y mid:z@w foo",
  "mid:x@y AND mid:z@w",
  "lid:a.b lid:c.d -mid:e@f x",
  "is:patch -is:rfc has:benchmark v:3 by:akpm reviewer:\"Adrian Hunter\"",
  "s:(folio OR page) -b:(huge tlb)",
  "s:a NEAR s:b",
  "a ADJ/3 b c",
  "foo* s:regress*",
  "x NOT (-a -b)",
  "(a -b) OR (c -d)",
  "dfblob:3a4b5c6d patchid:0123456789abcdef0123456789abcdef01234567",
  "thread:x@y references:z@w",
  "rt:86400..172800",
  "d:2020.. d:..2019",
];

describe("formatQuery", () => {
  it.each(CORPUS)("round-trips %s", (q) => {
    const a = ast(q);
    const text = formatQuery(a);
    expect(ast(text)).toEqual(a);
  });

  it("prints canonical syntax", () => {
    expect(formatQuery(ast("a -b c"))).toBe("a -b c");
    expect(formatQuery(ast("a OR b c"))).toBe("a OR (b c)");
    expect(formatQuery(ast("mid:x mid:y"))).toBe("mid:x OR mid:y");
    expect(formatQuery(ast("mid:x AND mid:y"))).toBe("mid:x AND mid:y");
    expect(formatQuery(ast("file:mm/memory.c d:last.week.."))).toBe("dfn:mm/memory.c d:20231107..");
    expect(formatQuery(ast("d:2023-01-01"))).toBe("d:20230101");
    expect(formatQuery(ast("do_wp_page()"))).toBe("do_wp_page");
  });
});

describe("AST invariants the SQL compile step relies on", () => {
  function check(n: QueryNode, parent: QueryNode | null): void {
    if (n.type === "not") {
      expect(parent?.type).toBe("and");
      expect((parent as { children: QueryNode[] }).children.some((c) => c.type !== "not")).toBe(true);
      check(n.children[0], n);
      return;
    }
    if (n.type === "and" || n.type === "or" || n.type === "xor") {
      expect(n.children.length).toBeGreaterThanOrEqual(2);
      for (const c of n.children) {
        if (n.type !== "xor") expect(c.type).not.toBe(n.type);
        check(c, n);
      }
    }
  }
  it.each(CORPUS)("%s", (q) => check(ast(q), null));

  it("every prefix's help example parses to its field", () => {
    for (const p of PREFIXES) {
      const r = parseQuery(p.example, { now: NOW });
      expect(isQueryError(r), `${p.prefix}: ${p.example}`).toBe(false);
    }
  });
});

describe("random input", () => {
  it("never throws; errors stay inside the query; results print back to the same AST", () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pieces = ["--", "-+", "x:y", "S:", "Re:", "http://x", "a*", "(-", "NEAR/3", "d:..", '""', "a", "foo", "s:", "mid:", "d:", "rt:", "dfn:", "is:", "v:", "(", ")", '"', "\u201c", "-", "+", "*", " ", " ", " ", "AND", "OR", "NOT", "XOR", "NEAR", "ADJ/2", "..", "2023-01-01", "yesterday", "patch", "x@y", "mm/memory.c", "()", ":", "struct", "page", "\u0000", "é", "lid:", "dfpre:", "1234567", "thread:", "by:", "b:", "2.days.ago", "&&"];
    let parsed = 0;
    for (let i = 0; i < 4000; i++) {
      let q = "";
      const n = 1 + Math.floor(rnd() * 12);
      for (let j = 0; j < n; j++) q += pieces[Math.floor(rnd() * pieces.length)];
      const r = parseQuery(q, { now: NOW });
      if (isQueryError(r)) {
        expect(r.position).toBeGreaterThanOrEqual(0);
        expect(r.position + r.length).toBeLessThanOrEqual(q.length);
        continue;
      }
      parsed++;
      const again = parseQuery(formatQuery(r.ast), { now: NOW });
      expect(isQueryError(again) ? again.message : again.ast, q).toEqual(r.ast);
    }
    expect(parsed).toBeGreaterThan(500);
  });
});

describe("positiveTerms", () => {
  it("lists the words to mark in snippets, not the excluded ones", () => {
    expect(positiveTerms(ast('s:"use after free" dfn:mm/memory.c -foo vm_wr* mid:x@y d:2023.. a NEAR b'))).toEqual([
      { field: "s", words: ["use", "after", "free"], wildcard: false },
      { field: "dfn", words: ["mm", "memory", "c"], wildcard: false },
      { field: null, words: ["vm_wr"], wildcard: true },
      { field: null, words: ["a"], wildcard: false },
      { field: null, words: ["b"], wildcard: false },
    ]);
  });
});
