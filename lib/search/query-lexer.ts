// The lexer of lore's search language: the query text cut into tokens (parentheses, operators,
// +/- modifiers, prefixed or bare items), each with its span in the text for error messages.
// query-parser.ts builds the AST from them.

import { PREFIXES, PREFIX_BY_NAME, PREFIX_SYNONYMS, UNSUPPORTED_PREFIXES, nearest, type PrefixInfo } from "./fields";
import type { QueryWarning } from "./query-ast";

export type Op = "AND" | "OR" | "XOR" | "NOT" | "NEAR" | "ADJ";

export interface Span {
  pos: number;
  len: number;
}

export type Tok =
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

export class ParseFail {
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

export const OP_RE = /^(AND|OR|XOR|NOT|NEAR|ADJ)(?:\/(\d+))?$/;

export function lex(q: string, warnings: QueryWarning[]): Tok[] {
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
