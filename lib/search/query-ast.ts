// The AST that parseQuery (query.ts) builds and the SQL compile step (compile.ts) reads, with
// the builders that keep its invariants and the walks over it that other modules need.
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
//     a term; several: a phrase), exact fields byte for byte (validated and normalised by
//     query-parser.ts).

import { DEFAULT_FIELDS, isTextField, type FieldName, type HasValue, type IsValue, type RangeField, type TextField } from "./fields";
import { queryWords } from "./tokenize";

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

// The builders query-parser.ts makes and/or/not nodes with: they flatten nested and/or nodes
// and fold double negations, so the invariants above hold by construction.
export function makeAnd(children: QueryNode[]): QueryNode {
  const flat = children.flatMap((c) => (c.type === "and" ? c.children : [c]));
  return flat.length === 1 ? flat[0] : { type: "and", children: flat };
}

export function makeOr(children: QueryNode[]): QueryNode {
  const flat = children.flatMap((c) => (c.type === "or" ? c.children : [c]));
  return flat.length === 1 ? flat[0] : { type: "or", children: flat };
}

export function makeNot(child: QueryNode): QueryNode {
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
