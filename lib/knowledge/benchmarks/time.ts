// time(1) output: bash, POSIX -p, GNU default and -v, zsh.

import { contextAbove, type Ctx, mark, strip } from "./context";
import { round, suiteIn, testIn } from "./metrics";

function seconds(s: string): number | undefined {
  // "1:02:03.4", "2:04.04", "0m12.345s", "12.34s", "12.34"
  let m = /^(\d+)m([\d.]+)s$/.exec(s);
  if (m) return round(Number(m[1]) * 60 + Number(m[2]), 3);
  m = /^(?:(\d+):)?(\d+):([\d.]+)$/.exec(s);
  if (m) return round((m[1] ? Number(m[1]) * 3600 : 0) + Number(m[2]) * 60 + Number(m[3]), 3);
  m = /^([\d.]+)s?$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** The command a time(1) output measured: the nearest command-looking line above it. */
function timedCommand(ctx: Ctx, i: number, sameLine?: string): string | undefined {
  if (sameLine && sameLine.trim()) return sameLine.trim();
  for (let k = i - 1; k >= 0 && k >= i - 4; k--) {
    const t = ctx.own[k].text.trim();
    if (!t) continue;
    if (/^(?:[$#%>]\s+|\.\/|time\s|sudo\s|perf\s|make\s|\/usr\/bin\/time|\S+\.sh\b|\S+\/\S+\s+-)/.test(t) || /run-mmtests|--config\b/.test(t)) return t.replace(/^[$#%>]\s+/, "");
  }
  return undefined;
}

function timeSuite(cmd: string | undefined, ctx: Ctx, i: number): { suite: string; test?: string } {
  const around = (cmd ?? "") + "\n" + contextAbove(ctx, i, 4);
  const t = testIn(around);
  if (t) return { suite: t.suite, test: t.test };
  if (/run-mmtests/.test(around)) return { suite: "mmtests" };
  const s = cmd ? suiteIn(cmd) : undefined;
  return s ? { suite: s } : { suite: "time" };
}

export function timeOutput(ctx: Ctx): void {
  const own = ctx.own;
  const emit = (i: number, last: number, metrics: [string, number | undefined, string][], method: string, cmd: string | undefined) => {
    const st = timeSuite(cmd, ctx, i);
    for (const [metric, value, unit] of metrics) {
      if (value === undefined) continue;
      ctx.out.push(strip({ suite: st.suite, test: st.test, metric, value, unit, direction: null, config: cmd ? { command: cmd } : undefined, lines: [own[i].line, own[last].line] as [number, number], method, confidence: 0.9, quote: own.slice(i, last + 1).map((l) => l.text.trim()).join("\n") }));
    }
    mark(ctx, i, last);
  };
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i)) continue;
    const t = own[i].text;
    let m: RegExpExecArray | null;
    // zsh: "39.35s user 445.45s system 390% cpu 124.04s (2:04.04) total" (the command may lead the line)
    if ((m = /^(.*?)\s*([\d.]+)s user\s+([\d.]+)s system\s+(\d+)% cpu\s+(?:([\d.]+)s\s+\(([\d:.]+)\)|([\d:.]+))\s+total\s*$/.exec(t))) {
      const elapsed = m[5] ? Number(m[5]) : seconds(m[7]);
      emit(i, i, [["user", Number(m[2]), "s"], ["system", Number(m[3]), "s"], ["cpu", Number(m[4]), "%"], ["elapsed", elapsed, "s"]], "time", timedCommand(ctx, i, m[1]));
      continue;
    }
    // GNU default: "1.23user 0.12system 0:12.34elapsed 95%CPU (0avgtext+0avgdata 1234maxresident)k"
    if ((m = /^(.*?)\s*([\d.]+)user\s+([\d.]+)system\s+([\d:.]+)elapsed\s+(\d+)%CPU(?:\s+\(\d+avgtext\+\d+avgdata\s+(\d+)maxresident\)k)?/.exec(t))) {
      const n = ctx.out.length;
      emit(i, i, [["user", Number(m[2]), "s"], ["system", Number(m[3]), "s"], ["elapsed", seconds(m[4]), "s"], ["cpu", Number(m[5]), "%"], ["maxrss", m[6] ? Number(m[6]) : undefined, "KiB"]], "time", timedCommand(ctx, i));
      // "Base 6.9.0 : 0.07user …": the label says which kernel was timed
      const label = m[1].replace(/[:=-]\s*$/, "").trim();
      if (label) for (const b of ctx.out.slice(n)) b.variant = label;
      continue;
    }
    // one line: "before: real 0m10.2s user 0m0.1s sys 0m9.8s" (a label may lead)
    if ((m = /^([^\d]{0,40}?)\s*\breal:?\s+(\d+m[\d.]+s|[\d.]+s?)\s*[,;]?\s+user:?\s+(\d+m[\d.]+s|[\d.]+s?)\s*[,;]?\s+sys:?\s+(\d+m[\d.]+s|[\d.]+s?)\s*$/.exec(t))) {
      const n = ctx.out.length;
      emit(i, i, [["elapsed", seconds(m[2]), "s"], ["user", seconds(m[3]), "s"], ["system", seconds(m[4]), "s"]], "time", timedCommand(ctx, i));
      const label = m[1].replace(/[:=-]\s*$/, "").trim();
      if (label) for (const b of ctx.out.slice(n)) b.variant = label;
      continue;
    }
    // bash / POSIX: real / user / sys on three lines (a label may lead the first: "before: real …")
    if ((m = /^(?:[^\d]{0,40}?[:=-])?\s*real\s+(\d+m[\d.]+s|[\d.]+)\s*$/.exec(t)) && i + 2 < own.length) {
      const u = /^\s*user\s+(\d+m[\d.]+s|[\d.]+)\s*$/.exec(own[i + 1].text);
      const s = /^\s*sys\s+(\d+m[\d.]+s|[\d.]+)\s*$/.exec(own[i + 2].text);
      if (u && s) {
        emit(i, i + 2, [["elapsed", seconds(m[1]), "s"], ["user", seconds(u[1]), "s"], ["system", seconds(s[1]), "s"]], "time", timedCommand(ctx, i));
        i += 2;
        continue;
      }
    }
    // GNU time -v
    if (/^\s*Command being timed:/.test(t) || (/^\s*User time \(seconds\):/.test(t) && !ctx.used.has(i))) {
      const metrics: [string, number | undefined, string][] = [];
      let cmd: string | undefined;
      let j = i;
      for (; j < own.length; j++) {
        const r = own[j].text.trim();
        let v: RegExpExecArray | null;
        if ((v = /^Command being timed:\s*"?(.*?)"?$/.exec(r))) cmd = v[1];
        else if ((v = /^User time \(seconds\):\s*([\d.]+)/.exec(r))) metrics.push(["user", Number(v[1]), "s"]);
        else if ((v = /^System time \(seconds\):\s*([\d.]+)/.exec(r))) metrics.push(["system", Number(v[1]), "s"]);
        else if ((v = /^Percent of CPU this job got:\s*(\d+)%/.exec(r))) metrics.push(["cpu", Number(v[1]), "%"]);
        else if ((v = /^Elapsed \(wall clock\) time(?: \([^)]*\))?:\s*([\d:.]+)/.exec(r))) metrics.push(["elapsed", seconds(v[1]), "s"]);
        else if ((v = /^Maximum resident set size \(kbytes\):\s*(\d+)/.exec(r))) metrics.push(["maxrss", Number(v[1]), "KiB"]);
        else if (/^[A-Z][\w ()/-]+:\s*\S/.test(r)) continue;
        else break;
      }
      if (metrics.length) {
        emit(i, j - 1, metrics, "time-v", cmd ?? timedCommand(ctx, i));
        i = j - 1;
      }
    }
  }
}
