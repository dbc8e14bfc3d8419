// Per-message analysis: the pure, parallelizable part of the pipeline after MIME parsing.
// Everything here depends on one message only; cross-message facts (series, versions, review
// threads) are computed later from what this stores.
import type { ParsedMail } from "../mail/types";
import { splitPatchMail, type PatchMail } from "../patch/split";
import { patchId } from "../patch/patchid";
import { parseSubject, type SubjectInfo } from "../series/subject";
import { extractBodyFacts, type BodyFacts } from "../series/body";

export interface MessageAnalysis {
  subject: SubjectInfo;
  facts: BodyFacts;
  /** the diff the message carries as a submission (patch, attachment) or inside a reply (inline) */
  patch: (PatchMail & { patchId: string | null }) | null;
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
  };
}
