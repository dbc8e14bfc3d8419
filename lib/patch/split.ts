// A patch mail split into its parts the way `git mailinfo --scissors` does — in-body `From:` /
// `Subject:` / `Date:` lines at the top of the body override the mail's, a scissors line
// (`-- >8 --`) discards what is above it, the first line that mailinfo's patchbreak() accepts
// (`---` alone, `--- <file>`, `diff -`, `Index: `) ends the commit message — and then further:
// the notes between `---` and the diff (changelogs), the diffstat, the diff itself (parsed), what
// follows it, the signature after `-- `, and the trailer block of the commit message.
//
// Better than mailinfo where it is known to be wrong:
//  * a reply that only quotes a diff (`> diff --git …`) is not a patch (kind "quoted");
//  * a patch in an attachment (text/x-patch, *.patch, *.diff, or any text part holding a diff)
//    when the body has none: the attachment is split on its own (a format-patch file's
//    `From <sha> Mon Sep 17 …` line and in-body headers are understood), and the body becomes
//    the cover note instead of being glued to the commit message (kind "attachment");
//  * a diff pasted into a reply after prose ("something like this:") is recognised as a diff with
//    `inline: true` (kind "inline"), not as a patch submission;
//  * a format-patch separator line (`From <sha> Mon Sep 17 00:00:00 2001`) at the top of the body
//    or right after a scissors line starts the in-body headers (mailinfo keeps it, and the
//    From:/Date:/Subject: lines after it, in the commit message);
//  * a top-posted (Outlook-style) reply over the original patch ("-----Original Message-----",
//    or "From:" followed by "Sent:") is not a patch (kind "quoted", the diff kept);
//  * a pull request (`git request-pull` text) is kind "pull-request", not a patch.
//
// Not handled here, because the input is decoded text: git hashes a non-UTF-8 body's bytes and
// the bytes parseMail turned into U+FFFD; this module hashes the UTF-8 of the decoded text.
//
// Line numbers are 0-based indexes into the lines of the text the part came from (the body, or
// the attachment named by `source`); ranges are half-open [start, end).

import { parseDiffLines, type ParsedDiff } from "./diff";
import { checkDiffstat, findDiffstat, type Diffstat, type DiffstatMismatch } from "./diffstat";
import { isReplySubject } from "../mail/subject";
import { decodeWords, FORMAT_PATCH_FROM_RE, gitSpace, inbodyHeaderName, type InbodyName, isPatchBreak, isScissorsLine, mailinfoSubject } from "./mailinfo";
import { findTrailerBlock, type LineRange, type TrailerLine } from "./trailers";

export type { LineRange, TrailerLine };

export interface SplitAttachment {
  filename: string | null;
  contentType: string;
  text: string | null;
}

export interface SplitInput {
  subject: string;
  body: string;
  attachments?: SplitAttachment[];
}

export interface SplitOptions {
  /** honour scissors lines (git am --scissors); default true */
  scissors?: boolean;
}

export type PatchMailKind =
  /** a patch in the body */
  | "patch"
  /** a patch in an attachment */
  | "attachment"
  /** a diff in a reply, after prose or quotes: a suggestion, not a submission */
  | "inline"
  /** a pull request (`git request-pull` output: "are available in the Git repository at:"), with or without a diff */
  | "pull-request"
  /** a reply that quotes a diff and has none of its own (`> ` quotes: diff null; an Outlook-style
   * "-----Original Message-----" block above the original patch: diff set, but it is the quoted
   * message's) */
  | "quoted"
  /** no diff at all */
  | "none";

export interface PatchMailParts {
  /** in-body header lines (From:/Subject:/Date:, also after a scissors line) */
  inBodyHeaders: LineRange | null;
  /** the scissors line, when one was honoured */
  scissors: number | null;
  /** the commit message (as mailinfo's msg: after in-body headers, up to the patch break) */
  message: LineRange | null;
  /** the trailer block at the end of the message */
  trailers: LineRange | null;
  /** the `---` separator line */
  separator: number | null;
  /** the notes between the separator and the diff, outside the diffstat */
  notes: LineRange | null;
  diffstat: LineRange | null;
  diff: LineRange | null;
  /** lines after the diff and before the signature (`base-commit:`, text, list footers) */
  afterDiff: LineRange | null;
  /** from the `-- ` line to the end (trailing blank lines excluded) */
  signature: LineRange | null;
  /** where mailinfo's patch output starts (the patch break line), null when there is none */
  patch: LineRange | null;
}

