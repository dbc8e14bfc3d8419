// Which function (or type) a piece of a diff is about. Pure, line-based heuristics, no parser.
//
//  * functionFromHeading: the text git prints after the second "@@" (its funcname: the nearest
//    line above the hunk that starts a definition) -> the name defined there.
//    "static int foo(struct x *y)" -> "foo"; "typedef struct pglist_data {" -> "pglist_data";
//    "SYSCALL_DEFINE3(mprotect, unsigned long, start," -> "mprotect"; "def foo(self):" -> "foo";
//    "func (r *T) Foo(x int) {" -> "Foo"; "#define FOO(x)" -> "FOO". Prose headings (the section
//    of an .rst file) and labels give null.
//  * definitionInLine: does this line of code (added, removed or context) start a definition?
//    C-like files: only at column 0 (kernel style: a definition starts at the left margin and does
//    not end with ";"), so calls and statements inside bodies are never taken.
//  * hunkFunctions: the functions whose code a hunk changes, walking its lines in order: a changed
//    line belongs to the heading's function until a definition line starts another one (new
//    functions in added text count, so do removed ones), and a "}" at column 0 ends it.
//
// The language comes from the file name (languageOf); unknown files try every rule.

export type CodeLanguage = "c" | "python" | "go" | "rust" | "js" | "shell" | "perl" | "text" | "other";

const EXT: Record<string, CodeLanguage> = {
  c: "c", h: "c", cc: "c", cpp: "c", cxx: "c", hpp: "c", hh: "c", m: "c", cu: "c", S: "c", s: "c", y: "c", l: "c", lds: "c", bpf: "c",
  java: "c", cs: "c", kt: "c", swift: "c", scala: "c",
  py: "python", pyi: "python",
  go: "go",
  rs: "rust",
  js: "js", mjs: "js", cjs: "js", ts: "js", tsx: "js", jsx: "js",
  sh: "shell", bash: "shell", ksh: "shell", zsh: "shell",
  pl: "perl", pm: "perl",
  rst: "text", txt: "text", md: "text", adoc: "text", tex: "text", html: "text", yaml: "text", yml: "text", json: "text", svg: "text",
};

/** The language of a file by its name (extension; Kconfig/Makefile/Documentation are "text" or "other"). */
export function languageOf(path: string | null | undefined): CodeLanguage {
  if (!path) return "other";
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot > 0) {
    const ext = base.slice(dot + 1);
    return EXT[ext] ?? EXT[ext.toLowerCase()] ?? "other";
  }
  if (/^(Kconfig|Makefile|Kbuild|MAINTAINERS|CREDITS|README|COPYING)/.test(base)) return "text";
  return "other";
}

/** Words that are followed by "(" in C without naming a function. */
const C_KEYWORDS = new Set([
  "if", "for", "while", "switch", "return", "sizeof", "typeof", "__typeof__", "alignof", "_Alignof", "__alignof__",
  "defined", "__attribute__", "__attribute", "__declspec", "asm", "__asm__", "__asm", "case", "do", "else", "goto",
  "void", "int", "char", "long", "short", "unsigned", "signed", "float", "double", "bool", "_Bool", "const", "volatile",
  "static", "inline", "extern", "struct", "union", "enum", "typedef", "register", "auto", "__aligned", "__section",
  "__printf", "__scanf", "__must_hold", "__acquires", "__releases", "__cond_acquires", "__diag_ignore", "catch", "new",
  "delete", "throw", "using", "namespace", "template", "operator",
]);

