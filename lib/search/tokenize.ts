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

/** Words longer than this are not indexed (Xapian's TermGenerator default, which lore has): a
 * base64 line or a hash run together is no word anyone searches for. They still take a
 * position, so a phrase cannot match across one. */
export const MAX_WORD_LENGTH = 64;

const WORD_CHAR_RE = /[\p{L}\p{N}_]/u;
const DIGIT_RE = /\p{N}/u;

/** 0: not a word character, 1: a word character, 2: a word character that is a digit (\p{N}) */
function charClass(cp: number): 0 | 1 | 2 {
  if (cp < 128) {
    if (cp >= 48 && cp <= 57) return 2;
    return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || cp === 95 ? 1 : 0;
  }
  const ch = String.fromCodePoint(cp);
  if (!WORD_CHAR_RE.test(ch)) return 0;
  return DIGIT_RE.test(ch) ? 2 : 1;
}

/** Calls fn with each word of a text, lower-cased, in order: the index side's fast path (a
 * scanner, no objects per word), giving exactly the words of wordTokens (tested). */
export function eachWord(text: string, fn: (word: string) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let cp = text.codePointAt(i)!;
    let cls = charClass(cp);
    if (cls === 0) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    let prev: 0 | 1 | 2 = cls;
    // lower-casing allocates: only words with an upper-case or non-ASCII letter need it
    let fold = cp > 127 || (cp >= 65 && cp <= 90);
    for (;;) {
      i += cp > 0xffff ? 2 : 1;
      if (i >= n) break;
      cp = text.codePointAt(i)!;
      cls = charClass(cp);
      if (cls !== 0) {
        prev = cls;
        if (cp > 127 || (cp >= 65 && cp <= 90)) fold = true;
        continue;
      }
      // a dot between two digits belongs to the word (5.10, v6.1.3)
      if (cp === 46 && prev === 2 && i + 1 < n && charClass(text.codePointAt(i + 1)!) === 2) {
        prev = 0;
        continue;
      }
      break;
    }
    const w = text.slice(start, i);
    fn(fold ? w.toLowerCase() : w);
  }
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