export interface PatchMail {
  kind: PatchMailKind;
  /** a submitted patch: kind "patch" or "attachment" */
  isPatch: boolean;
  /** the diff sits in a reply (after prose or quotes), not in a patch submission */
  inline: boolean;
  /** where the split text (and every line number) comes from */
  source: { part: "body" } | { part: "attachment"; index: number; filename: string | null };
  /** the subject mailinfo would give: in-body Subject: when present, Re:/[...] prefixes removed */
  title: string;
  /** the subject used for the title, before cleanup */
  subject: string;
  inBodyFrom: string | null;
  inBodySubject: string | null;
  inBodyDate: string | null;
  /** the commit message (without the title), trailers included, edge blank lines removed */
  commitMessage: string;
  trailers: TrailerLine[];
  /** text between `---` and the diff that is not the diffstat (changelogs, "v2: ..."), null when none */
  notes: string | null;
  diffstat: Diffstat | null;
  /** the diffstat checked against the diff (empty when they agree or one is missing) */
  diffstatMismatches: DiffstatMismatch[];
  diff: ParsedDiff | null;
  /** text after the diff before the signature (e.g. "base-commit: …"), null when none */
  afterDiff: string | null;
  /** the signature after "-- ", without that line */
  signature: string | null;
  /** the body text when the patch came from an attachment (the cover note), null otherwise */
  coverNote: string | null;
  /** other attachments that also hold a diff (indexes into input.attachments) */
  otherPatchAttachments: number[];
  parts: PatchMailParts;
}

// ---------------------------------------------------------------------------------------------
// the split of one text

interface TextSplit {
  lines: string[];
  inBody: Partial<Record<InbodyName, string>>;
  inBodyHeaders: LineRange | null;
  scissors: number | null;
  message: LineRange | null;
  /** message line indexes (mailinfo may skip lines in the middle: none today, kept for clarity) */
  messageLines: number[];
  patchBreak: number | null;
  diff: ParsedDiff | null;
}

function splitText(text: string, opts: { scissors: boolean; formatPatchFrom: boolean }): TextSplit {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith("\r")) lines[i] = lines[i].slice(0, -1);
  // a final "\n" gives an empty last element that is not a line
  if (lines.length && lines[lines.length - 1] === "") lines.pop();

  let inBody: Partial<Record<InbodyName, string>> = {};
  let hdrStart = -1;
  let hdrEnd = -1;
  let scissors: number | null = null;
  let messageLines: number[] = [];
  let i = 0;

  // the header stage: returns the index of the first line of the message
  const headerStage = (from: number): number => {
    let k = from;
    let accum: { name: InbodyName; value: string } | null = null;
    const flush = () => {
      if (accum) inBody[accum.name] = decodeWords(accum.value);
      accum = null;
    };
    if (opts.formatPatchFrom) {
      while (k < lines.length && lines[k] === "") k++;
      if (FORMAT_PATCH_FROM_RE.test(lines[k] ?? "")) {
        hdrStart = k;
        hdrEnd = k + 1;
        k++;
      }
    }
    while (k < lines.length) {
      const l = lines[k];
      if (l === "") {
        k++;
        if (accum) {
          flush();
          return k;
        }
        continue;
      }
      if (accum && (l[0] === " " || l[0] === "\t")) {
        if (opts.scissors && isScissorsLine(l)) {
          flush();
          return k;
        }
        (accum as { value: string }).value += l;
        hdrEnd = k + 1;
        k++;
        continue;
      }
      flush();
      if (l.startsWith(">From") && gitSpace(l[5])) {
        if (FORMAT_PATCH_FROM_RE.test(l.slice(1))) {
          if (hdrStart < 0) hdrStart = k;
          hdrEnd = k + 1;
          k++;
          continue;
        }
        return k;
      }
      if (l.startsWith("[PATCH]") && gitSpace(l[7])) {
        inBody.Subject = l;
        if (hdrStart < 0) hdrStart = k;
        hdrEnd = k + 1;
        k++;
        continue;
      }
      const h = inbodyHeaderName(l);
      if (h && inBody[h] === undefined) {
        accum = { name: h, value: l.slice(h.length + 1).replace(/^[ \t]/, "") };
        if (hdrStart < 0) hdrStart = k;
        hdrEnd = k + 1;
        k++;
        continue;
      }
      return k;
    }
    flush();
    return k;
  };

  i = headerStage(0);
  let patchBreak: number | null = null;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (opts.scissors && isScissorsLine(l)) {
      messageLines = [];
      inBody = {};
      hdrStart = hdrEnd = -1;
      scissors = i;
      i = headerStage(i + 1) - 1;
      continue;
    }
    if (isPatchBreak(l)) {
      patchBreak = i;
      break;
    }
    messageLines.push(i);
  }
  // the message without its edge blank lines
  let ms = 0;
  let me = messageLines.length;
  while (ms < me && lines[messageLines[ms]].trim() === "") ms++;
  while (me > ms && lines[messageLines[me - 1]].trim() === "") me--;
  messageLines = messageLines.slice(ms, me);
  const message = messageLines.length ? { start: messageLines[0], end: messageLines[messageLines.length - 1] + 1 } : null;

  let diff: ParsedDiff | null = null;
  if (patchBreak !== null) {
    const d = parseDiffLines(lines, { from: patchBreak });
    if (d.files.length) diff = d;
  }
  return {
    lines,
    inBody,
    inBodyHeaders: hdrStart >= 0 ? { start: hdrStart, end: hdrEnd } : null,
    scissors,
    message,
    messageLines,
    patchBreak,
    diff,
  };
}

