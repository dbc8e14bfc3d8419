// Per-message knowledge: design ideas, decisions, benchmark figures and robot reports found in
// one message. Pure and independent of every other message, so it runs in the per-message
// (worker) stage of the pipeline; linking the results to proposals, series, patches and commits
// is a later, cross-message pass.
//
//   analyzeKnowledge({ subject, from, body, isCover, isRfc })
//     -> { ideas, decisions, benchmarks, report }
//
// Every item carries its provenance (lines in the body, method, confidence, the matched text).

import { findBenchmarks, reportOf, type Benchmark, type RobotReport } from "./benchmarks";
import { findConcerns, robotConcerns } from "./concerns";
import { findDecisions, type Decision } from "./decisions";
import { findIdeas, type Idea } from "./ideas";
import { messageText } from "./text";
import type { MessageText } from "./types";

export * from "./types";
export { findIdeas, type Idea, type IdeaKind, type IdeaOptions } from "./ideas";
export { findConcerns, robotConcerns, type ConcernOptions } from "./concerns";
export { findDecisions, type Decision, type DecisionKind, type DecisionOptions } from "./decisions";
export {
  findBenchmarks,
  reportOf,
  betterWhen,
  parseNumber,
  parseLkpRow,
  lkpSubject,
  type Benchmark,
  type BenchmarkDirection,
  type BenchmarkOptions,
  type RobotReport,
  type RobotReportKind,
  type ReportInput,
} from "./benchmarks";
export { messageText, paragraphs, sentences, identifiers, firstSentence } from "./text";

export interface KnowledgeInput {
  /** the Subject header as decoded (ParsedMail.subject) */
  subject: string;
  /** the sender (ParsedMail.from), or a display string "Name <addr>" */
  from: { name: string; address: string } | string;
  /** the text/plain body (ParsedMail.text) */
  body: string;
  /** a cover letter (patch 0/N, or the series logic's cover) */
  isCover?: boolean;
  /** an RFC (SubjectInfo.isRfc) */
  isRfc?: boolean;
  /** a reply; defaults to what the subject says */
  isReply?: boolean;
  /** the author's own lines when the caller already has them (messageText(body, tree) on a body tree it built); else built from body */
  text?: MessageText;
}

export interface KnowledgeResult {
  ideas: Idea[];
  decisions: Decision[];
  benchmarks: Benchmark[];
  /** set when the message is a kernel test robot report */
  report: RobotReport | null;
}

function display(from: KnowledgeInput["from"]): string {
  if (typeof from === "string") return from;
  if (from.name && from.address) return `${from.name} <${from.address}>`;
  return from.name || from.address;
}

/** Everything lib/knowledge finds in one message. */
export function analyzeKnowledge(input: KnowledgeInput): KnowledgeResult {
  const mt = input.text ?? messageText(input.body);
  const report = reportOf({ subject: input.subject, from: input.from, body: mt });
  const benchmarks = findBenchmarks(mt, { subject: input.subject, robot: report !== null });
  // a robot's report proposes and decides nothing: its template text must not become ideas; the
  // diagnostics (or the regression) it reports are its concerns
  if (report) return { ideas: robotConcerns(mt, report), decisions: [], benchmarks, report };
  const ideas = findIdeas(mt, { subject: input.subject, isCover: input.isCover, isRfc: input.isRfc, isReply: input.isReply });
  ideas.push(...findConcerns(mt, { subject: input.subject, isCover: input.isCover, isReply: input.isReply }));
  ideas.sort((a, b) => a.lines[0] - b.lines[0]);
  const decisions = findDecisions(mt, { from: display(input.from), isReply: input.isReply ?? /^\s*(?:re|aw|sv)\s*:/i.test(input.subject), isCover: input.isCover });
  return { ideas, decisions, benchmarks, report };
}
