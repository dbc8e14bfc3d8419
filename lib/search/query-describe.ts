// The AST back to words: a sentence saying what a query matches (describeQuery, for the
// search page) and the query in canonical syntax (formatQuery).

import { DAY_MS, isoUTC } from "./approxidate";
import { PREFIXES, isTextField, type HasValue, type IsValue } from "./fields";
import { NEAR_DEFAULT_DISTANCE, type LeafNode, type QueryNode, type RangeNode } from "./query-ast";
import { OP_RE } from "./query-lexer";
import { queryWords } from "./tokenize";

const LABEL: Record<string, string> = Object.fromEntries(PREFIXES.filter((p) => !p.aliasOf).map((p) => [p.field, p.label]));

function quote(s: string): string {
  return `"${s.replace(/"/g, "'")}"`;
}

function fmtDay(ms: number): string {
  return isoUTC(ms).slice(0, 10);
}

function fmtInstant(ms: number): string {
  return isoUTC(ms).replace("T", " ").replace("Z", " UTC");
}

function dayAligned(ms: number): boolean {
  return ms % DAY_MS === 0;
}

function describeRange(n: RangeNode): string {
  const what = n.field === "d" ? "date" : "received";
  const from = n.from === null ? null : Date.parse(n.from);
  const to = n.to === null ? null : Date.parse(n.to);
  const lo = (ms: number) => (dayAligned(ms) ? fmtDay(ms) : fmtInstant(ms));
  const hi = (ms: number) => (dayAligned(ms) ? fmtDay(ms - DAY_MS) : fmtInstant(ms - 1000));
  if (from !== null && to !== null) {
    if (dayAligned(from) && to - from === DAY_MS) return `${what} is ${fmtDay(from)}`;
    return `${what} from ${lo(from)} through ${hi(to)}`;
  }
  if (from !== null) return `${what} on or after ${lo(from)}`;
  if (to !== null) return `${what} on or before ${hi(to!)}`;
  return `any ${what}`;
}

const IS_SHORT: Record<IsValue, string> = {
  patch: "a patch",
  cover: "a cover letter",
  reply: "a reply",
  rfc: "an RFC",
  reviewed: "reviewed",
  acked: "acked",
  nacked: "NAKed",
  merged: "merged",
  applied: "applied",
  "changes-requested": "asking for changes",
  superseded: "superseded",
  latest: "the latest version",
  decision: "a decision",
};
const HAS_SHORT: Record<HasValue, string> = {
  benchmark: "benchmark figures",
  comments: "review comments",
  run: "imported runs",
  attachment: "attachments",
  diff: "a diff",
};

function describeLeaf(n: LeafNode, negated: boolean): string {
  switch (n.type) {
    case "term": {
      const f = n.field;
      if (f === null || isTextField(f)) {
        if (f === "by") return `series author ${negated ? "does not match" : "matches"} ${quote(n.value)}`;
        if (f === "reviewer") return `${negated ? "not " : ""}reviewed by ${quote(n.value)}`;
        const label = f === null ? "message" : LABEL[f];
        const verb = negated ? "does not contain" : "contains";
        if (n.wildcard) return `${label} ${verb} a word starting with ${quote(n.value)}`;
        if (n.phrase && queryWords(n.value).length > 1) return `${label} ${verb} the phrase ${quote(n.value)}`;
        return `${label} ${verb} ${quote(n.value)}`;
      }
      const is = negated ? "is not" : "is";
      switch (f) {
        case "mid":
          return `Message-ID ${is} <${n.value}>`;
        case "lid":
          return `List-Id ${is} <${n.value}>`;
        case "references":
          return `References ${negated ? "do not include" : "include"} <${n.value}>`;
        case "thread":
          return `${negated ? "not " : ""}in the thread of <${n.value}>`;
        case "dfpre":
          return `pre-image blob ${is} ${n.value}`;
        case "dfpost":
          return `post-image blob ${is} ${n.value}`;
        case "dfblob":
          return `pre- or post-image blob ${is} ${n.value}`;
        case "patchid":
          return `patch-id ${is} ${n.value}`;
      }
      return `${f} ${is} ${quote(n.value)}`;
    }
    case "near": {
      const label = n.field === null ? "message" : LABEL[n.field];
      const words = n.terms.map(quote).join(n.ordered ? " then " : " near ");
      return `${label} ${negated ? "does not contain" : "contains"} ${words} within ${n.distance} words`;
    }
    case "range":
      return negated ? `not (${describeRange(n)})` : describeRange(n);
    case "facet":
      if (n.name === "is") return `${negated ? "is not" : "is"} ${IS_SHORT[n.value]}`;
      return `${negated ? "has no" : "has"} ${HAS_SHORT[n.value]}`;
    case "version":
      return `${negated ? "is not" : "is"} version ${n.value} of its series`;
  }
}

function isLeaf(n: QueryNode): n is LeafNode {
  return n.type !== "and" && n.type !== "or" && n.type !== "xor" && n.type !== "not";
}

/** A sentence saying what the query matches, for the search page:
 * `subject contains "foo" and date from 2023-01-01 through 2023-02-01`. */
export function describeQuery(ast: QueryNode): string {
  return describe(ast, null);
}