/** Macros whose first argument is the name of the function they define. */
const DEFINER_MACROS = /^(?:COMPAT_)?SYSCALL_DEFINE\d*|^SYSCALL32_DEFINE\d*|^BPF_CALL_\d|^__BPF_CALL|^DEFINE_\w*_FUNC|^TRACE_EVENT\w*|^DEFINE_EVENT\w*|^KUNIT_CASE\w*|^TEST\w*$/;

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const PY_DEF = new RegExp(`^\\s*(?:async\\s+)?def\\s+(${IDENT})`);
const PY_CLASS = new RegExp(`^\\s*class\\s+(${IDENT})`);
const GO_FUNC = new RegExp(`^func\\s+(?:\\([^)]*\\)\\s*)?(${IDENT})`);
const GO_TYPE = new RegExp(`^type\\s+(${IDENT})\\s+(?:struct|interface)\\b`);
const RUST_FN = new RegExp(`^\\s*(?:pub(?:\\([^)]*\\))?\\s+)?(?:(?:const|async|unsafe|default|extern(?:\\s+"[^"]*")?)\\s+)*fn\\s+(${IDENT})`);
const RUST_TYPE = new RegExp(`^\\s*(?:pub(?:\\([^)]*\\))?\\s+)?(?:struct|enum|trait|union|mod)\\s+(${IDENT})`);
const JS_FUNC = /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/;
const JS_CLASS = /^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
const JS_ARROW = /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]*)?=>|[A-Za-z_$][\w$]*\s*=>)/;
const PERL_SUB = new RegExp(`^\\s*sub\\s+(${IDENT})`);
const SHELL_FUNC = /^\s*(?:function\s+)?([A-Za-z_][\w.:-]*)\s*\(\)\s*(?:\{|\(|$)/;
const SHELL_FUNC_KW = /^\s*function\s+([A-Za-z_][\w.:-]*)/;
const C_DEFINE = new RegExp(`^#\\s*define\\s+(${IDENT})`);
const C_TYPE = new RegExp(`^(?:typedef\\s+)?(?:struct|union|enum|class)\\s+(?:__\\w+\\s+)*(${IDENT})\\s*(?:\\{.*|:[^:].*)?$`);
/** an identifier (C++-qualified too) directly followed by "(" */
const C_CALL = /(~?[A-Za-z_][A-Za-z0-9_]*(?:::~?[A-Za-z_][A-Za-z0-9_]*)*)\s?\(/g;

function isMacroName(s: string): boolean {
  return /^[A-Z_][A-Z0-9_]*$/.test(s) && /[A-Z]/.test(s);
}

/** The function a C-like line declares or defines, or null. */
function cName(line: string): string | null {
  const s = line.replace(/\/\*.*?\*\//g, " ").replace(/\/\/.*$/, "").trim();
  if (!s) return null;
  const def = C_DEFINE.exec(s);
  if (def) return def[1];
  if (s.startsWith("#")) return null;
  if (!s.includes("(")) {
    const t = C_TYPE.exec(s);
    return t ? t[1] : null;
  }
  C_CALL.lastIndex = 0;
  for (let m = C_CALL.exec(s); m; m = C_CALL.exec(s)) {
    const name = m[1];
    if (C_KEYWORDS.has(name)) continue;
    // "(*fn)(" declares a pointer, not a function
    if (DEFINER_MACROS.test(name)) {
      const arg = new RegExp(`^\\s*(${IDENT})`).exec(s.slice(m.index + m[0].length));
      return arg ? arg[1] : name;
    }
    // an upper-case macro call ending the line with ";" (EXPORT_SYMBOL(foo);, DEFINE_MUTEX(x);) is no definition
    if (isMacroName(name) && /\)\s*;\s*$/.test(s)) return null;
    // an attribute-like macro before the real name: "static __always_inline int FOO_BAR(x) foo(" is rare; take
    // the first identifier that is not a keyword
    return name;
  }
  return null;
}

function languageName(line: string, lang: CodeLanguage): string | null {
  const tries: ((s: string) => string | null)[] = [];
  const re = (r: RegExp) => (s: string) => r.exec(s)?.[1] ?? null;
  switch (lang) {
    case "python":
      tries.push(re(PY_DEF), re(PY_CLASS));
      break;
    case "go":
      tries.push(re(GO_FUNC), re(GO_TYPE));
      break;
    case "rust":
      tries.push(re(RUST_FN), re(RUST_TYPE));
      break;
    case "js":
      tries.push(re(JS_FUNC), re(JS_CLASS), re(JS_ARROW));
      break;
    case "perl":
      tries.push(re(PERL_SUB));
      break;
    case "shell":
      tries.push(re(SHELL_FUNC_KW), re(SHELL_FUNC));
      break;
    case "c":
      tries.push(cName);
      break;
    case "text":
      return null;
    default:
      tries.push(re(PY_DEF), re(GO_FUNC), re(RUST_FN), re(JS_FUNC), re(PERL_SUB), re(SHELL_FUNC_KW), re(PY_CLASS), cName);
  }
  for (const t of tries) {
    const n = t(line);
    if (n) return n;
  }
  return null;
}

/**
 * The function (or type) named by a hunk heading (the text after the second "@@"), or null when
 * the heading names none (prose, a label, empty). `path` picks the language rules.
 */
export function functionFromHeading(heading: string, path?: string | null): string | null {
  const h = heading.replace(/\s+$/, "");
  if (!h.trim()) return null;
  const lang = languageOf(path);
  // a label ("out:", "retry:") or a lone brace
  if (/^\s*[A-Za-z_]\w*:\s*$/.test(h) || /^\s*[{}]/.test(h)) return null;
  return languageName(h, lang);
}

/**
 * The definition a name stands for, for reading: "struct pglist_data" when a heading (or line)
 * defines that type, else "name()" for a function. `texts` are headings or lines that may define it.
 */
export function describeDefinition(name: string, texts: Iterable<string> = []): string {
  for (const t of texts) {
    const m = new RegExp(`\\b(struct|union|enum|class)\\s+(?:__\\w+\\s+)*${name}\\b(?!\\s*\\()`).exec(t);
    if (m && !new RegExp(`\\b${name}\\s*\\(`).test(t)) return `${m[1]} ${name}`;
  }
  return `${name}()`;
}

interface LineDefinition {
  name: string;
  /** def: a function or type starts here; decl: a prototype ("int foo(int);"); macro: a #define */
  kind: "def" | "decl" | "macro";
  /** a #define continued on the next line */
  continued?: boolean;
}

function cLineDefinition(line: string): LineDefinition | null {
  if (!line) return null;
  const define = /^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(line);
  if (define) return { name: define[1], kind: "macro", continued: /\\\s*$/.test(line) };
  // a definition starts at the left margin (kernel style): indented lines are statements
  if (/^[\s{}()*/#,.;:&|+\-=!?<>"'\[\]]/.test(line)) return null;
  const s = line.replace(/\/\*.*?\*\//g, " ").replace(/\/\/.*$/, "").trimEnd();
  if (/^(?:return|goto|case|default|else|do|break|continue)\b/.test(s) || /^[A-Za-z_]\w*:$/.test(s)) return null;
  const beforeParen = s.split("(")[0];
  if (beforeParen.includes("=")) return null; // "int x = foo(1);": an initialised global
  const name = cName(s);
  if (!name) return null;
  if (/;\s*$/.test(s)) {
    // "int foo(int);" declares; "struct foo;" and macro calls ("EXPORT_SYMBOL(foo);") do not count
    // a prototype has a return type before the name; "core_initcall(foo);" is a call
    const typed = s.slice(0, s.indexOf(name)).trim() !== "";
    return typed && s.includes("(") && !isMacroName(name) && !/^(?:typedef\s+)?(?:struct|union|enum)\s+\w+\s*;/.test(s) ? { name, kind: "decl" } : null;
  }
  return { name, kind: "def" };
}

function lineDefinition(line: string, lang: CodeLanguage): LineDefinition | null {
  if (lang === "text") return null;
  if (lang === "c") return cLineDefinition(line);
  const other = (l: CodeLanguage) => languageName(line, l);
  const name =
    lang === "other"
      ? // unknown files: the unambiguous keyword patterns (def, func, fn, function, sub), no C guess
        other("python") ?? other("go") ?? other("rust") ?? other("js") ?? other("perl")
      : other(lang);
  return name ? { name, kind: "def" } : null;
}

/**
 * The name a line of code starts a definition of (a function, a type, a #define), or null.
 * C-like files: only lines starting at column 0 that do not end with ";" (a prototype, a global,
 * a macro call), since statements inside bodies are indented.
 */
export function definitionInLine(line: string, path?: string | null): string | null {
  const d = lineDefinition(line, languageOf(path));
  return d && d.kind !== "decl" ? d.name : null;
}

export interface HunkLineInput {
  /** "+", "-", " " or "\\" */
  kind: string;
  text: string;
}

export interface HunkFunctions {
  /** the function the heading names (the code around the hunk's first line) */
  heading: string | null;
  /** every function the hunk's added or removed lines are in (or declare), in order of first change */
  changed: string[];
  /** functions defined (their first line) in added lines: new functions */
  added: string[];
  /** functions whose definition line is removed */
  removed: string[];
}

/** The functions a hunk changes, from its lines in order (see the file comment). */
export function hunkFunctions(heading: string, lines: HunkLineInput[], path?: string | null): HunkFunctions {
  const lang = languageOf(path);
  const braces = lang === "c" || lang === "go" || lang === "rust" || lang === "js";
  const head = functionFromHeading(heading, path);
  const changed: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  const push = (arr: string[], n: string | null) => {
    if (n && !arr.includes(n)) arr.push(n);
  };
  let cur: string | null = head;
  let inMacro: string | null = null;
  for (const l of lines) {
    if (l.kind !== "+" && l.kind !== "-" && l.kind !== " ") continue;
    const isChange = l.kind !== " ";
    if (inMacro) {
      // the continuation lines of a #define belong to the macro
      if (isChange) push(changed, inMacro);
      if (!/\\\s*$/.test(l.text)) inMacro = null;
      continue;
    }
    const d = lineDefinition(l.text, lang);
    if (d?.kind === "decl") {
      if (isChange) push(changed, d.name);
      continue;
    }
    if (d?.kind === "macro") {
      if (isChange) push(changed, d.name);
      if (l.kind === "+") push(added, d.name);
      if (l.kind === "-") push(removed, d.name);
      if (d.continued) inMacro = d.name;
      continue;
    }
    if (d) {
      cur = d.name;
      if (l.kind === "+") push(added, d.name);
      if (l.kind === "-") push(removed, d.name);
    }
    if (isChange) push(changed, cur);
    if (!d && braces && /^}/.test(l.text)) cur = null;
  }
  return { heading: head, changed, added, removed };
}

/**
 * The same without line order, from a hunk's added and removed text (as stored in the hunk
 * table): the heading's function plus the definitions in added and removed lines. A superset
 * guess used where the ordered lines are not at hand.
 */
export function hunkFunctionsFromTexts(heading: string, addedText: string, removedText: string, path?: string | null): string[] {
  const out: string[] = [];
  const push = (n: string | null) => {
    if (n && !out.includes(n)) out.push(n);
  };
  const head = functionFromHeading(heading, path);
  const defsOf = (t: string) => (t ? t.split("\n").map((l) => definitionInLine(l, path)) : []);
  const defs = [...defsOf(addedText), ...defsOf(removedText)].filter(Boolean) as string[];
  // a hunk that only adds new definitions after the heading's function does not change that one;
  // without the order we cannot tell, so the heading counts when there is text that is no definition
  const nonDef = [addedText, removedText].some((t) => t && t.split("\n").some((l) => l.trim() && !definitionInLine(l, path)));
  if (head && (nonDef || !defs.length)) push(head);
  for (const d of defs) push(d);
  return out;
}

/**
 * The function line `index` of a hunk is in (a review comment's anchor): the heading's function
 * until a definition line starts another one; null outside any (between functions, prose).
 */
export function functionAtLine(heading: string, lines: HunkLineInput[], index: number, path?: string | null): string | null {
  const lang = languageOf(path);
  const braces = lang === "c" || lang === "go" || lang === "rust" || lang === "js";
  let cur: string | null = functionFromHeading(heading, path);
  let inMacro: string | null = null;
  for (let i = 0; i < lines.length && i <= index; i++) {
    const l = lines[i];
    if (l.kind !== "+" && l.kind !== "-" && l.kind !== " ") continue;
    if (inMacro) {
      if (i === index) return inMacro;
      if (!/\\\s*$/.test(l.text)) inMacro = null;
      continue;
    }
    const d = lineDefinition(l.text, lang);
    if (d?.kind === "decl") {
      if (i === index) return d.name;
      continue;
    }
    if (d?.kind === "macro") {
      if (i === index) return d.name;
      if (d.continued) inMacro = d.name;
      continue;
    }
    if (d) cur = d.name;
    if (i === index) return cur;
    if (!d && braces && /^}/.test(l.text)) cur = null;
  }
  return cur;
}

/** Hunk lines as stored in a message body: the lines after the "@@" line, marker first. */
export function hunkLinesFromText(lines: string[]): HunkLineInput[] {
  return lines.map((l) => (l === "" ? { kind: " ", text: "" } : { kind: l[0], text: l.slice(1) }));
}
