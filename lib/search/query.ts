// lore's search language (public-inbox over Xapian), parsed into a typed AST with lore's
// meaning, plus patchlore's own prefixes. Pure: no I/O, no database; `now` anchors dates.
//
// The authority for "what lore does" is public-inbox itself: lib/PublicInbox/Search.pm
// (prefix table, query-parser flags, the approxidate pre-pass), SearchIdx.pm (what each
// prefix indexes) and, for 2.x, xap_helper.h/xh_date.h; behaviour of Xapian's QueryParser was
// checked by running Xapian 1.4.22 (Search::Xapian) with public-inbox's exact setup:
// default operator AND, FLAG_PHRASE|FLAG_BOOLEAN|FLAG_LOVEHATE|FLAG_WILDCARD, no
// FLAG_PURE_NOT, no FLAG_BOOLEAN_ANY_CASE. Comments marked "lore:" record what it does.
//
// Grammar (Xapian's precedence, loosest first):
//   query  := or
//   or     := xor ("OR" xor)*
//   xor    := and ("XOR" and)*
//   and    := unary (("AND" ["NOT" | "-"] | "NOT") unary)*  a NOT b = a AND NOT b = a AND -b
//   unary  := "NOT" unary | group
//   group  := item item*                                   juxtaposition = AND (lore's default_op)
//   item   := ["+" | "-"] atom [("NEAR" | "ADJ")["/"N] word]*
//   atom   := "(" or ")" | prefix ":" "(" or ")" | [prefix ":"] ('"' phrase '"' | word ["*"])
// lore: juxtaposed words bind tighter than AND/NOT, which bind tighter than XOR, then OR:
//   `a OR b c` = a OR (b AND c);  `a NOT b c` = a AND NOT (b AND c);  `a -b c` = (a AND c) NOT b.
//
// AST invariants (what the SQL compile step may rely on):
//   - a "not" node only ever appears as a child of an "and" node that also has at least one
//     child that is not a "not": every negation subtracts from something positive. Queries
//     that would need "all messages except ..." are refused. lore: public-inbox's Perl
//     search (Search.pm) leaves out FLAG_PURE_NOT ("expensive, not suitable for a public
//     website ... a denial-of-service vector"), so `NOT foo` is a syntax error there, while
//     `-foo` is silently searched as `foo` (Xapian drops the minus of a query with only
//     exclusions). public-inbox 2.x's C++ helper (xap_helper.h) does set FLAG_PURE_NOT;
//     patchlore refuses both forms, with a message saying why;
//   - "and"/"or"/"xor" have at least two children and are flattened (no "and" directly under
//     an "and", no "or" under an "or");
//   - ranges are half-open UTC intervals [from, to) as ISO 8601 strings, null = unbounded;
//   - term values are as the user typed them, minus query syntax (quotes, `*`, `()`): text
//     fields are matched case-insensitively on the words tokenize.ts cuts them into (one word:
//     a term; several: a phrase), exact fields byte for byte (validated and normalised here).

import { DAY_MS, dayOf, isDateParseError, isoUTC, parseApproxidate, type DatePeriod } from "./approxidate";
import {
  DEFAULT_FIELDS,
  HAS_VALUES,
  IS_VALUES,
  MAX_VERSION,
  PREFIXES,
  PREFIX_BY_NAME,
  PREFIX_SYNONYMS,
  UNSUPPORTED_PREFIXES,
  nearest,
  type ExactField,
  type FieldName,
  type HasValue,
  type IsValue,
  type PrefixInfo,
  type RangeField,
  type TextField,
} from "./fields";
import { queryWords } from "./tokenize";

export type { ExactField, FieldName, HasValue, IsValue, RangeField, TextField } from "./fields";

// ---------------------------------------------------------------------------------------------
// AST

/** Words or a phrase in a field. `field: null` is lore's default search: Message-ID words,
 * Subject, From, attachment names, quoted and unquoted body text and diffs (DEFAULT_FIELDS). */
export interface TermNode {
  type: "term";
  field: FieldName | null;
  /** the value without query syntax, as typed (`do_wp_page()` gives `do_wp_page`) */
  value: string;
  /** typed in double quotes: match the words in this order, adjacent, unstemmed */
  phrase: boolean;
  /** typed with a trailing `*`: the last word is a prefix (`vm_write*`) */
  wildcard: boolean;
}

/** `a NEAR b` / `a ADJ/3 b` (Xapian): all the words within `distance` words of each other
 * (Xapian's window is distance + terms - 1 positions); `ordered` (ADJ) keeps their order. */
export interface NearNode {
  type: "near";
  field: TextField | null;
  terms: string[];
  distance: number;
  ordered: boolean;
}

/** A date range on the Date header (`d`) or the received time (`rt`): [from, to), UTC. */
export interface RangeNode {
  type: "range";
  field: RangeField;
  from: string | null;
  to: string | null;
}

export type FacetNode =
  | { type: "facet"; name: "is"; value: IsValue }
  | { type: "facet"; name: "has"; value: HasValue };

/** `v:N`: version N of a patch series */
export interface VersionNode {
  type: "version";
  value: number;
}

export interface AndNode {
  type: "and";
  children: QueryNode[];
}
export interface OrNode {
  type: "or";
  children: QueryNode[];
}
/** Xapian's XOR: matches what an odd number of the children match */
export interface XorNode {
  type: "xor";
  children: QueryNode[];
}
export interface NotNode {
  type: "not";
  children: [QueryNode];
}

