// Per-message analysis: the pure, parallelizable part of the pipeline after MIME parsing.
// Everything here depends on one message only; cross-message facts (series, versions, review
// threads, which series a decision closes) are computed later from what this stores.
import type { ParsedMail } from "../mail/types";
import { splitPatchMail, type PatchMail } from "../patch/split";
import { patchId } from "../patch/patchid";
import { parseSubject, type SubjectInfo } from "../series/subject";
import { extractBodyFacts, type BodyFacts } from "../series/body";
import { analyzeKnowledge, type KnowledgeResult } from "../knowledge";

export interface MessageAnalysis {
  subject: SubjectInfo;
  facts: BodyFacts;
  /** the diff the message carries as a submission (patch, attachment) or inside a reply (inline) */
  patch: (PatchMail & { patchId: string | null }) | null;
  /** design ideas, decisions, benchmark figures and the robot report the message holds (lib/knowledge) */
  knowledge: MessageKnowledge;
}

export interface MessageKnowledge extends KnowledgeResult {
  /** the analyzer failed on this message: nothing is stored for it, the message itself still is */
  error?: string;
}

/** What lib/knowledge reads of a message: from ParsedMail at ingest, from the stored row at reindex. */
export interface KnowledgeSource {
  subject: string;
  from: { name: string; address: string };
  /** the text/plain body */
  text: string;
  /** the subject starts with a reply marker */
  isReply: boolean;
  inReplyTo: string | null;
}

/**
 * lib/knowledge on one message. A reply is what the subject says (Re:) or a message answering
 * another (In-Reply-To) that is not itself a patch, cover letter or pull request (patches answer
 * their cover letter without being replies). Never throws: an analyzer failure is recorded in
 * `error` and yields nothing.
 */
export function knowledgeOf(m: KnowledgeSource, subject: SubjectInfo = parseSubject(m.subject)): MessageKnowledge {
  const isReply = m.isReply || subject.isReply || (m.inReplyTo !== null && !subject.isPatch && !subject.isCoverSubject && !subject.isPull);
  try {
    return analyzeKnowledge({ subject: m.subject, from: m.from, body: m.text, isCover: subject.isCoverSubject, isRfc: subject.isRfc, isReply });
  } catch (e) {
    return { ideas: [], decisions: [], benchmarks: [], report: null, error: String((e as Error)?.message ?? e).slice(0, 500) };
  }
}

export function analyzeMessage(p: ParsedMail): MessageAnalysis {
  const subject = parseSubject(p.subject);
  const facts = extractBodyFacts(p.text);
  const split = splitPatchMail({
    subject: p.subject,
    body: p.text,
    attachments: p.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, text: a.text })),
  });
  const carriesDiff = split.diff !== null && split.diff.files.length > 0 && (split.kind === "patch" || split.kind === "attachment" || split.kind === "inline");
  return {
    subject,
    facts,
    patch: carriesDiff ? { ...split, patchId: patchId(split.diff!) } : null,
    knowledge: knowledgeOf(p, subject),
  };
}
