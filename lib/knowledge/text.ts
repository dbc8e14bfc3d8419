// The author's own lines of a message body, and the paragraphs and sentences the cue-based
// analyzers read. Read from the body tree (lib/body proseLines: the top-level prose as written);
// attribution lines ("On …, X wrote:") and elision markers ("[...]", "<snip>") are dropped.
// Pure, linear in the body size.

import { parseBody, proseLines, type BodyRoot } from "../body/tree";
import { isAttributionLine } from "../body/attribution";
import type { MessageText, OwnLine } from "./types";

// Knowledge drops these by its own rules, looser than the tree's (which takes an attribution only
// right above its quote, and reads elisions inside quotes): an attribution-shaped line anywhere in
// the prose, and these markers wherever they stand, are nobody's design idea or decision.
const ELISION = /^\s*(?:\[\s*(?:\.{2,}|…|snip+(?:ped)?|cut)[^\]]{0,40}\]|<\s*(?:\.{2,}|…|snip+(?:ped)?)\s*>|-{2,}\s*snip\s*-{2,})\s*$/i;

/**
 * The body with its own lines (top-level prose only: no quotes, diffs, diffstats, signature).
 * `tree` is the body's tree when the caller already has it; else one is built that leaves quotes
 * unsplit inside (only the top level is read).
 */
export function messageText(body: string, tree: BodyRoot = parseBody(body, { quotes: false, dates: false })): MessageText {
  const own: OwnLine[] = [];
  for (const p of proseLines(tree)) {
    const t = p.text;
    let a = 0;
    while (a < t.length && (t.charCodeAt(a) === 32 || t.charCodeAt(a) === 9)) a++;
    const c = t.charCodeAt(a);
    // "[...]", "<snip>", "--- snip ---"
    if ((c === 91 || c === 60 || c === 45) && ELISION.test(t)) continue;
    // "On Mon, …, Jane wrote:" right above a quote belongs to the quote, not to the author
    let z = t.length - 1;
    while (z > a && /\s/.test(t[z])) z--;
    if (t.charCodeAt(z) === 58 && t.length < 300 && /(?:wrote|writes|said|schrieb|écrit|escribió|escreveu)\s*:\s*$/i.test(t) && isAttributionLine(t.trim())) continue;
    own.push({ line: p.line + 1, text: t });
  }
  return { text: body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body, ownLines: own };
}

/** Lines of the body as an array (1-based access: lines[n - 1]). */
export function bodyLines(text: string): string[] {
  const t = text.replace(/\r\n?/g, "\n");
  return t.endsWith("\n") ? t.slice(0, -1).split("\n") : t.split("\n");
}

export interface Paragraph {
  /** non-blank own lines, consecutive in the body */
  lines: OwnLine[];
  start: number;
  end: number;
  /** a list item: "1." / "1)" / "(1)" / "-" / "*" marker at its first line */
  item: { marker: string; number: number | null } | null;
  /** the lines trimmed and joined with single spaces */
  text: string;
}

const ITEM = /^\s{0,8}(?:(\d{1,2})[.)]|\((\d{1,2})\)|([-*•]))\s+(?=\S)/;

function isBlank(s: string): boolean {
  return s.trim() === "";
}

const paragraphCache = new WeakMap<OwnLine[], { n: number; paras: Paragraph[] }>();

/**
 * Runs of non-blank own lines with consecutive body line numbers (a quote or a diff between two
 * own lines ends a paragraph). A line starting a list item ("1) …", "2. …", "- …") starts a new
 * paragraph of its own.
 */
export function paragraphs(own: OwnLine[]): Paragraph[] {
  // ideas and decisions both read the paragraphs of the same own lines: cut them once
  const hit = paragraphCache.get(own);
  if (hit && hit.n === own.length) return hit.paras;
  const paras = cutParagraphs(own);
  paragraphCache.set(own, { n: own.length, paras });
  return paras;
}