export type LeafNode = TermNode | NearNode | RangeNode | FacetNode | VersionNode;
export type QueryNode = AndNode | OrNode | XorNode | NotNode | LeafNode;

export interface QueryWarning {
  message: string;
  position: number;
  length: number;
}

export interface ParsedQuery {
  ok: true;
  /** the query as given */
  query: string;
  ast: QueryNode;
  /** leaves counted against MAX_TERMS */
  termCount: number;
  /** things that parsed but may not mean what was meant (lower-case `or`, ignored symbols) */
  warnings: QueryWarning[];
  /** the `now` relative dates were resolved against, ISO 8601 */
  now: string;
  /** where a node of `ast` was typed in the query (for errors the compile step reports, such
   * as a facet that is not available yet); null for a node not from this parse */
  spanOf(node: QueryNode): { position: number; length: number } | null;
}

export interface QueryError {
  ok: false;
  message: string;
  /** 0-based offset in the query (UTF-16 code units, as JavaScript strings index) */
  position: number;
  /** how many characters the problem spans (0 = a point, e.g. the end of the query) */
  length: number;
}

export interface ParseOptions {
  now?: Date;
}

export const MAX_QUERY_LENGTH = 1000;
export const MAX_TERMS = 64;
/** characters required before a trailing `*` (lore caps a wildcard at 100 expansions instead,
 * and fails the query past that; a short prefix would fail there too) */
export const MIN_WILDCARD_PREFIX = 2;
/** Xapian's default NEAR/ADJ distance */
export const NEAR_DEFAULT_DISTANCE = 10;
export const NEAR_MAX_DISTANCE = 100;

export function isQueryError(x: ParsedQuery | QueryError): x is QueryError {
  return x.ok === false;
}

// ---------------------------------------------------------------------------------------------
// Lexer

type Op = "AND" | "OR" | "XOR" | "NOT" | "NEAR" | "ADJ";

interface Span {
  pos: number;
  len: number;
}

type Tok =
  | ({ k: "lparen" } & Span)
  | ({ k: "rparen" } & Span)
  | ({ k: "op"; op: Op; distance: number | null } & Span)
  | ({ k: "mod"; mod: "+" | "-" } & Span)
  | ({ k: "fieldgroup"; info: PrefixInfo; prefixText: string } & Span)
  | ({
      k: "item";
      /** the prefix as typed (without the colon), null for none */
      prefixText: string | null;
      info: PrefixInfo | null;
      /** the value as typed, quotes removed for a quoted value */
      value: string;
      valuePos: number;
      valueLen: number;
      quoted: boolean;
      /** `name()`: the `()` was dropped */
      call: boolean;
    } & Span);

class ParseFail {
  constructor(
    readonly position: number,
    readonly length: number,
    readonly message: string,
  ) {}
}

const OPEN_QUOTES = new Set(['"', "\u201c", "\u201d"]);
const CLOSE_QUOTES = OPEN_QUOTES; // Xapian pairs any of them, as lore's query_approxidate does

function isSpace(c: string): boolean {
  // control characters count as spaces (lore turns NUL into a space before Xapian sees it)
  return /[\s\u0000-\u001f\u007f]/.test(c);
}

function isDelim(c: string | undefined): boolean {
  return c === undefined || isSpace(c) || c === "(" || c === ")" || OPEN_QUOTES.has(c);
}

const OP_RE = /^(AND|OR|XOR|NOT|NEAR|ADJ)(?:\/(\d+))?$/;

