// The functions a posting changes, for shared-code evidence: the function its hunk headings name
// (git's "@@ ... @@ static int foo(struct bar *b)") and the functions whose definitions start on
// its added or removed lines (a new file has no headings: its functions are its definitions).
// Names come from lib/code (the same names /code/<path>/<function> pages use) and are qualified
// by the file ("mm/rotation.c::rotate_one"): static functions of one name in two drivers are
// different code. Only source files count (not Documentation, Kconfig, Makefiles). Pure.
import { definitionInLine, functionFromHeading, languageOf } from "../code";

/** Source files carry functions worth comparing. */
export function isCodePath(path: string): boolean {
  const l = languageOf(path);
  return l !== "text" && l !== "other";
}

export interface HunkInput {
  path: string;
  heading: string;
  /** added and removed lines (or only the lines that may start a definition) */
  addedText: string;
  removedText: string;
}

/** "path::function" for every function a set of hunks changes, sorted, unique. */
export function changedFunctions(hunks: HunkInput[]): string[] {
  const out = new Set<string>();
  for (const h of hunks) {
    if (!isCodePath(h.path)) continue;
    const head = functionFromHeading(h.heading, h.path);
    if (head) out.add(`${h.path}::${head}`);
    for (const text of [h.addedText, h.removedText]) {
      if (!text) continue;
      for (const line of text.split("\n")) {
        const d = definitionInLine(line, h.path);
        if (d) out.add(`${h.path}::${d}`);
      }
    }
  }
  return [...out].sort();
}

/** The function part of "path::function". */
export function splitFunction(qualified: string): { path: string; name: string } {
  const i = qualified.lastIndexOf("::");
  return i < 0 ? { path: "", name: qualified } : { path: qualified.slice(0, i), name: qualified.slice(i + 2) };
}
