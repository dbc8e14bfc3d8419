// How text is cut into words, for the index and for queries alike: the two must agree, or a
// search misses what it should find.
//
// This follows what Xapian's TermGenerator/QueryParser do for lore, where that suits code:
//  - a word is a run of letters, digits and `_`: `vm_write_begin`, `__GFP_NOWARN`, `0x1f`,
//    `x86_64`, `do_wp_page` each stay ONE word (Xapian counts `_` as a word character too), so
//    `dfhh:do_wp_page` finds hunks whose heading contains that identifier, and not `do`,
//    `wp` and `page` scattered around;
//  - a dot between two digits belongs to the word: `5.10`, `v6.1.3` (Xapian does the same);
//  - everything else separates words. A query value made of several words, like
//    `mm/memory.c`, `foo-bar`, `vma->vm_flags` or `akpm@linux-foundation.org`, is searched
//    as the phrase of its words (`mm memory c`), exactly as lore does: `dfn:mm/memory.c`
//    finds `mm/memory.c` and also `tools/testing/selftests/mm/memory.c`-like paths that
//    contain that sequence of components, `dfn:memory.c` any file named memory.c;
//  - words are lower-cased (Xapian lower-cases too); `()` after a function name and trailing
//    punctuation are dropped by the query parser before this runs.
//
// Stemming: lore stems plain English words (Xapian STEM_SOME: "running" finds "run"). The
// compile step may do the same, but must never stem a code word (isCodeWord): Xapian would
// turn `do_wp_page` into `do_wp_pag`, harmless there because both sides are stemmed alike,
// surprising in a snippet.

const WORD_RE = /[\p{L}\p{N}_]+(?:(?<=\p{N})\.(?=\p{N})[\p{L}\p{N}_]+)*/gu;

export interface WordToken {
  word: string;
  /** offset in the text (UTF-16 code units) */
  offset: number;
  length: number;
  /** index of the word in the text: consecutive words have consecutive positions */
  position: number;
}

/** Words of a text with their offsets and positions (index side: feed these to the store). */
export function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  let m: RegExpExecArray | null;
  WORD_RE.lastIndex = 0;
  while ((m = WORD_RE.exec(text))) {
    out.push({ word: m[0].toLowerCase(), offset: m.index, length: m[0].length, position: out.length });
  }
  return out;
}

/** The words of a text, lower-cased, in order (duplicates kept). */
export function words(text: string): string[] {
  return wordTokens(text).map((t) => t.word);
}

/** The words a query value stands for: one word is a term, several are a phrase. */
export function queryWords(value: string): string[] {
  return words(value);
}

/** A word that is code rather than English: an identifier with `_`, a digit, or written in
 * capitals/mixed case in the original. Such words are matched as they are, never stemmed. */
export function isCodeWord(original: string): boolean {
  return /[_\p{N}]/u.test(original) || (/\p{Lu}/u.test(original) && /\p{L}/u.test(original.slice(1)) && original !== capitalize(original));
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}