function lex(q: string, warnings: QueryWarning[]): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = q.length;
  let afterMod = false;

  const readQuoted = (start: number): { value: string; end: number } => {
    // q[start] is an opening quote
    let j = start + 1;
    while (j < n && !CLOSE_QUOTES.has(q[j])) j++;
    if (j >= n) throw new ParseFail(start, n - start, "unclosed quote: add the closing \" to end the phrase");
    return { value: q.slice(start + 1, j), end: j + 1 };
  };

  while (i < n) {
    const c = q[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === "(") {
      toks.push({ k: "lparen", pos: i, len: 1 });
      i++;
      afterMod = false;
      continue;
    }
    if (c === ")") {
      toks.push({ k: "rparen", pos: i, len: 1 });
      i++;
      afterMod = false;
      continue;
    }
    if ((c === "+" || c === "-") && !afterMod) {
      const next = q[i + 1];
      if (next === undefined || isSpace(next) || next === ")") {
        // lore: a lone + or - is ignored by Xapian
        i++;
        continue;
      }
      toks.push({ k: "mod", mod: c, pos: i, len: 1 });
      i++;
      afterMod = true;
      continue;
    }
    if (OPEN_QUOTES.has(c)) {
      const { value, end } = readQuoted(i);
      toks.push({ k: "item", prefixText: null, info: null, value, valuePos: i + 1, valueLen: value.length, quoted: true, call: false, pos: i, len: end - i });
      i = swallowPhraseStar(q, end, warnings);
      afterMod = false;
      continue;
    }

    // a word: up to a space, a parenthesis or a quote; `name()` keeps its `()`
    let j = i;
    let call = false;
    while (j < n) {
      const d = q[j];
      if (isSpace(d) || OPEN_QUOTES.has(d) || d === ")") break;
      if (d === "(") {
        if (q[j + 1] === ")" && j > i && isDelim(q[j + 2])) {
          call = true;
        }
        break;
      }
      j++;
    }
    const word = q.slice(i, j);
    const wordEnd = call ? j + 2 : j;

    if (!afterMod && !call) {
      const om = OP_RE.exec(word);
      if (om) {
        toks.push({ k: "op", op: om[1] as Op, distance: om[2] === undefined ? null : Number(om[2]), pos: i, len: word.length });
        i = j;
        continue;
      }
    }
    afterMod = false;

    const pm = /^([A-Za-z][A-Za-z0-9_]*):/.exec(word);
    if (pm) {
      const name = pm[1];
      const rest = word.slice(name.length + 1);
      const isUrlOrScope = rest.startsWith("//") || rest.startsWith(":");
      const info = PREFIX_BY_NAME.get(name.toLowerCase()) ?? null;
      if (!isUrlOrScope) {
        if (!info) {
          if (rest === "" && isDelimNotGroup(q[j])) {
            // "Fixes:", "Re:" followed by a space: a word with a colon, not a prefix
          } else {
            throw unknownPrefix(name, i, rest);
          }
        } else if (info.kind === "range") {
          // a date value may hold quoted parts with spaces: d:"2023-01-01 12:00".. (lore
          // can't: it takes \S+); the quotes become spaces so offsets stay true
          const start = i + name.length + 1;
          let k = start;
          while (k < n && !isSpace(q[k]) && q[k] !== ")" && q[k] !== "(") {
            if (OPEN_QUOTES.has(q[k])) k = readQuoted(k).end;
            else k++;
          }
          const value = [...q.slice(start, k)].map((ch) => (OPEN_QUOTES.has(ch) ? " " : ch)).join("");
          if (value.trim() === "") throw new ParseFail(i, name.length + 1, `${name}: needs a value right after the colon, e.g. ${info.example}`);
          toks.push({ k: "item", prefixText: name, info, value, valuePos: start, valueLen: k - start, quoted: false, call: false, pos: i, len: k - i });
          i = k;
          continue;
        } else {
          if (rest === "") {
            const next = q[j];
            if (next !== undefined && OPEN_QUOTES.has(next)) {
              const { value, end } = readQuoted(j);
              toks.push({ k: "item", prefixText: name, info, value, valuePos: j + 1, valueLen: value.length, quoted: true, call: false, pos: i, len: end - i });
              i = swallowPhraseStar(q, end, warnings);
              continue;
            }
            if (next === "(") {
              if (info.kind !== "text") {
                throw new ParseFail(i, name.length + 1, `${name}: takes one value, not a parenthesised group (only word prefixes like s:(...) do)`);
              }
              toks.push({ k: "fieldgroup", info, prefixText: name, pos: i, len: name.length + 1 });
              i = j;
              continue;
            }
            throw new ParseFail(i, name.length + 1, `${name}: needs a value right after the colon, e.g. ${info.example}`);
          }
          toks.push({ k: "item", prefixText: name, info, value: rest, valuePos: i + name.length + 1, valueLen: rest.length, quoted: false, call, pos: i, len: wordEnd - i });
          i = wordEnd;
          continue;
        }
      }
    }
    toks.push({ k: "item", prefixText: null, info: null, value: word, valuePos: i, valueLen: word.length, quoted: false, call, pos: i, len: wordEnd - i });
    i = wordEnd;
  }
  return toks;

  function isDelimNotGroup(c: string | undefined): boolean {
    return c === undefined || isSpace(c) || c === ")";
  }
}

function swallowPhraseStar(q: string, end: number, warnings: QueryWarning[]): number {
  // lore: Xapian ignores a * after a closing quote (no wildcard inside phrases)
  let k = end;
  while (q[k] === "*") k++;
  if (k > end) warnings.push({ message: "a * after a phrase is ignored: wildcards apply to single words", position: end, length: k - end });
  return k;
}

function unknownPrefix(name: string, pos: number, rest: string): ParseFail {
  const lower = name.toLowerCase();
  const unsupported = UNSUPPORTED_PREFIXES.get(lower);
  if (unsupported) return new ParseFail(pos, name.length + 1, unsupported);
  const candidates = PREFIXES.map((p) => p.prefix);
  let suggestions: string[] = [];
  const syn = PREFIX_SYNONYMS[lower.replace(/[-_]/g, "")];
  if (syn) suggestions = [syn];
  else {
    // the prefixes, and the words people try for them ("fron" is near "from", which is f:)
    const pool = [...candidates, ...Object.keys(PREFIX_SYNONYMS)];
    suggestions = [...new Set(nearest(lower, pool).map((c) => PREFIX_SYNONYMS[c] ?? c))];
  }
  const did = suggestions.length ? ` — did you mean ${suggestions.slice(0, 3).map((s) => `"${s}:"`).join(" or ")}?` : "";
  const literal = `${name}:${rest}`;
  return new ParseFail(pos, name.length + 1, `unknown prefix "${name}:"${did} (to search for the text itself, put it in quotes: "${literal}")`);
}

// ---------------------------------------------------------------------------------------------
// Parser

interface Ctx {
  defaultField: TextField | null;
}

const DATE_PREFIX_EPOCH_DIGITS: Record<string, number> = { d: 9, dt: 9, rt: 5 };

class Parser {
  private i = 0;
  termCount = 0;
  readonly spans = new WeakMap<object, Span>();