const QUOTED_DIFF_RE = /^(?:>[ \t]?)+(?:diff --git |@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@|Index: |--- a\/|\+\+\+ b\/)/;
const ATTRIBUTION_RE = /(?:wrote|writes|said|schrieb|a écrit|escribió|scritto|napisał)\s*:\s*$/i;

function hasQuotedDiff(lines: string[]): boolean {
  for (const l of lines) if (QUOTED_DIFF_RE.test(l)) return true;
  return false;
}

function emptyParts(): PatchMailParts {
  return {
    inBodyHeaders: null,
    scissors: null,
    message: null,
    trailers: null,
    separator: null,
    notes: null,
    diffstat: null,
    diff: null,
    afterDiff: null,
    signature: null,
    patch: null,
  };
}

function trimRange(lines: string[], s: number, e: number): LineRange | null {
  while (s < e && lines[s].trim() === "") s++;
  while (e > s && lines[e - 1].trim() === "") e--;
  return s < e ? { start: s, end: e } : null;
}

function textOf(lines: string[], r: LineRange | null): string | null {
  return r ? lines.slice(r.start, r.end).join("\n") : null;
}

/** Fills the parts after the patch break: notes, diffstat, diff, afterDiff, signature. */
function fillPatchParts(sp: TextSplit, mail: PatchMail): void {
  const { lines } = sp;
  const parts = mail.parts;
  if (sp.patchBreak === null) return;
  parts.patch = { start: sp.patchBreak, end: lines.length };
  const diff = sp.diff;
  const diffStart = diff ? diff.startLine : lines.length;
  const pb = lines[sp.patchBreak];
  const isSeparator = sp.patchBreak < diffStart && pb.startsWith("---");
  if (isSeparator) parts.separator = sp.patchBreak;
  const notesFrom = sp.patchBreak + (isSeparator ? 1 : 0);
  // notes and diffstat between the break and the diff (or, without a diff, up to a signature)
  let notesTo = diffStart;
  if (!diff) {
    const sig = lines.indexOf("-- ", notesFrom);
    if (sig >= 0) notesTo = sig;
  }
  if (notesFrom < notesTo) {
    const ds = findDiffstat(lines, { from: notesFrom, to: notesTo });
    if (ds) {
      mail.diffstat = ds;
      parts.diffstat = { start: ds.startLine, end: ds.endLine };
      const before = trimRange(lines, notesFrom, ds.startLine);
      const after = trimRange(lines, ds.endLine, notesTo);
      const nr = before && after ? { start: before.start, end: after.end } : (before ?? after);
      if (nr) {
        parts.notes = nr;
        const noteLines = lines.slice(nr.start, nr.end).filter((_, k) => nr.start + k < ds.startLine || nr.start + k >= ds.endLine);
        mail.notes = trimEdges(noteLines).join("\n") || null;
      }
    } else {
      const nr = trimRange(lines, notesFrom, notesTo);
      if (nr) {
        parts.notes = nr;
        mail.notes = textOf(lines, nr);
      }
    }
  }
  if (diff) {
    parts.diff = { start: diff.startLine, end: diff.endLine };
    mail.diff = diff;
    if (mail.diffstat) mail.diffstatMismatches = checkDiffstat(mail.diffstat, diff);
  }
  const tailFrom = diff ? diff.endLine : notesTo;
  let sig = -1;
  for (let k = tailFrom; k < lines.length; k++)
    if (lines[k] === "-- ") {
      sig = k;
      break;
    }
  const after = trimRange(lines, tailFrom, sig >= 0 ? sig : lines.length);
  if (after && diff) {
    parts.afterDiff = after;
    mail.afterDiff = textOf(lines, after);
  }
  if (sig >= 0) {
    const sr = trimRange(lines, sig, lines.length);
    parts.signature = sr;
    const body = trimRange(lines, sig + 1, lines.length);
    mail.signature = body ? textOf(lines, body) : "";
  }
}

