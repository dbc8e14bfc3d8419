// Kernel test robot (LKP / kbuild) reports: which kind of report a mail is, the commit and
// the test it is about, and its headline figure.

import type { MessageText, Provenance } from "../types";
import { LKP_SUBJECT, noticedAt, signedChange } from "./lkp";
import type { BenchmarkDirection } from "./types";

export type RobotReportKind = "performance" | "build-error" | "build-warning" | "build-summary" | "static-analysis" | "runtime" | "other";

export interface RobotReport extends Provenance {
  /** always "kernel test robot" today (LKP / 0-day) */
  robot: "kernel test robot";
  kind: RobotReportKind;
  /** the commit the report is about: the full id when the body gives it, else the short one of the subject */
  commit?: string;
  commitTitle?: string;
  /** "linux-next:master", "axboe-block:for-next" (the subject's first bracket) */
  tree?: string;
  /** build reports: the patch the robot tested ("patch link: https://lore.kernel.org/r/<msgid>"), as a Message-ID */
  patchMsgid?: string;
  /** build reports: what the patch was applied on ("base: linus/master", a commit id) */
  base?: string;
  /** the report's own id in the 0-day archive / lore ("202403051432.7c1d9e0f-lkp@intel.com") */
  reportId?: string;
  /** performance reports: the headline */
  suite?: string;
  metric?: string;
  change?: number;
  direction?: BenchmarkDirection;
}

export interface ReportInput {
  subject: string;
  /** the sender */
  from: { name: string; address: string } | string;
  /** the body, or its MessageText (own lines) when the caller has one */
  body: string | MessageText;
}

const ROBOT_NAME = /\b(?:kernel|kbuild) test robot\b/i;
const ROBOT_ADDR = /^lkp@intel\.|^(?:kernel-test-robot|lkp)@/i;
/** "[linux-next:master] [mm/vmscan]  3f2a1b9c8d: vm-scalability.throughput 12.4% improvement" */

function fromString(f: ReportInput["from"]): { name: string; address: string } {
  if (typeof f !== "string") return f;
  const m = /^(.*?)\s*<([^>]+)>\s*$/.exec(f);
  return m ? { name: m[1].replace(/^"|"$/g, ""), address: m[2].toLowerCase() } : { name: f, address: f.includes("@") ? f.toLowerCase() : "" };
}

/**
 * Whether the message is a kernel test robot report, what kind, and which commit (and, for build
 * reports, which patch) it is about, so the caller can link it to its patch and series.
 */