  constructor(
    private readonly q: string,
    private readonly toks: Tok[],
    private readonly now: Date,
    readonly warnings: QueryWarning[],
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private prev(): Tok | undefined {
    return this.toks[this.i - 1];
  }
  private next(): Tok {
    return this.toks[this.i++];
  }
  private isOp(t: Tok | undefined, ...ops: Op[]): t is Extract<Tok, { k: "op" }> {
    return t !== undefined && t.k === "op" && (ops.length === 0 || ops.includes(t.op));
  }

  private span(node: object): Span {
    return this.spans.get(node) ?? { pos: 0, len: this.q.length };
  }
  private mark<T extends object>(node: T, pos: number, end: number): T {
    if (!this.spans.has(node)) this.spans.set(node, { pos, len: Math.max(0, end - pos) });
    return node;
  }
  private markFrom<T extends object>(node: T, first: object, last: object): T {
    const a = this.span(first), b = this.span(last);
    return this.mark(node, a.pos, b.pos + b.len);
  }

  parse(): QueryNode {
    const ctx: Ctx = { defaultField: null };
    const node = this.parseOr(ctx);
    const t = this.peek();
    if (t) {
      if (t.k === "rparen") throw new ParseFail(t.pos, 1, "unmatched ')': there is no '(' before it");
      if (t.k === "op") throw this.misplacedOp(t);
      throw new ParseFail(t.pos, t.len, "unexpected text");
    }
    if (isNegative(node)) {
      const sp = this.firstNegationSpan(node);
      throw new ParseFail(sp.pos, sp.len, "a query of only exclusions (NOT or -) would match nearly every message, and lore refuses it: add something to search for, e.g. foo -bar");
    }
    return node;
  }

  private firstNegationSpan(node: QueryNode): Span {
    if (node.type === "and") return this.span(node.children[0]);
    return this.span(node);
  }

  private misplacedOp(t: Extract<Tok, { k: "op" }>): ParseFail {
    if (t.op === "NEAR" || t.op === "ADJ") {
      return new ParseFail(t.pos, t.len, `${t.op} goes between two single words, as in foo ${t.op} bar`);
    }
    return new ParseFail(t.pos, t.len, `${t.op} needs something to search for on both sides`);
  }

  private parseOr(ctx: Ctx): QueryNode {
    const first = this.parseXor(ctx);
    const children = [first];
    while (this.isOp(this.peek(), "OR")) {
      this.next();
      children.push(this.parseXor(ctx));
    }
    if (children.length === 1) return first;
    this.refuseNegativeOperands(children, "OR");
    return this.markFrom(makeOr(children), children[0], children[children.length - 1]);
  }

  private parseXor(ctx: Ctx): QueryNode {
    const first = this.parseAnd(ctx);
    const children = [first];
    while (this.isOp(this.peek(), "XOR")) {
      this.next();
      children.push(this.parseAnd(ctx));
    }
    if (children.length === 1) return first;
    this.refuseNegativeOperands(children, "XOR");
    const node: XorNode = { type: "xor", children: children.flatMap((c) => (c.type === "xor" ? c.children : [c])) };
    return this.markFrom(node, children[0], children[children.length - 1]);
  }

  private refuseNegativeOperands(children: QueryNode[], op: string): void {
    for (const c of children) {
      if (isNegative(c)) {
        const sp = this.firstNegationSpan(c);
        // lore: Xapian fails `a OR NOT b` / `a OR -b` (no FLAG_PURE_NOT)
        throw new ParseFail(sp.pos, sp.len, `an exclusion can't stand alone on one side of ${op}: it would match nearly every message; put it next to what it excludes from, e.g. (a -b) ${op} c`);
      }
    }
  }

  private parseAnd(ctx: Ctx): QueryNode {
    const first = this.parseUnary(ctx);
    const children = [first];
    for (;;) {
      const t = this.peek();
      if (this.isOp(t, "AND")) {
        this.next();
        const nt = this.peek();
        if (this.isOp(nt, "NOT")) {
          const notTok = this.next();
          children.push(this.negate(this.parseUnary(ctx), notTok.pos));
        } else if (nt && nt.k === "mod" && nt.mod === "-") {
          // lore: Xapian's HATE_AFTER_AND: "a AND -b c" is "a AND NOT (b c)", the minus
          // negating the whole group that follows, not just b
          this.next();
          children.push(this.negate(this.parseUnary(ctx), nt.pos));
        } else {
          children.push(this.parseUnary(ctx));
        }
      } else if (this.isOp(this.peek(), "NOT")) {
        const notTok = this.next();
        children.push(this.negate(this.parseUnary(ctx), notTok.pos));
      } else break;
    }
    if (children.length === 1) return first;
    return this.markFrom(makeAnd(children), children[0], children[children.length - 1]);
  }

  private negate(node: QueryNode, opPos: number): QueryNode {
    const sp = this.span(node);
    const out = makeNot(node);
    return this.mark(out, opPos, sp.pos + sp.len);
  }

  private parseUnary(ctx: Ctx): QueryNode {
    const t = this.peek();
    if (this.isOp(t, "NOT")) {
      this.next();
      // lore: a leading NOT is a syntax error in Xapian ("Syntax: <expression> NOT
      // <expression>"); here it is accepted where something positive is ANDed with it
      // (`foo (NOT bar)`), and refused where the whole query would be exclusions
      return this.negate(this.parseUnary(ctx), t.pos);
    }
    return this.parseGroup(ctx);
  }

  private startsItem(t: Tok | undefined): boolean {
    return t !== undefined && (t.k === "item" || t.k === "mod" || t.k === "lparen" || t.k === "fieldgroup");
  }

  private parseGroup(ctx: Ctx): QueryNode {
    interface Entry {
      node: QueryNode;
      negated: boolean;
      span: Span;
      filterKey: string | null;
    }
    const entries: Entry[] = [];
    let ignored: Tok | null = null;
    while (this.startsItem(this.peek())) {
      const at = this.peek()!;
      const merged = this.tryMergeTypeKeyword(ctx);
      const e = merged ?? this.parseItem(ctx);
      if (e) entries.push(e);
      else ignored ??= at;
    }
    if (entries.length === 0) {
      if (ignored) throw new ParseFail(ignored.pos, ignored.len, "nothing to search for here: no letters or digits");
      throw this.missingOperand();
    }

    // lore: juxtaposed exact ("boolean") filters of the same prefix are ORed, different
    // prefixes ANDed — Xapian's rule for add_boolean_prefix and for value ranges:
    // `lid:a lid:b` is "in list a or b", `mid:x foo mid:y` = foo AND (mid:x OR mid:y),
    // `d:2020.. d:..2019` = either range. Explicit AND keeps AND: `mid:x AND mid:y`.
    const out: QueryNode[] = [];
    const buckets = new Map<string, { index: number; nodes: QueryNode[] }>();
    for (const e of entries) {
      if (e.negated) {
        out.push(this.mark(makeNot(e.node), e.span.pos, e.span.pos + e.span.len));
        continue;
      }
      if (e.filterKey) {
        const b = buckets.get(e.filterKey);
        if (b) {
          b.nodes.push(e.node);
          const merged = makeOr(b.nodes);
          this.markFrom(merged, b.nodes[0], e.node);
          out[b.index] = merged;
          continue;
        }
        buckets.set(e.filterKey, { index: out.length, nodes: [e.node] });
      }
      out.push(e.node);
    }
    if (out.length === 1) {
      return out[0];
    }
    const first = entries[0].span, last = entries[entries.length - 1].span;
    return this.mark(makeAnd(out), first.pos, last.pos + last.len);
  }

  private missingOperand(): ParseFail {
    const t = this.peek();
    const p = this.prev();
    if (p && p.k === "op") return new ParseFail(p.pos, p.len, `${p.op} needs something to search for after it`);
    if (p && p.k === "mod") return new ParseFail(p.pos, 1, `${p.mod} needs a word right after it`);
    if (t && t.k === "op") return this.misplacedOp(t);
    if (t && t.k === "rparen") {
      if (p && p.k === "lparen") return new ParseFail(p.pos, t.pos + 1 - p.pos, "empty parentheses");
      return new ParseFail(t.pos, 1, "unmatched ')': there is no '(' before it");
    }
    if (p && p.k === "lparen") return new ParseFail(p.pos, 1, "unclosed '(': add a ')'");
    return new ParseFail(this.q.length, 0, "nothing to search for");
  }

  /** `struct page`, `union foo`, `enum bar` (unquoted, no prefix on the name) are searched as
   * the phrase "struct page": what a kernel developer means; lore would AND the two words. */
  private tryMergeTypeKeyword(ctx: Ctx): { node: QueryNode; negated: boolean; span: Span; filterKey: null } | null {
    let k = this.i;
    let negated = false;
    const t0 = this.toks[k];
    if (t0 && t0.k === "mod") {
      negated = t0.mod === "-";
      k++;
    }
    const a = this.toks[k], b = this.toks[k + 1];
    if (!a || a.k !== "item" || a.prefixText !== null || a.quoted || a.call) return null;
    if (!/^(struct|union|enum)$/i.test(a.value)) return null;
    if (!b || b.k !== "item" || b.prefixText !== null || b.quoted) return null;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(b.value)) return null;
    if (this.isOp(this.toks[k + 2], "NEAR", "ADJ")) return null;
    this.i = k + 2;
    const node: TermNode = { type: "term", field: ctx.defaultField, value: `${a.value} ${b.value}`, phrase: true, wildcard: false };
    const start = t0 && t0.k === "mod" ? t0.pos : a.pos;
    this.mark(node, a.pos, b.pos + b.len);
    this.count(node, 1);
    return { node, negated, span: { pos: start, len: b.pos + b.len - start }, filterKey: null };
  }