function trimEdges(ls: string[]): string[] {
  let s = 0;
  let e = ls.length;
  while (s < e && ls[s].trim() === "") s++;
  while (e > s && ls[e - 1].trim() === "") e--;
  return ls.slice(s, e);
}

function fromSplit(sp: TextSplit, subject: string, source: PatchMail["source"]): PatchMail {
  const { lines } = sp;
  const usedSubject = sp.inBody.Subject ?? subject;
  const mail: PatchMail = {
    kind: "none",
    isPatch: false,
    inline: false,
    source,
    title: mailinfoSubject(usedSubject),
    subject: usedSubject,
    inBodyFrom: sp.inBody.From ?? null,
    inBodySubject: sp.inBody.Subject ?? null,
    inBodyDate: sp.inBody.Date ?? null,
    commitMessage: sp.messageLines.map((k) => lines[k]).join("\n"),
    trailers: [],
    notes: null,
    diffstat: null,
    diffstatMismatches: [],
    diff: null,
    afterDiff: null,
    signature: null,
    coverNote: null,
    otherPatchAttachments: [],
    parts: emptyParts(),
  };
  mail.parts.inBodyHeaders = sp.inBodyHeaders;
  mail.parts.scissors = sp.scissors;
  mail.parts.message = sp.message;
  if (sp.message) {
    const tb = findTrailerBlock(lines, sp.message.start, sp.message.end);
    if (tb) {
      mail.trailers = tb.trailers;
      mail.parts.trailers = tb.range;
    }
  }
  fillPatchParts(sp, mail);
  return mail;
}

const PATCH_TAG_RE = /^\s*(?:\[[^\]]*\]\s*)*\[[^\]]*\bPATCH|^\s*PATCH\b/i;

/**
 * Does a body with a diff read like a reply carrying a suggestion rather than a patch submission?
 *  - in-body headers (an am-ready patch), or a scissors line followed by a signed-off message: patch;
 *  - not a reply, and signed off or tagged [PATCH]: patch (quotes or an attribution inside a
 *    commit message or its notes do not make it a reply);
 *  - a reply (Re:, Aw:, ...) that is signed off or carries a diffstat, without quoting: a new
 *    version sent as a reply: patch;
 *  - anything else with quotes, an attribution, a reply subject, or prose ending in ":" right
 *    before the diff ("something like this:"): inline.
 */
function looksInline(sp: TextSplit, mail: PatchMail, subject: string): boolean {
  if (sp.inBodyHeaders) return false;
  const signed = mail.trailers.some((t) => t.key !== null && /^Signed-off-by$/i.test(t.key));
  if (sp.scissors !== null && signed) return false;
  const { lines } = sp;
  const end = sp.diff ? sp.diff.startLine : lines.length;
  let quoted = false;
  for (let k = 0; k < end && !quoted; k++) if (lines[k].startsWith(">") || ATTRIBUTION_RE.test(lines[k])) quoted = true;
  const reply = isReplySubject(subject);
  if (!reply && (signed || PATCH_TAG_RE.test(subject))) return false;
  if (reply && (signed || mail.diffstat) && !quoted) return false;
  if (reply || quoted) return true;
  // "something like this:" right before the diff
  let k = end - 1;
  while (k >= 0 && lines[k].trim() === "") k--;
  if (k >= 0 && /:\s*$/.test(lines[k]) && !mail.parts.separator) return true;
  return false;
}

const ORIGINAL_MESSAGE_RE = /^\s*-{3,}\s*Original Message\s*-{3,}\s*$/i;

/** An Outlook-style quote ("-----Original Message-----", or a "From:" line followed by "Sent:")
 * somewhere before line `end`, past the top of the body (where in-body headers would be). */
function outlookQuoteBefore(lines: string[], end: number): boolean {
  let firstText = 0;
  while (firstText < end && lines[firstText].trim() === "") firstText++;
  for (let k = firstText; k < end; k++) {
    if (ORIGINAL_MESSAGE_RE.test(lines[k])) return true;
    if (k > firstText && /^From: \S/.test(lines[k])) {
      for (let n = k + 1; n < Math.min(end, k + 3); n++) if (/^Sent: \S/.test(lines[n])) return true;
    }
  }
  return false;
}

const PULL_RE = /^\s*are available in the git repository at:?\s*$/i;

