// The parser of lore's search language: tokens (query-lexer.ts) to the AST (query-ast.ts).
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

import { DAY_MS, dayOf, isDateParseError, isoUTC, parseApproxidate, type DatePeriod } from "./approxidate";
import { HAS_VALUES, IS_VALUES, MAX_VERSION, isTextField, nearest, type ExactField, type HasValue, type IsValue, type PrefixInfo, type RangeField, type TextField } from "./fields";
import {
  MAX_TERMS,
  MIN_WILDCARD_PREFIX,
  NEAR_DEFAULT_DISTANCE,
  NEAR_MAX_DISTANCE,
  isNegative,
  makeAnd,
  makeNot,
  makeOr,
  type FacetNode,
  type NearNode,
  type QueryNode,
  type QueryWarning,
  type RangeNode,
  type TermNode,
  type VersionNode,
  type XorNode,
} from "./query-ast";
import { ParseFail, type Op, type Span, type Tok } from "./query-lexer";
import { queryWords } from "./tokenize";

interface Ctx {
  defaultField: TextField | null;
}

const DATE_PREFIX_EPOCH_DIGITS: Record<string, number> = { d: 9, dt: 9, rt: 5 };

export class Parser {
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