  private parseItem(ctx: Ctx): { node: QueryNode; negated: boolean; span: Span; filterKey: string | null } | null {
    let negated = false;
    let start = this.peek()!.pos;
    const t = this.peek()!;
    if (t.k === "mod") {
      this.next();
      negated = t.mod === "-";
      start = t.pos;
      if (!this.startsItem(this.peek()) || this.peek()!.k === "mod") throw new ParseFail(t.pos, 1, `${t.mod} needs a word right after it`);
    }
    const atom = this.parseAtom(ctx);
    if (atom === null) return null;
    let node = atom.node;
    if (this.isOp(this.peek(), "NEAR", "ADJ")) node = this.parseNearChain(node, ctx);
    const sp = this.span(node);
    return { node, negated, span: { pos: start, len: sp.pos + sp.len - start }, filterKey: node === atom.node ? atom.filterKey : null };
  }

  private parseNearChain(firstNode: QueryNode, ctx: Ctx): QueryNode {
    const opTok = this.peek() as Extract<Tok, { k: "op" }>;
    const first = this.nearWord(firstNode, opTok);
    const terms = [first.word];
    let field = first.field;
    let ordered: boolean | null = null;
    let distance = 0;
    let last: object = firstNode;
    while (this.isOp(this.peek(), "NEAR", "ADJ")) {
      const op = this.next() as Extract<Tok, { k: "op" }>;
      const isAdj = op.op === "ADJ";
      if (ordered !== null && ordered !== isAdj) throw new ParseFail(op.pos, op.len, "NEAR and ADJ can't be mixed in one chain");
      ordered = isAdj;
      const d = op.distance ?? NEAR_DEFAULT_DISTANCE;
      if (d < 1 || d > NEAR_MAX_DISTANCE) throw new ParseFail(op.pos, op.len, `${op.op}/N needs N from 1 to ${NEAR_MAX_DISTANCE}`);
      distance = Math.max(distance, d);
      const nt = this.peek();
      if (!nt || nt.k !== "item") throw new ParseFail(op.pos, op.len, `${op.op} goes between two single words, as in foo ${op.op} bar`);
      const atom = this.parseAtom(ctx);
      if (!atom) throw new ParseFail(op.pos, op.len, `${op.op} goes between two single words, as in foo ${op.op} bar`);
      const w = this.nearWord(atom.node, op);
      if (w.field !== field) {
        const sp = this.span(atom.node);
        throw new ParseFail(sp.pos, sp.len, `the words around ${op.op} must be in the same field`);
      }
      terms.push(w.word);
      last = atom.node;
      field = w.field;
    }
    // the leaves were counted one by one; a near node is one node of terms.length leaves
    const node: NearNode = { type: "near", field, terms, distance, ordered: ordered ?? false };
    return this.markFrom(node, firstNode, last);
  }

