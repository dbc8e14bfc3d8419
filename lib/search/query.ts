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
// The language is split by stage: query-lexer.ts (text to tokens), query-parser.ts (tokens to
// the AST, with the grammar), query-ast.ts (the AST, its invariants and walks over it) and
// query-describe.ts (the AST back to words). This module is the entry point and re-exports
// what the rest of patchlore uses, so callers need not know the split.

import { isoUTC } from "./approxidate";
import { MAX_QUERY_LENGTH, type ParseOptions, type ParsedQuery, type QueryError, type QueryNode, type QueryWarning } from "./query-ast";
import { lex, ParseFail } from "./query-lexer";
import { Parser } from "./query-parser";

export type { ExactField, FieldName, HasValue, IsValue, RangeField, TextField } from "./fields";
export {
  isNegative,
  isQueryError,
  MAX_QUERY_LENGTH,
  MAX_TERMS,
  MIN_WILDCARD_PREFIX,
  NEAR_DEFAULT_DISTANCE,
  NEAR_MAX_DISTANCE,
  positiveTerms,
  searchedFields,
  type AndNode,
  type FacetNode,
  type LeafNode,
  type MatchTerm,
  type NearNode,
  type NotNode,
  type OrNode,
  type ParsedQuery,
  type ParseOptions,
  type QueryError,
  type QueryNode,
  type QueryWarning,
  type RangeNode,
  type TermNode,
  type VersionNode,
  type XorNode,
} from "./query-ast";
export { describeQuery, formatQuery } from "./query-describe";

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