function describe(n: QueryNode, parent: QueryNode["type"] | null): string {
  if (isLeaf(n)) return describeLeaf(n, false);
  switch (n.type) {
    case "not": {
      const c = n.children[0];
      if (isLeaf(c)) return describeLeaf(c, true);
      return `not (${describe(c, null)})`;
    }
    case "and": {
      const s = n.children.map((c) => describe(c, "and")).join(" and ");
      return parent !== null && parent !== "and" ? `(${s})` : s;
    }
    case "or": {
      const s = n.children.map((c) => describe(c, "or")).join(" or ");
      return parent !== null && parent !== "or" ? `(${s})` : s;
    }
    case "xor": {
      const s =
        n.children.length === 2
          ? `either ${describe(n.children[0], "xor")} or ${describe(n.children[1], "xor")}, not both`
          : `an odd number of: ${n.children.map((c) => describe(c, "xor")).join("; ")}`;
      return parent !== null ? `(${s})` : s;
    }
  }
}

const CANONICAL_PREFIX: Record<string, string> = Object.fromEntries(PREFIXES.filter((p) => !p.aliasOf).map((p) => [p.field, p.prefix]));

function fmtValue(v: string): string {
  return /[\s()"\u201c\u201d]/.test(v) || v === "" ? `"${v.replace(/"/g, "")}"` : v;
}

function fmtBound(ms: number, upper: boolean): string {
  const t = upper ? (dayAligned(ms) ? ms - DAY_MS : ms - 1000) : ms;
  const iso = isoUTC(t);
  const ymd = iso.slice(0, 10).replace(/-/g, "");
  return dayAligned(upper ? ms : ms) ? ymd : ymd + iso.slice(11, 19).replace(/:/g, "");
}

/** The query in canonical syntax: parseQuery(formatQuery(ast)) gives the same AST back
 * (dates as absolute YYYYMMDD / YYYYMMDDHHMMSS, prefixes in their canonical spelling). */
export function formatQuery(ast: QueryNode): string {
  return fmt(ast, null);
}

function fmt(n: QueryNode, parent: QueryNode["type"] | null): string {
  switch (n.type) {
    case "term": {
      const pfx = n.field === null ? "" : `${CANONICAL_PREFIX[n.field]}:`;
      if (n.phrase) return `${pfx}"${n.value.replace(/"/g, "")}"`;
      // a bare word that would read as an operator or a modifier is guarded by a no-op "+"
      const guard = n.field === null && (OP_RE.test(n.value) || /^[+-]/.test(n.value)) ? "+" : "";
      return `${guard}${pfx}${n.field !== null && !isTextField(n.field) ? fmtValue(n.value) : n.value}${n.wildcard ? "*" : ""}`;
    }
    case "near": {
      const pfx = n.field === null ? "" : `${CANONICAL_PREFIX[n.field]}:`;
      const op = `${n.ordered ? "ADJ" : "NEAR"}${n.distance === NEAR_DEFAULT_DISTANCE ? "" : `/${n.distance}`}`;
      return n.terms.map((t) => pfx + t).join(` ${op} `);
    }
    case "range": {
      const pfx = n.field === "d" ? (isSecondPrecise(n) ? "dt" : "d") : "rt";
      const from = n.from === null ? null : Date.parse(n.from);
      const to = n.to === null ? null : Date.parse(n.to);
      if (from !== null && to !== null && pfx !== "rt" && pfx !== "dt" && dayAligned(from) && to - from === DAY_MS) return `d:${fmtBound(from, false)}`;
      return `${pfx}:${from === null ? "" : fmtBound(from, false)}..${to === null ? "" : fmtBound(to, true)}`;
    }
    case "facet":
      return `${n.name}:${n.value}`;
    case "version":
      return `v:${n.value}`;
    case "not": {
      const c = n.children[0];
      const inner = fmt(c, "not");
      if (!isLeaf(c) || c.type === "near") return `-(${inner})`;
      return `-${inner.startsWith("+") ? inner.slice(1) : inner}`;
    }
    case "and": {
      // juxtaposition would OR same-prefix exact filters (lore's rule): say AND explicitly then
      const needsExplicit = hasSamePrefixFilters(n.children);
      const s = n.children.map((c) => fmt(c, "and")).join(needsExplicit ? " AND " : " ");
      return parent === null || parent === "not" ? s : `(${s})`;
    }
    case "or": {
      const s = n.children.map((c) => fmt(c, "or")).join(" OR ");
      return parent !== null ? `(${s})` : s;
    }
    case "xor": {
      const s = n.children.map((c) => fmt(c, "xor")).join(" XOR ");
      return parent !== null ? `(${s})` : s;
    }
  }
}

function isSecondPrecise(n: RangeNode): boolean {
  return (n.from !== null && !dayAligned(Date.parse(n.from))) || (n.to !== null && !dayAligned(Date.parse(n.to)));
}

function hasSamePrefixFilters(children: QueryNode[]): boolean {
  const seen = new Set<string>();
  for (const c of children) {
    let key: string | null = null;
    if (c.type === "term" && c.field !== null && !isTextField(c.field)) key = c.field;
    else if (c.type === "range") key = `range:${c.field}`;
    if (key === null) continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}