  private nearWord(node: QueryNode, op: Extract<Tok, { k: "op" }>): { word: string; field: TextField | null } {
    if (node.type === "term" && !node.phrase && !node.wildcard && (node.field === null || isTextField(node.field)) && queryWords(node.value).length === 1) {
      return { word: node.value, field: node.field as TextField | null };
    }
    const sp = this.span(node);
    throw new ParseFail(sp.pos, sp.len, `${op.op} goes between two single words (no phrase, wildcard or exact prefix), as in foo ${op.op} bar`);
  }

  private parseAtom(ctx: Ctx): { node: QueryNode; filterKey: string | null } | null {
    const t = this.next();
    if (t.k === "lparen") {
      if (this.peek()?.k === "rparen") throw new ParseFail(t.pos, this.peek()!.pos + 1 - t.pos, "empty parentheses");
      const inner = this.parseOr(ctx);
      const close = this.peek();
      if (!close || close.k !== "rparen") {
        if (close && close.k === "op") throw this.misplacedOp(close);
        throw new ParseFail(t.pos, 1, "unclosed '(': add a ')'");
      }
      const closeTok = this.next();
      this.spans.set(inner, { pos: t.pos, len: closeTok.pos + 1 - t.pos });
      return { node: inner, filterKey: null };
    }
    if (t.k === "fieldgroup") {
      const open = this.next();
      if (!open || open.k !== "lparen") throw new ParseFail(t.pos, t.len, "internal: expected '('");
      if (this.peek()?.k === "rparen") throw new ParseFail(open.pos, this.peek()!.pos + 1 - open.pos, "empty parentheses");
      const inner = this.parseOr({ defaultField: t.info.field as TextField });
      const close = this.peek();
      if (!close || close.k !== "rparen") {
        if (close && close.k === "op") throw this.misplacedOp(close);
        throw new ParseFail(open.pos, 1, "unclosed '(': add a ')'");
      }
      const closeTok = this.next();
      this.spans.set(inner, { pos: t.pos, len: closeTok.pos + 1 - t.pos });
      return { node: inner, filterKey: null };
    }
    if (t.k !== "item") throw new ParseFail(t.pos, t.len, "unexpected");
    return this.leaf(t, ctx);
  }

  private count(node: object, n: number): void {
    this.termCount += n;
    if (this.termCount > MAX_TERMS) {
      const sp = this.span(node);
      throw new ParseFail(sp.pos, sp.len, `too many terms: a query may have at most ${MAX_TERMS}`);
    }
  }

  private leaf(t: Extract<Tok, { k: "item" }>, ctx: Ctx): { node: QueryNode; filterKey: string | null } | null {
    const info = t.info;
    const end = t.pos + t.len;
    const done = <T extends QueryNode>(node: T, filterKey: string | null = null) => {
      this.mark(node, t.pos, end);
      this.count(node, 1);
      return { node, filterKey };
    };
    if (!info) {
      const node = this.textTerm(t, ctx.defaultField, null);
      if (!node) return null;
      return done(node);
    }
    switch (info.kind) {
      case "text": {
        const node = this.textTerm(t, info.field as TextField, info);
        if (!node) throw new ParseFail(t.valuePos, t.valueLen, `${t.prefixText}: needs letters or digits to search for`);
        return done(node);
      }
      case "exact":
        return done(this.exactTerm(t, info), `${info.field}`);
      case "range":
        return done(this.range(t, info), `range:${info.prefix}`);
      case "facet":
        return done(this.facet(t, info));
      case "version":
        return done(this.version(t));
    }
  }