export function reportOf(m: ReportInput): RobotReport | null {
  const from = fromString(m.from);
  const mt = typeof m.body === "string" ? null : m.body;
  const text = mt ? mt.text : (m.body as string);
  const own = mt ? mt.ownLines : text.replace(/\r\n?/g, "\n").split("\n").map((t, i) => ({ line: i + 1, text: t })).filter((l) => !l.text.startsWith(">"));
  const ownText = own.map((l) => l.text).join("\n");
  const byName = ROBOT_NAME.test(from.name) || ROBOT_ADDR.test(from.address);
  const byBody = /^(?:kernel test robot noticed|FYI, we noticed|Greeting,\s*$)/m.test(ownText) && /0-DAY (?:CI Kernel Test Service|kernel test infrastructure)|lkp-tests|Kernel Test Service/i.test(text);
  if (!byName && !byBody) return null;

  const subj = m.subject.replace(/\s+/g, " ");
  const out: RobotReport = { robot: "kernel test robot", kind: "other", lines: [0, 0], method: byName ? "robot:from" : "robot:body", confidence: byName ? 0.98 : 0.8, quote: subj };
  const tree = /\[([\w.-]+:[\w./-]+)(?:\s+\d+\/\d+)?\]/.exec(subj);
  if (tree) out.tree = tree[1];

  const ls = LKP_SUBJECT.exec(subj);
  let noticed: { line: number; text: string; m: RegExpExecArray; last: number } | undefined;
  for (let i = 0; i < own.length && !noticed; i++) {
    const n = noticedAt(own, i);
    if (n) noticed = { line: own[i].line, text: n.m.input, m: n.m, last: own[n.last].line };
  }
  // the comparison tables may follow the robot's "-- " (not its own lines then): any unquoted line
  const hasTable = /%stddev\s+%?change\s+%stddev/.test(text) && text.split("\n").some((l) => !/^\s{0,3}>/.test(l) && /%stddev\s+%?change\s+%stddev/.test(l));
  if (ls || noticed || hasTable) {
    out.kind = "performance";
    if (ls) {
      out.commit = ls[1];
      out.suite = ls[2];
      out.metric = ls[3];
      out.change = signedChange(ls[4], ls[5], ls[3]);
      out.direction = ls[5] as BenchmarkDirection;
    } else if (noticed) {
      const n = noticed.m;
      out.suite = n[3];
      out.metric = n[4];
      out.change = signedChange(n[1], n[2], n[4]);
      out.direction = n[2] as BenchmarkDirection;
    }
    if (noticed) {
      out.lines = [noticed.line, noticed.last];
      out.quote = noticed.text.trim();
    }
  } else if (/\bBUILD (?:REGRESSION|SUCCESS)\b/.test(subj)) {
    out.kind = "build-summary";
    const c = /BUILD (?:REGRESSION|SUCCESS(?: WITH WARNING)?)\s+([0-9a-f]{7,40})/.exec(subj);
    if (c) out.commit = c[1];
  } else if (/\bcan be static\b|\bcan be made static\b|\b(?:sparse|smatch|coccinelle|cocci|checkpatch|Klocwork|clang-analyzer|kernel-doc|objtool|dtschema|dtbs_check)\b/i.test(subj) || /noticed the following (?:sparse|smatch|coccinelle)|\bsparse: |cocci(?:nelle)? warnings|smatch warnings:/.test(ownText)) {
    out.kind = "static-analysis";
  } else if (/noticed the following build errors|\bbuild errors?\b|All errors \(new ones prefixed by >>\)|\[auto build test ERROR|error: |undefined reference to|ERROR: modpost/.test(ownText + "\n" + subj)) {
    out.kind = "build-error";
  } else if (/noticed the following build warnings|\bbuild warnings?\b|All warnings \(new ones prefixed by >>\)|\[auto build test WARNING|warning: /.test(ownText + "\n" + subj)) {
    out.kind = "build-warning";
  } else if (/noticed "[^"]*"|\bBUG:|\bkernel BUG\b|\bWARNING:|\bOops\b|boot failed|kernel_panic|general protection|KASAN|UBSAN|\bdmesg\b/.test(ownText + "\n" + subj)) {
    out.kind = "runtime";
  }

  // the commit: "commit: <sha> ("title")" (performance, runtime), "commit: <sha>" in build reports
  for (const l of own) {
    const c = /^\s*commit:\s+([0-9a-f]{7,40})\b(?:\s+\("(.+)"\))?/.exec(l.text);
    if (c) {
      if (!out.commit || c[1].startsWith(out.commit) || out.commit.startsWith(c[1]) || out.kind !== "performance") out.commit = c[1];
      if (c[2]) out.commitTitle = c[2];
      if (out.lines[0] === 0) {
        out.lines = [l.line, l.line];
        out.quote = l.text.trim();
      }
      break;
    }
  }
  const pl = own.map((l) => /^\s*patch link:\s+https?:\/\/lore\.kernel\.org\/(?:[\w.-]+\/)?(?:r\/)?([^\s/]+(?:@|%40)[^\s/]+)/.exec(l.text)).find(Boolean);
  if (pl) out.patchMsgid = decodeURIComponent(pl[1]);
  const base = own.map((l) => /^\s*base:\s+(\S+)(?:\s+(\S+))?\s*$/.exec(l.text)).find(Boolean);
  if (base) out.base = base[2] && !/^https?:/.test(base[2]) && /^https?:/.test(base[1]) ? `${base[1]} ${base[2]}` : base[1];
  const rid = /(?:0day-ci\/archive\/\d+\/|lore\.kernel\.org\/oe-(?:lkp|kbuild-all)\/|Closes: https?:\/\/lore\.kernel\.org\/[\w-]+\/)([\w.+-]+@[\w.-]+)/.exec(ownText);
  if (rid) out.reportId = rid[1];
  if (!out.commit && ls) out.commit = ls[1];
  return out;
}
