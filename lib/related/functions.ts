// Functions and identifiers in diffs, for `related`: which functions a hunk changes (lib/code's
// rule) and which identifiers its changed lines call. Pure.

import { hunkFunctions as codeHunkFunctions } from "../code/functions";
import type { Hunk } from "../patch/diff";

/** Words followed by "(" that are no function names. */
const NOT_FUNCTIONS = new Set([
  "if", "for", "while", "switch", "return", "sizeof", "typeof", "__typeof__", "alignof", "_Alignof", "offsetof",
  "do", "else", "case", "goto", "defined", "func", "fn", "def", "function", "static", "inline", "const", "volatile",
  "unsigned", "signed", "int", "long", "short", "char", "void", "bool", "struct", "union", "enum", "asm", "__asm__",
  "catch", "new", "delete", "and", "or", "not", "in", "is", "lambda", "print", "assert", "elif", "with",
  "likely", "unlikely", "READ_ONCE", "WRITE_ONCE", "BUG_ON", "WARN_ON", "WARN_ON_ONCE", "VM_BUG_ON", "__attribute__",
]);

const IDENT_CALL = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;

/** Identifiers called in a line ("foo(" and "bar (" give foo, bar), keywords left out. */
export function calledIdentifiers(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(IDENT_CALL)) if (!NOT_FUNCTIONS.has(m[1])) out.push(m[1]);
  return out;
}

export interface HunkFunctions {
  /** the functions the hunk's changed lines are in, or that they define or remove */
  touched: string[];
  /** identifiers called in the changed lines (without the touched functions) */
  called: string[];
}

/**
 * What a hunk changes, by function (lib/code hunkFunctions: the one rule, which the code history
 * pages use too), and the identifiers its changed lines call.
 */
export function hunkFunctions(h: Pick<Hunk, "heading" | "lines">, path: string): HunkFunctions {
  const touched = codeHunkFunctions(h.heading, h.lines, path).changed;
  const called = new Set<string>();
  for (const l of h.lines) if (l.kind === "+" || l.kind === "-") for (const c of calledIdentifiers(l.text)) called.add(c);
  for (const t of touched) called.delete(t);
  return { touched, called: [...called] };
}