  private textTerm(t: Extract<Tok, { k: "item" }>, field: TextField | null, info: PrefixInfo | null): TermNode | null {
    let value = t.value;
    let wildcard = false;
    if (!t.quoted) {
      // trailing punctuation is not part of a word ("regression," "done.")
      const star = /\*+$/.exec(value);
      if (star) {
        wildcard = true;
        value = value.slice(0, star.index);
      }
      value = value.replace(/[,;:!?]+$/, "").replace(/(?<![.])\.$/, "");
    } else {
      value = value.trim().replace(/\s+/g, " ");
    }
    const words = queryWords(value);
    if (words.length === 0) {
      if (t.quoted) throw new ParseFail(t.pos, t.len, "empty phrase: put words between the quotes");
      if (wildcard) throw new ParseFail(t.valuePos, t.valueLen, `a wildcard needs at least ${MIN_WILDCARD_PREFIX} letters or digits before the *`);
      if (info) return null;
      // lore: Xapian skips a "word" with no letters or digits (`&&`, `->`, `...`)
      this.warnings.push({ message: `ignored "${t.value}": it has no letters or digits to search for`, position: t.pos, length: t.len });
      return null;
    }
    if (wildcard) {
      const lastWord = words[words.length - 1];
      if (lastWord.length < MIN_WILDCARD_PREFIX) {
        throw new ParseFail(t.valuePos, t.valueLen, `a wildcard needs at least ${MIN_WILDCARD_PREFIX} letters or digits before the *`);
      }
      // keep the value readable: "vm_write*" stays "vm_write"; "mm/mem*" is the phrase
      // "mm mem*", the last word a prefix
    }
    if (!t.quoted && !info && /^(and|or|not|xor|near|adj)$/i.test(value) && !/^[A-Z]+$/.test(value)) {
      this.warnings.push({
        message: `"${value}" is searched as a word: write ${value.toUpperCase()} in capitals for the operator, as in lore`,
        position: t.pos,
        length: t.len,
      });
    }
    return { type: "term", field, value, phrase: t.quoted, wildcard };
  }

  private exactTerm(t: Extract<Tok, { k: "item" }>, info: PrefixInfo): TermNode {
    const field = info.field as ExactField;
    let value = t.value.trim();
    const bad = (msg: string) => new ParseFail(t.valuePos, t.valueLen, msg);
    switch (field) {
      case "mid":
      case "references":
      case "thread":
      case "lid": {
        // lore stores Message-IDs and List-Ids without the <>: people paste them with
        value = value.replace(/^<(.*)>$/s, "$1").trim();
        if (value === "") throw bad(`${t.prefixText}: needs a ${field === "lid" ? "List-Id" : "Message-ID"}`);
        if (/\s/.test(value)) throw bad(`${t.prefixText}: a ${field === "lid" ? "List-Id" : "Message-ID"} has no spaces`);
        // lore indexes List-Ids lower-cased (SearchIdx.pm: 'G' . lc $1), so match them so
        if (field === "lid") value = value.toLowerCase();
        break;
      }
      case "dfpre":
      case "dfpost":
      case "dfblob": {
        // lore indexes every abbreviation of at least 7 digits of the blob ids on the
        // `index abc..def` line, so any such abbreviation matches (a trailing * is redundant)
        value = value.replace(/\*+$/, "");
        if (!/^[0-9a-fA-F]{7,64}$/.test(value)) throw bad(`${t.prefixText}: expects a git blob id: 7 to 64 hex digits`);
        value = value.toLowerCase();
        break;
      }
      case "patchid": {
        if (!/^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(value)) throw bad(`${t.prefixText}: expects the full output of git patch-id --stable (40 hex digits)`);
        value = value.toLowerCase();
        break;
      }
    }
    return { type: "term", field, value, phrase: false, wildcard: false };
  }

  private range(t: Extract<Tok, { k: "item" }>, info: PrefixInfo): RangeNode {
    const prefix = info.prefix; // d, dt or rt
    const field = info.field as RangeField;
    // d: is day-granular in lore 2.x (relative forms are widened to their UTC day), but an
    // explicit time (YYYYMMDDHHMMSS, 2023-01-01T12:00) keeps its seconds, as public-inbox 1.x
    // did by turning such a d: into dt:. dt: and rt: are to the second.
    const dayGranular = prefix === "d";
    const v = t.value;
    const sep = v.indexOf("..");
    const parseSide = (text: string, offset: number): DatePeriod => {
      const r = parseApproxidate(text, this.now, { epochDigits: DATE_PREFIX_EPOCH_DIGITS[prefix] });
      if (isDateParseError(r)) {
        const pos = t.valuePos + offset + r.offset;
        const len = r.length || text.length;
        throw new ParseFail(pos, len, `${t.prefixText}: ${r.error}`);
      }
      return r;
    };
    const widen = (p: DatePeriod): { start: number; end: number; point: boolean } => {
      if (p.unit === "instant") {
        if (dayGranular && p.relative) {
          const d = dayOf(p.start);
          return { start: d.start, end: d.end, point: false };
        }
        return { start: p.start, end: p.end, point: true };
      }
      return { start: p.start, end: p.end, point: false };
    };
    let from: number | null;
    let to: number | null;
    if (sep < 0) {
      if (v.trim() === "") throw new ParseFail(t.valuePos, t.valueLen, `${t.prefixText}: needs a date`);
      const p = widen(parseSide(v, 0));
      from = p.start;
      // lore: a single date-time X means X .. X + 1 day (Search.pm: "$r[1] //= ... add 1
      // day"); a calendar day, month or year means that whole period (lore's single d: is
      // off by one day: it matches two days, both ends being inclusive)
      to = p.point ? p.start + DAY_MS : p.end;
    } else {
      const a = v.slice(0, sep), b = v.slice(sep + 2);
      if (a.trim() === "" && b.trim() === "") throw new ParseFail(t.valuePos, t.valueLen, `${t.prefixText}: an empty range; write A..B, A.. or ..B`);
      if (b.includes("..")) throw new ParseFail(t.valuePos + sep + 2 + b.indexOf(".."), 2, `${t.prefixText}: a range has one ".."`);
      // lore: both ends are inclusive (Xapian value ranges): ..2023-02-01 includes that day
      from = a.trim() === "" ? null : widen(parseSide(a, 0)).start;
      to = b.trim() === "" ? null : widen(parseSide(b, sep + 2)).end;
      if (from !== null && to !== null && to <= from) {
        throw new ParseFail(t.valuePos, t.valueLen, `${t.prefixText}: the range ends before it starts`);
      }
    }
    return { type: "range", field, from: from === null ? null : isoUTC(from), to: to === null ? null : isoUTC(to) };
  }