/** `git request-pull` output: "are available in the Git repository at:" (unquoted, so not a reply quoting one) */
function isPullRequest(lines: string[]): boolean {
  for (const l of lines) if (l.length < 60 && PULL_RE.test(l)) return true;
  return false;
}

function isPatchAttachment(a: SplitAttachment): boolean {
  if (typeof a.text !== "string" || a.text === "") return false;
  const ct = a.contentType.toLowerCase();
  const name = (a.filename ?? "").toLowerCase();
  return ct.startsWith("text/") || /(patch|diff)/.test(ct) || /\.(patch|diff)$/.test(name);
}

/** Splits a patch mail. See the file comment for what each field holds. */
export function splitPatchMail(input: SplitInput, opts: SplitOptions = {}): PatchMail {
  const scissors = opts.scissors !== false;
  const body = splitText(typeof input.body === "string" ? input.body : "", { scissors, formatPatchFrom: true });
  const atts = input.attachments ?? [];

  // attachments that hold a diff
  const attSplits: { index: number; sp: TextSplit }[] = [];
  atts.forEach((a, index) => {
    if (!isPatchAttachment(a)) return;
    const sp = splitText(a.text!, { scissors, formatPatchFrom: true });
    if (sp.diff) attSplits.push({ index, sp });
  });

  if (isPullRequest(body.lines)) {
    const mail = fromSplit(body, input.subject, { part: "body" });
    mail.kind = "pull-request";
    mail.otherPatchAttachments = attSplits.map((a) => a.index);
    return mail;
  }

  if (body.diff && outlookQuoteBefore(body.lines, body.diff.startLine)) {
    // a top-posted reply that carries the original patch below an "-----Original Message-----"
    // block: the diff is the quoted message's, not this one's
    const mail = fromSplit(body, input.subject, { part: "body" });
    mail.kind = "quoted";
    mail.otherPatchAttachments = attSplits.map((a) => a.index);
    return mail;
  }

  if (body.diff) {
    const mail = fromSplit(body, input.subject, { part: "body" });
    mail.inline = looksInline(body, mail, input.subject);
    mail.kind = mail.inline ? "inline" : "patch";
    mail.isPatch = !mail.inline;
    mail.otherPatchAttachments = attSplits.map((a) => a.index);
    return mail;
  }

  if (attSplits.length) {
    const { index, sp } = attSplits[0];
    const att = atts[index];
    const fromAtt = fromSplit(sp, input.subject, { part: "attachment", index, filename: att.filename });
    // the commit message: the attachment's own (a format-patch file, or prose above its diff),
    // else the body's
    const ownMessage = sp.inBodyHeaders !== null || sp.message !== null;
    const bodyMail = fromSplit(body, input.subject, { part: "body" });
    const cover = trimEdges(body.lines).join("\n");
    if (!ownMessage) {
      fromAtt.commitMessage = bodyMail.commitMessage;
      fromAtt.trailers = bodyMail.trailers;
      // message/trailer ranges then refer to the body: keep them out of the attachment's parts
      fromAtt.parts.message = null;
      fromAtt.parts.trailers = null;
      if (!fromAtt.inBodySubject && bodyMail.inBodySubject) {
        fromAtt.inBodySubject = bodyMail.inBodySubject;
        fromAtt.subject = bodyMail.subject;
        fromAtt.title = bodyMail.title;
      }
      fromAtt.inBodyFrom ??= bodyMail.inBodyFrom;
      fromAtt.inBodyDate ??= bodyMail.inBodyDate;
    } else {
      fromAtt.coverNote = cover || null;
    }
    // a reply with quotes that attaches a diff is a suggestion too
    let quoted = false;
    for (const l of body.lines) if (l.startsWith(">")) quoted = true;
    const signed = fromAtt.trailers.some((t) => t.key !== null && /^Signed-off-by$/i.test(t.key));
    fromAtt.inline = !ownMessage && quoted && !signed;
    fromAtt.kind = fromAtt.inline ? "inline" : "attachment";
    fromAtt.isPatch = !fromAtt.inline;
    fromAtt.otherPatchAttachments = attSplits.slice(1).map((a) => a.index);
    return fromAtt;
  }

  const mail = fromSplit(body, input.subject, { part: "body" });
  mail.kind = hasQuotedDiff(body.lines) ? "quoted" : "none";
  return mail;
}

/** True for a mail that submits a patch (in the body or an attachment), not for replies that quote or suggest one. */
export function isPatchMail(input: SplitInput, opts: SplitOptions = {}): boolean {
  return splitPatchMail(input, opts).isPatch;
}
