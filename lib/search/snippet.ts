// Snippets: where a result matched, as text segments with the matched words flagged. Pure; the
// page renders flagged segments in <mark> (text nodes only: nothing from mail is ever HTML),
// the JSON API returns the segments as they are.
import { startsDiff } from "../patch/diff";
import type { MatchTerm } from "./query-ast";
import { wordTokens, type WordToken } from "./tokenize";
import type { FieldName } from "./fields";

export interface Segment {
  text: string;
  /** the words of a search term */
  match: boolean;
}

/** Which lines of a body a term's field can match (lore's meaning of each prefix). */
type LineKind = "quoted" | "file" | "add" | "del" | "ctx" | "hunk" | "text";

function lineKind(line: string, inDiff: boolean): LineKind {
  const c = line.charCodeAt(0);
  if (c === 62 /* > */) return "quoted";
  if (line.startsWith("@@")) return "hunk";
  if (inDiff) {
    if (/^(?:diff |index |--- |\+\+\+ |new file|deleted file|old mode|new mode|similarity|rename |copy |Binary )/.test(line)) return "file";
    if (c === 43 /* + */ && !line.startsWith("+++ ")) return "add";
    if (c === 45 /* - */ && !line.startsWith("--- ")) return "del";
    if (c === 32 /* space */) return "ctx";
  }
  return "text";
}

const BODY_FIELDS = new Set<FieldName | null>([null, "b", "bs", "nq", "q", "dfn", "dfa", "dfb", "dfhh", "dfctx"]);

function allowed(field: FieldName | null, kind: LineKind): boolean {
  switch (field) {
    case null:
    case "b":
    case "bs":
      return true;
    case "q":
      return kind === "quoted";
    case "nq":
    case "dfn":
      return kind !== "quoted";
    case "dfa":
      return kind === "del";
    case "dfb":
      return kind === "add";
    case "dfctx":
      return kind === "ctx";
    case "dfhh":
      return kind === "hunk";
    default:
      return false;
  }
}

/** [start, end) offsets in `text` where the terms match (phrases as one span), sorted, merged. */
export function matchSpans(text: string, terms: MatchTerm[], tokens: WordToken[] = wordTokens(text)): [number, number][] {
  const spans: [number, number][] = [];
  for (const t of terms) {
    const n = t.words.length;
    if (!n) continue;
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true;
      for (let j = 0; j < n && ok; j++) {
        const w = tokens[i + j].word;
        ok = t.wildcard && j === n - 1 ? w.startsWith(t.words[j]) : w === t.words[j];
        // a phrase's words are adjacent in the text: nothing but separators between them
      }
      if (ok) spans.push([tokens[i].offset, tokens[i + n - 1].offset + tokens[i + n - 1].length]);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

/** The text cut into segments at the spans. */
export function segmentsOf(text: string, spans: [number, number][]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const [a, b] of spans) {
    if (a > at) out.push({ text: text.slice(at, a), match: false });
    out.push({ text: text.slice(a, b), match: true });
    at = b;
  }
  if (at < text.length || !out.length) out.push({ text: text.slice(at), match: false });
  return out;
}

/** A header (subject, From) with the words of the terms that search it flagged. */
export function markHeader(text: string, terms: MatchTerm[], fields: readonly (FieldName | null)[]): Segment[] {
  return segmentsOf(text, matchSpans(text, terms.filter((t) => fields.includes(t.field))));
}

export interface SnippetOptions {
  /** lines of context around the first matching line */
  context?: number;
  /** characters at most */
  maxChars?: number;
}

/**
 * A few lines of the body around the first line where a term matches in a part of the body its
 * field searches (q: in quoted lines, dfb: in added lines, ...), with every match in them
 * flagged. Without a match in the body (a subject or header match): the first lines the sender
 * wrote, unflagged.
 */
export function bodySnippet(body: string, terms: MatchTerm[], opts: SnippetOptions = {}): Segment[] {
  const context = opts.context ?? 1;
  const maxChars = opts.maxChars ?? 360;
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const bodyTerms = terms.filter((t) => BODY_FIELDS.has(t.field) && t.words.length);
  // the kind of each line, computed as far as needed (a diff is tracked from its header on)
  const kinds: LineKind[] = [];
  let inDiff = false;
  const kindAt = (i: number): LineKind => {
    while (kinds.length <= i) {
      const l = lines[kinds.length];
      // a diff starts at its header, or at a hunk header (a window of a long body may begin inside one)
      if (startsDiff(l) || /^(?:diff -|@@ )/.test(l)) inDiff = true;
      else if (inDiff && !/^[-+ @\\]|^(?:index |new file|deleted file|old mode|new mode|similarity|rename |copy |Binary )/.test(l)) inDiff = false;
      kinds.push(lineKind(l, inDiff));
    }
    return kinds[i];
  };
  let hit = -1;
  let hitSpans: [number, number][] = [];
  if (bodyTerms.length) {
    // a line can only match a term whose first word it contains (a cheap test before tokenizing)
    const firsts = [...new Set(bodyTerms.map((t) => t.words[0]))];
    for (let i = 0; i < lines.length && hit < 0; i++) {
      const line = lines[i];
      if (line.length < 2) continue;
      const lower = line.toLowerCase();
      if (!firsts.some((w) => lower.includes(w))) continue;
      const kind = kindAt(i);
      const ts = bodyTerms.filter((t) => allowed(t.field, kind));
      if (!ts.length) continue;
      const spans = matchSpans(line, ts);
      if (spans.length) {
        hit = i;
        hitSpans = spans;
      }
    }
  }
  if (hit < 0) {
    // the first lines the sender wrote
    const first: string[] = [];
    for (let i = 0; i < lines.length && first.length < 3; i++) if (lines[i].trim() !== "" && kindAt(i) === "text") first.push(lines[i]);
    return first.length ? [{ text: clip(first.join("\n"), maxChars), match: false }] : [];
  }
  const from = Math.max(0, hit - context);
  const to = Math.min(lines.length, hit + context + 1);
  const out: Segment[] = [];
  let used = 0;
  if (from > 0) out.push({ text: "…\n", match: false });
  for (let i = from; i < to; i++) {
    let line = lines[i];
    let spans = i === hit ? hitSpans : matchSpans(line, bodyTerms.filter((t) => allowed(t.field, kindAt(i))));
    // a long line: keep the part around its first match
    const room = Math.max(80, maxChars - used);
    if (line.length > room) {
      const center = spans.length ? spans[0][0] : 0;
      const start = Math.max(0, Math.min(center - Math.floor(room / 3), line.length - room));
      const cut = line.slice(start, start + room);
      spans = spans.filter(([a, b]) => a >= start && b <= start + room).map(([a, b]) => [a - start, b - start]);
      line = (start > 0 ? "…" : "") + cut + (start + room < line.length ? "…" : "");
      if (start > 0) spans = spans.map(([a, b]) => [a + 1, b + 1]);
    }
    out.push(...segmentsOf(line, spans));
    used += line.length + 1;
    if (i < to - 1) out.push({ text: "\n", match: false });
    if (used >= maxChars && i >= hit) break;
  }
  if (to < lines.length) out.push({ text: "\n…", match: false });
  return merge(out);
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + "…" : s;
}

/** adjacent unflagged segments joined */
function merge(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    if (!s.text) continue;
    const last = out[out.length - 1];
    if (last && !last.match && !s.match) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}

/** Segments back to plain text (Atom, the CLI). */
export function plainText(segs: Segment[]): string {
  return segs.map((s) => s.text).join("");
}