  private facet(t: Extract<Tok, { k: "item" }>, info: PrefixInfo): FacetNode {
    const name = info.prefix as "is" | "has";
    const v = t.value.trim().toLowerCase();
    const allowed: readonly string[] = name === "is" ? IS_VALUES : HAS_VALUES;
    if (!allowed.includes(v)) {
      const near = nearest(v, allowed);
      const did = near.length ? ` — did you mean ${near.map((x) => `${name}:${x}`).join(" or ")}?` : "";
      throw new ParseFail(t.valuePos, t.valueLen, `${name}: "${t.value}" is not known${did} (${name}: takes ${allowed.join(", ")})`);
    }
    return name === "is" ? { type: "facet", name, value: v as IsValue } : { type: "facet", name, value: v as HasValue };
  }

  private version(t: Extract<Tok, { k: "item" }>): VersionNode {
    const m = /^[vV]?(\d{1,4})$/.exec(t.value.trim());
    const n = m ? Number(m[1]) : NaN;
    if (!m || n < 1 || n > MAX_VERSION) {
      throw new ParseFail(t.valuePos, t.valueLen, `${t.prefixText}: expects a series version from 1 to ${MAX_VERSION}, e.g. v:2`);
    }
    return { type: "version", value: n };
  }
}

function isTextField(f: string): f is TextField {
  const p = PREFIX_BY_NAME.get(f);
  return p !== undefined && p.kind === "text" && p.field === f;
}

function makeAnd(children: QueryNode[]): QueryNode {
  const flat = children.flatMap((c) => (c.type === "and" ? c.children : [c]));
  return flat.length === 1 ? flat[0] : { type: "and", children: flat };
}

function makeOr(children: QueryNode[]): QueryNode {
  const flat = children.flatMap((c) => (c.type === "or" ? c.children : [c]));
  return flat.length === 1 ? flat[0] : { type: "or", children: flat };
}

function makeNot(child: QueryNode): QueryNode {
  // NOT NOT x = x
  if (child.type === "not") return child.children[0];
  // NOT (NOT a AND NOT b) = a OR b: keeps every "not" under an "and" with a positive child
  if (child.type === "and" && child.children.every((c) => c.type === "not")) {
    return makeOr(child.children.map((c) => (c as NotNode).children[0]));
  }
  return { type: "not", children: [child] };
}

/** true when the node matches "everything except ...": a not, or an and of nots only */
export function isNegative(node: QueryNode): boolean {
  if (node.type === "not") return true;
  if (node.type === "and") return node.children.every(isNegative);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Entry point

export function parseQuery(q: string, opts: ParseOptions = {}): ParsedQuery | QueryError {
  const now = opts.now ?? new Date();
  if (typeof q !== "string") return { ok: false, message: "the query must be text", position: 0, length: 0 };
  if (q.length > MAX_QUERY_LENGTH) {
    return { ok: false, message: `the query is too long: ${q.length} characters, at most ${MAX_QUERY_LENGTH}`, position: MAX_QUERY_LENGTH, length: q.length - MAX_QUERY_LENGTH };
  }
  if (q.trim() === "") return { ok: false, message: "empty query: type something to search for", position: 0, length: q.length };
  const warnings: QueryWarning[] = [];
  try {
    const toks = lex(q, warnings);
    const p = new Parser(q, toks, now, warnings);
    const ast = p.parse();
    const spanOf = (node: QueryNode) => {
      const sp = p.spans.get(node);
      return sp ? { position: sp.pos, length: sp.len } : null;
    };
    return { ok: true, query: q, ast, termCount: p.termCount, warnings, now: isoUTC(now.getTime()), spanOf };
  } catch (e) {
    if (e instanceof ParseFail) {
      const position = Math.max(0, Math.min(e.position, q.length));
      const length = Math.max(0, Math.min(e.length, q.length - position));
      return { ok: false, message: e.message, position, length };
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Describing and printing

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

/** The fields a term searches: its own, or lore's default set for `field: null`. */
export function searchedFields(field: FieldName | null): readonly FieldName[] {
  return field === null ? DEFAULT_FIELDS : [field];
}

export interface MatchTerm {
  field: FieldName | null;
  /** lower-cased words (tokenize.ts); several words make a phrase */
  words: string[];
  /** the last word is a prefix */
  wildcard: boolean;
}

/** The text terms a result is expected to contain (not those under a NOT): for marking
 * matches in snippets. Exact fields (mid:, dfpre: ...) and ranges are left out. */
export function positiveTerms(ast: QueryNode): MatchTerm[] {
  const out: MatchTerm[] = [];
  const walk = (n: QueryNode): void => {
    switch (n.type) {
      case "and":
      case "or":
      case "xor":
        n.children.forEach(walk);
        return;
      case "not":
        return;
      case "term":
        if (n.field === null || isTextField(n.field)) out.push({ field: n.field, words: queryWords(n.value), wildcard: n.wildcard });
        return;
      case "near":
        for (const t of n.terms) out.push({ field: n.field, words: queryWords(t), wildcard: false });
        return;
      default:
        return;
    }
  };
  walk(ast);
  return out;
}
