// Functions and identifiers in diffs: which function a hunk heading names, which functions a
// hunk's changed lines sit in or define, which identifiers they call. Heuristics for C-like
// code (the kernel's), that also do the right thing for most other languages git diffs
// (Python `def`, Go `func`, Rust `fn`, shell functions). Pure.

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

/**
 * The function (or type) a hunk heading names: "static unsigned int shrink_folio_list(struct
 * list_head *l," -> "shrink_folio_list", "typedef struct pglist_data {" -> "struct pglist_data",
 * "func (r *T) Serve(w io.Writer) {" -> "Serve"; null when the heading names none (prose,
 * an empty heading).
 */
export function functionOfHeading(heading: string): string | null {
  const h = heading.trim();
  if (!h) return null;
  for (const m of h.matchAll(IDENT_CALL)) {
    const name = m[1];
    if (!NOT_FUNCTIONS.has(name)) return name;
  }
  const py = /^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/.exec(h);
  if (py) return py[1];
  const agg = /\b(struct|union|enum|class)\s+([A-Za-z_]\w*)/.exec(h);
  if (agg) return `${agg[1]} ${agg[2]}`;
  // "foo() {" of a shell function is caught above; "SYM:" labels and prose are not functions
  return null;
}

/**
 * A line that starts a function definition: at column 0 (C, Go, Rust), or `def`/`fn`/`func`
 * anywhere, with a name followed by "(", and not a declaration or a call statement (no ";" at
 * its end, not inside an expression). Returns the name.
 */
export function definedFunction(line: string): string | null {
  const py = /^\s*(?:async\s+)?(?:def|fn|func|function)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*[(<]/.exec(line);
  if (py) return py[1];
  if (!/^[A-Za-z_]/.test(line)) return null;
  if (/;\s*(?:\/\/.*|\/\*.*\*\/\s*)?$/.test(line)) return null;
  if (/^(?:if|for|while|switch|return|else|do|case|goto|default)\b/.test(line)) return null;
  if (/^#/.test(line)) return null;
  // "name(" must come before any "=" (an initializer is no definition)
  const eq = line.indexOf("=");
  for (const m of line.matchAll(IDENT_CALL)) {
    if (eq >= 0 && (m.index ?? 0) > eq) return null;
    if (!NOT_FUNCTIONS.has(m[1])) return m[1];
  }
  return null;
}

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
 * What a hunk changes, by function: the heading's function holds the lines up to the first
 * definition line inside the hunk (context, added or removed), then that one, and so on; every
 * changed line adds the function it sits in, and a changed definition line adds its own name.
 */
export function hunkFunctions(h: Pick<Hunk, "heading" | "lines">): HunkFunctions {
  const touched = new Set<string>();
  const called = new Set<string>();
  let current = functionOfHeading(h.heading);
  for (const l of h.lines) {
    if (l.kind === "\\") continue;
    const def = definedFunction(l.text);
    if (def) current = def;
    if (l.kind === " ") continue;
    if (current) touched.add(current);
    for (const c of calledIdentifiers(l.text)) called.add(c);
  }
  for (const t of touched) called.delete(t);
  return { touched: [...touched], called: [...called] };
}