function cutParagraphs(own: OwnLine[]): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: OwnLine[] = [];
  let item: Paragraph["item"] = null;
  const flush = () => {
    if (cur.length) {
      out.push({
        lines: cur,
        start: cur[0].line,
        end: cur[cur.length - 1].line,
        item,
        text: cur.map((l) => l.text.trim()).join(" ").replace(/\s+/g, " "),
      });
    }
    cur = [];
    item = null;
  };
  let prev = -1;
  for (const l of own) {
    if (isBlank(l.text)) {
      flush();
      prev = l.line;
      continue;
    }
    if (cur.length && l.line !== prev + 1) flush();
    const m = ITEM.exec(l.text);
    if (m) {
      flush();
      item = { marker: m[0].trim(), number: m[3] ? null : Number(m[1] ?? m[2]) };
    }
    cur.push(l);
    prev = l.line;
  }
  flush();
  return out;
}

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

const ABBREV = /(?:\b(?:e\.g|i\.e|etc|vs|cf|viz|approx|resp|Mr|Mrs|Dr|No|Fig|al)\.|\b[A-Z]\.|\.\.)$/;

/** Sentences of a paragraph, each with the body lines it spans. */
export function sentences(p: Paragraph): Sentence[] {
  // joined text with the body line of each character
  let joined = "";
  const lineAt: number[] = [];
  for (const l of p.lines) {
    const t = l.text.trim().replace(/\s+/g, " ");
    if (joined) {
      joined += " ";
      lineAt.push(l.line);
    }
    for (let i = 0; i < t.length; i++) lineAt.push(l.line);
    joined += t;
  }
  const out: Sentence[] = [];
  let from = 0;
  const re = /[.!?]+["')\]]*(?:\s+(?=["'(\[]?[A-Z0-9])|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(joined))) {
    const endIdx = m.index + m[0].length;
    const head = joined.slice(from, m.index + 1);
    if (m[0][0] === "." && ABBREV.test(head)) continue;
    // "1." at the very start of an item is a marker, not a sentence end
    if (/^\s*\d{1,2}\.$/.test(head)) continue;
    push(from, endIdx);
    from = endIdx;
  }
  if (from < joined.length) push(from, joined.length);
  return out;

  function push(a: number, b: number) {
    const raw = joined.slice(a, b);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (!text) return;
    const s = a + lead;
    const e = Math.max(s, a + lead + text.length - 1);
    out.push({ text, start: lineAt[s] ?? p.start, end: lineAt[e] ?? p.end });
  }
}

/** The first sentence of a passage, trimmed to at most `max` characters (on a word boundary). */
export function firstSentence(text: string, max = 200): string {
  const t = text.replace(/\s+/g, " ").trim();
  const m = /^(.+?[.!?])(?:\s+(?=["'(\[]?[A-Z0-9])|$)/.exec(t);
  let s = m && !ABBREV.test(m[1]) ? m[1] : t;
  if (s.length > max) {
    const cut = s.slice(0, max - 1);
    const sp = cut.lastIndexOf(" ");
    s = (sp > max / 2 ? cut.slice(0, sp) : cut) + "…";
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// identifiers

const STOP = new Set([
  "NAK", "NACK", "ACK", "RFC", "TODO", "FIXME", "OK", "IMHO", "IMO", "IIRC", "IIUC", "AFAICT", "AFAIK", "FWIW", "BTW", "FYI",
  "LGTM", "PATCH", "AND", "THE", "NOT", "BUT", "ALL", "ANY", "YES", "NO", "ACHTUNG", "NOTE", "WARNING", "ERROR", "BUG", "ASAP",
  "MAINTAINERS", "CC", "TBD", "WIP", "LKML", "HTML", "URL", "API", "ABI",
]);

// lower-case kernel nouns worth keeping, and acronyms written in lower case that read better upper
const LEXICON = new Set([
  "vma", "pte", "ptl", "pmd", "pud", "tlb", "memcg", "lruvec", "folio", "rcu", "srcu", "mmap", "munmap", "mprotect", "mremap",
  "brk", "kswapd", "khugepaged", "rwsem", "spinlock", "mutex", "seqcount", "seqlock", "rbtree", "xarray", "kmalloc", "vmalloc",
  "slab", "slub", "hugetlb", "thp", "numa", "smp", "lru", "irq", "softirq", "kthread", "workqueue", "cgroup", "userfaultfd",
  "madvise", "mlock", "fork", "clone", "futex", "io_uring", "ebpf", "bpf", "cqe", "dma", "iommu", "sdhci", "emmc", "mmc",
]);
const UPPER = new Set(["rcu", "srcu", "pte", "ptl", "pmd", "pud", "tlb", "thp", "numa", "smp", "lru", "irq", "bpf", "ebpf", "cqe", "dma", "iommu", "sdhci", "emmc", "mmc"]);

/**
 * Identifiers a passage mentions: functions ("shrink_folio_list()"), snake_case names
 * ("mmap_sem", "PG_lru"), fields ("mm->mmap_sem" gives "mmap_sem"), macros and acronyms
 * ("HWCACHE_ALIGN", "SRCU") and a small lexicon of kernel nouns ("vma", "memcg", "folio").
 * Deduplicated case-insensitively, in order of first mention.
 */
export function identifiers(text: string, max = 20): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (w: string) => {
    let k = w.replace(/\(\)$/, "");
    if (k.length < 2 || k.length > 64) return;
    const low = k.toLowerCase();
    const sing = low.endsWith("s") && LEXICON.has(low.slice(0, -1)) ? low.slice(0, -1) : low;
    if (LEXICON.has(sing)) k = UPPER.has(sing) ? sing.toUpperCase() : sing;
    const key = k.toLowerCase();
    if (seen.has(key) || STOP.has(k.toUpperCase())) return;
    seen.add(key);
    out.push(k);
  };
  const re = /[A-Za-z_][A-Za-z0-9_]*(?:->[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && out.length < max) {
    const w = m[0];
    if (w.includes("->")) {
      add(w.split("->").pop()!);
      continue;
    }
    if (w.endsWith("()")) {
      add(w);
      continue;
    }
    if (/^https?$/.test(w) || /^(?:www|lore|git|kernel|org|com)$/.test(w)) continue;
    if (/_/.test(w) && /[a-zA-Z]/.test(w) && !/^_+$/.test(w)) {
      add(w);
      continue;
    }
    if (/^[A-Z][A-Z0-9]{2,}$/.test(w)) {
      add(w);
      continue;
    }
    const low = w.toLowerCase();
    if (LEXICON.has(low) || (low.endsWith("s") && LEXICON.has(low.slice(0, -1)))) add(w);
  }
  return out;
}

/**
 * A one-pass scan for cue words: which of `cues` may match a text, by the words each cannot match
 * without (`wordsOf`). One regular expression of every word, longest first, as a lookahead so that
 * words starting inside another are found too; a word found also admits the cues of every word
 * that is a prefix of it (the alternation reports the longest at one position). Much cheaper than
 * trying the cues' patterns; most texts admit none. The result keeps the cues' order.
 */
export function cueScanner<C>(cues: readonly C[], wordsOf: (c: C) => readonly string[]): (text: string) => C[] {
  const words = [...new Set(cues.flatMap((c) => [...wordsOf(c)]))];
  const re = new RegExp("(?=(" + [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|") + "))", "g");
  const cuesOfWord = new Map<string, C[]>(words.map((w) => [w, cues.filter((c) => wordsOf(c).some((x) => w.startsWith(x)))]));
  return (text: string) => {
    const found = new Set<C>();
    const low = text.toLowerCase();
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(low))) {
      for (const c of cuesOfWord.get(m[1])!) found.add(c);
      re.lastIndex = m.index + 1;
    }
    return cues.filter((c) => found.has(c));
  };
}
