// Claims in prose: "31.4% improvement on will-it-scale page_fault3", "reduces latency by
// 12%", "system time went down by about 16%", "drops from 12ms to 8ms".

import { paragraphs, sentences } from "../text";
import { type Ctx, strip } from "./context";
import { betterWhen, directionOf, NUM, parseNumber, pct, round, suiteIn, testIn } from "./metrics";
import type { BenchmarkDirection } from "./types";

const AMOUNT = String.raw`(?:about |around |roughly |approximately |nearly |almost |over |more than |up to |~\s?|≈\s?)?`;
const CLAIM_PCT = new RegExp(String.raw`(?<![\w.])([+-]?\d+(?:\.\d+)?)\s?%\s+(?:(?:performance|throughput|latency|speed|runtime|time|cpu|system time)\s+)?(improvements?|regressions?|speed-?ups?|slow-?downs?|gains?|boosts?|drops?|reductions?|increases?|decreases?|degradations?|better|worse|faster|slower|higher|lower|fewer|less|more)\b`, "i");
const CLAIM_BY = new RegExp(String.raw`\b(reduces?|reduced|reducing|cuts?|improves?|improved|improving|increases?|increased|speeds? up|sped up|boosts?|boosted|lowers?|lowered|decreases?|decreased|drops?|dropped|regress(?:es|ed)?|slows? down|slowed down|shrinks?|shrank)\s+(?:the\s+)?([\w/.'() -]{0,50}?)\s+by\s+` + AMOUNT + String.raw`([+-]?\d+(?:\.\d+)?)\s?%`, "i");
const CLAIM_SUBJ_BY = new RegExp(String.raw`\b((?:[\w/.()-]+\s){0,4}?[\w/.()-]+)\s+(improves?|improved|increases?|increased|rises?|rose|grows?|grew|drops?|dropped|decreases?|decreased|falls?|fell|shrinks?|shrank|regress(?:es|ed)?)\s+by\s+` + AMOUNT + String.raw`([+-]?\d+(?:\.\d+)?)\s?%`, "i");
const CLAIM_WENT = new RegExp(String.raw`\b((?:[\w/.()-]+\s){0,4}?[\w/.()-]+)\s+(?:went|goes|go|is|was|got|gets|has gone)\s+(down|up)\s+by\s+` + AMOUNT + String.raw`([+-]?\d+(?:\.\d+)?)\s?%`, "i");
const QTY = NUM + String.raw`(?:[kKMG](?![A-Za-z/]))?`;
const UNIT = String.raw`(%|ms|us|µs|ns|s|sec|seconds|MB\/s|GB\/s|MiB\/s|GiB\/s|ops\/s|IOPS)`;
const CLAIM_FROM_TO = new RegExp(String.raw`\b((?:[\w/.()&>-]+\s){0,8}?[\w/.()&>-]+)\s+(drops?|dropped|falls?|fell|goes|went|go|came|comes|rises?|rose|increases?|increased|decreases?|decreased|improves?|improved|is reduced|was reduced|are reduced|were reduced|reduces?|reduced|grows?|grew|shrinks?|shrank|changes?|changed)(?:\s+(?:down|up))?\s+from\s+(` + QTY + String.raw`)\s?` + UNIT + String.raw`?(?:\s+of\s+(?:the\s+)?[\w ]+?)?\s+to\s+(` + QTY + String.raw`)\s?` + UNIT + "?", "i");
const CLAIM_VERB_FROM_TO = new RegExp(String.raw`\b(cuts?|reduces?|reduced|brings? down|brought down|lowers?|lowered|improves?|improved|increases?|increased|raises?|raised|takes?|took)\s+(?:the\s+)?([\w/.()&>' -]{1,50}?)\s+from\s+(` + QTY + String.raw`)\s?` + UNIT + String.raw`?\s+to\s+(` + QTY + String.raw`)\s?` + UNIT + "?", "i");
/** a unit a measurement is written in (a figure without one is a count, a version, an address) */
const MUNIT = String.raw`(ms|msec|us|usec|µs|ns|s|sec|secs|seconds|min|MB\/s|MiB\/s|GB\/s|GiB\/s|KB\/s|kB\/s|KiB\/s|B\/s|ops\/s|ops\/sec|IOPS|iops|fps|mW|W|mA|uA|µA|Mbps|Gbps|Mbit\/s|Gbit\/s|%)(?![\w/])`;
const MQTY = String.raw`(\d+(?:\.\d+)?(?:[kKM](?![A-Za-z/]))?)`;
/** "boot time 1.9 s -> 1.78 s", "85 → 170 MB/s" */
const CLAIM_ARROW = new RegExp(MQTY + String.raw`\s?(?:` + MUNIT + String.raw`)?\s*(?:-{1,2}>|→|=>)\s*` + MQTY + String.raw`\s?` + MUNIT);
/** "(from 1.9s to 1.78s)" with no verb before "from": the units say it is a measurement */
const CLAIM_BARE_FROM_TO = new RegExp(String.raw`\bfrom\s+` + MQTY + String.raw`\s?(?:` + MUNIT + String.raw`)?\s+to\s+` + MQTY + String.raw`\s?` + MUNIT, "i");
/** "before: 85 MB/s, after: 170 MB/s", "without the patch 12.1 ms, with it 9.8 ms" */
const BA_BEFORE = String.raw`(?:before(?: (?:the |this )?(?:patch(?:es)?|series|change))?|without(?: (?:the |this )?(?:patch(?:es)?|series|change))?|w\/o(?: patch)?|vanilla|unpatched|baseline)`;
const BA_AFTER = String.raw`(?:after(?: (?:the |this )?(?:patch(?:es)?|series|change))?|with(?: (?:the |this )?(?:patch(?:es)?|series|change)| it)?|w\/(?: patch)?|patched)`;
const CLAIM_BA = new RegExp(String.raw`\b` + BA_BEFORE + String.raw`\s*[:=]?\s*(?:~\s?)?` + MQTY + String.raw`\s?(?:` + MUNIT + String.raw`)?\s*[,;/]?\s*(?:and\s+|vs\.?\s+)?` + BA_AFTER + String.raw`\s*[:=]?\s*(?:~\s?)?` + MQTY + String.raw`\s?` + MUNIT, "i");
/** what was measured, at the end of the words before a figure ("Boot time is reduced by about 120ms" -> "boot time") */
const MEASURE_WORD = /\b(?:time|latency|throughput|bandwidth|speed|rate|iops|power(?: consumption)?|current|consumption|duration|performance|read|write|reads|writes|randread|randwrite|score|runtime|overhead|fps)\b/gi;
const STOP = /^(?:the|a|an|this|that|these|patch|patches|series|change|with|without|my|our|its|on|in|of|is|are|was|for|and|so|but|it|we|i|now|then|here|after|before|to|from)$/i;
function measuredIn(s: string): string | undefined {
  let last: RegExpExecArray | null = null;
  for (const m of s.matchAll(MEASURE_WORD)) last = m as RegExpExecArray;
  if (!last) return undefined;
  const words = s.slice(0, last.index).trim().split(/\s+/).filter(Boolean);
  const keep: string[] = [];
  for (let k = words.length - 1; k >= 0 && keep.length < 2; k--) {
    const w = words[k].replace(/[,:;()]+$/, "");
    if (!w || STOP.test(w) || /[,:;()]$/.test(words[k])) break;
    keep.unshift(w);
  }
  return [...keep, last[0]].join(" ");
}
/** settings, not measurements: "timeout from 10 s to 20 s", "the delay -> 5 ms", "clock from 50 MHz" */
const SETTING = /\b(?:timeouts?|delays?|freq(?:uency)?|clocks?|intervals?|periods?|thresholds?|limits?|budgets?|voltages?|dividers?|defaults?|polling|sleep|msleep|udelay|usleep_range|jiffies|HZ)\b/i;

export const METRIC_WORDS = /\b(throughput|latency|tail latency|p99(?: latency)?|iops|bandwidth|system time|user time|elapsed time|run ?time|wall time|cpu time|cpu usage|memory usage|page faults?|faults\/sec|ops\/sec|ops|jobs-per-min|transactions|requests per second|cycles|cache misses|context switches|lock contention|contention)\b/i;
const LKP_TOKEN = /\b([a-z][a-z0-9]*(?:-[a-z0-9]+)+|fio|aim7|aim9|fsmark|hackbench|netperf|unixbench|sysbench|pft|kernbench|ebizzy|fxmark|dbench|tbench|lmbench|schbench|specjbb|blogbench|pgbench)\.([a-z][\w/-]*(?:\.[a-z][\w/-]*)*)\b/;

/** What every prose claim holds: a percentage or "from <number>" (checked per paragraph before its sentences are cut) */
export const PROSE_GATE = /\d\s?%|\bfrom\s+\d|->|→|=>|\b(?:before|without|w\/o|vanilla|unpatched|baseline)\b/i;

export function prose(ctx: Ctx): void {
  const own = ctx.own;
  const usedLines = new Set([...ctx.used].map((k) => own[k].line));
  const free = own.filter((l) => !usedLines.has(l.line));
  for (const p of paragraphs(free)) {
    if (!PROSE_GATE.test(p.text)) continue;
    for (const s of sentences(p)) {
      if (!PROSE_GATE.test(s.text)) continue;
      // one claim per clause: "this gives 12.4% improvement on X, and the time spent … drops from 38.7% to 6.2%"
      const clauses = s.text.split(/,\s+(?=(?:and|but|while|whereas|so)\s)|;\s+|:\s+(?=this|that|it|we|the)/i);
      for (const t of clauses) claim(ctx, s, t);
    }
  }
}

function claim(ctx: Ctx, s: { text: string; start: number; end: number }, t: string): void {
  if (!PROSE_GATE.test(t)) return;
  let change: number | undefined;
  let word: string | undefined;
  let metric: string | null = null;
  let baseline: number | undefined;
  let value: number | undefined;
  let unit: string | undefined;
  let m: RegExpExecArray | null;
  let kind = "";
  let measured = false;
  if ((m = CLAIM_BY.exec(t))) {
    kind = "by";
    const verb = m[1].toLowerCase();
    const n = Math.abs(Number(m[3]));
    const down = /^(?:reduc|cut|lower|decreas|drop|slow|shrink|shrank)/.test(verb);
    change = down ? -n : n;
    word = /^regress|^slow/.test(verb) ? "regression" : undefined;
    metric = m[2].trim() || null;
  } else if ((m = CLAIM_SUBJ_BY.exec(t))) {
    kind = "by";
    const verb = m[2].toLowerCase();
    const n = Math.abs(Number(m[3]));
    change = /^(?:drop|decreas|fall|fell|shrink|shrank)/.test(verb) ? -n : n;
    word = /^regress/.test(verb) ? "regression" : undefined;
    if (word) change = undefined;
    metric = lastWords(m[1]);
  } else if ((m = CLAIM_WENT.exec(t))) {
    kind = "went";
    change = (m[2].toLowerCase() === "down" ? -1 : 1) * Math.abs(Number(m[3]));
    metric = lastWords(m[1]);
  } else if ((m = CLAIM_PCT.exec(t))) {
    kind = "pct";
    const n = Number(m[1]);
    word = m[2].toLowerCase();
    const neg = /^(?:regression|slow|drop|reduction|decrease|degradation|worse|slower|lower|fewer|less)/.test(word);
    change = m[1].startsWith("-") || m[1].startsWith("+") ? n : neg ? -Math.abs(n) : Math.abs(n);
  } else if ((m = CLAIM_VERB_FROM_TO.exec(t))) {
    kind = "from-to";
    baseline = parseNumber(m[3]);
    value = parseNumber(m[5]);
    unit = m[4] ?? m[6];
    change = unit === "%" ? undefined : pct(baseline, value);
    metric = m[2].trim();
  } else if ((m = CLAIM_FROM_TO.exec(t))) {
    kind = "from-to";
    baseline = parseNumber(m[3]);
    value = parseNumber(m[5]);
    unit = m[4] ?? m[6];
    change = unit === "%" ? undefined : pct(baseline, value);
    metric = METRIC_WORDS.test(m[1]) ? lastWords(m[1]) : (measuredIn(m[1]) ?? lastWords(m[1]));
  } else if ((m = CLAIM_BA.exec(t)) || (m = CLAIM_ARROW.exec(t)) || (m = CLAIM_BARE_FROM_TO.exec(t))) {
    kind = m[0].includes("from") && !/^(?:before|without|w\/o|vanilla|unpatched|baseline)/i.test(m[0]) ? "from-to" : /->|→|=>/.test(m[0]) ? "arrow" : "before-after";
    if (/^\s*\d/.test(m[0]) || kind === "from-to") kind = /->|→|=>/.test(m[0]) ? "arrow" : "from-to";
    baseline = parseNumber(m[1]);
    value = parseNumber(m[3]);
    unit = m[4] ?? m[2];
    // "1.9s -> 1780 ms": both in the second unit
    if (m[2] && m[4] && m[2] !== m[4]) {
      const f: Record<string, number> = { s: 1, sec: 1, secs: 1, seconds: 1, ms: 1e-3, msec: 1e-3, us: 1e-6, usec: 1e-6, "µs": 1e-6, ns: 1e-9, min: 60 };
      if (f[m[2]] && f[m[4]] && baseline !== undefined) baseline = round((baseline * f[m[2]]) / f[m[4]], 6);
      else return;
    }
    change = unit === "%" ? undefined : pct(baseline, value);
    const before = t.slice(0, m.index);
    const words = measuredIn(before) ?? measuredIn(t);
    metric = words ? words : lastWords(before.replace(/\b(?:is|are|was|were|goes|went|improves?|improved|drops?|dropped|reduced|increased|from|to|by|about|around|[:,(])\s*$/gi, "").trim());
    if (!metric || SETTING.test(before.slice(-60))) return;
    // a quantity with a unit is a measurement, named or not
    measured = true;
  } else return;

  // the benchmark the sentence names
  const tok = LKP_TOKEN.exec(t);
  let suite: string | null = null;
  let test: string | undefined;
  if (tok && (suiteIn(tok[1]) || (tok[1].includes("-") && /\b(?:improvement|regression) of\b/i.test(t)))) {
    suite = suiteIn(tok[1]) ?? tok[1];
    metric = tok[2];
  } else {
    const tt = testIn(t) ?? testIn(s.text);
    suite = tt?.suite ?? suiteIn(t) ?? suiteIn(s.text) ?? null;
    if (tt?.test) test = tt.test;
    if (suite && !test) {
      const after = new RegExp(String.raw`\b` + suite.replace(/[-]/g, "[- ]") + String.raw`\s*(?:\(([\w-]+)\)|\s([a-z]+[_-]?[a-z0-9_-]*\d[\w-]*))`, "i").exec(t);
      if (after) test = after[1] ?? after[2];
    }
    if (suite && !test && tt?.test) test = tt.test;
  }
  if (!metric) metric = METRIC_WORDS.exec(t)?.[1]?.toLowerCase() ?? null;
  if (metric && metric.length > 60) metric = metric.slice(-60).replace(/^\S*\s/, "");
  if (!suite && !metric) return;
  // without a named benchmark, the thing measured must read like a measurement
  if (!suite && !measured && !(METRIC_WORDS.test(metric!) || betterWhen(metric!) !== 0)) return;
  if (kind === "from-to" && SETTING.test(metric!)) return;
  if (kind === "from-to" && !suite && /^(?:it|this|that|we|they|he|she|I)$/i.test(metric!.trim())) return;
  let direction: BenchmarkDirection = null;
  if (word && /^(?:improvement|speed-?up|gain|boost|better|faster)/.test(word)) direction = "improvement";
  else if (word && /^(?:regression|slow-?down|degradation|worse|slower)/.test(word)) direction = "regression";
  else direction = directionOf(metric, change ?? (baseline !== undefined && value !== undefined ? value - baseline : undefined));
  const cites = /kernel test robot|\bLKP\b|\b0-?day\b/i.test(t)
    ? "lkp"
    : (/<([^<>\s]+@[^<>\s]+)>/.exec(t)?.[1] ?? /https?:\/\/lore\.kernel\.org\/\S+/.exec(t)?.[0]);
  ctx.out.push(
    strip({
      suite,
      test,
      metric,
      value,
      baseline,
      unit,
      change: change !== undefined ? round(change) : undefined,
      direction,
      cites,
      lines: [s.start, s.end] as [number, number],
      method: `prose:${kind}`,
      confidence: suite ? 0.7 : 0.5,
      quote: s.text,
    }),
  );
}

/** The last few words of a noun phrase ("From the numbers it also looks like system time" -> "system time"). */
function lastWords(s: string): string | null {
  const metric = METRIC_WORDS.exec(s)?.[1];
  if (metric) return metric.toLowerCase();
  const w = s.trim().split(/\s+/);
  // drop a leading clause ("From the numbers it also looks like …") and articles
  let k = 0;
  for (let i = 0; i < w.length; i++) if (/^(?:like|that|and|so|then|but|which|where|while)$/i.test(w[i])) k = i + 1;
  const tail = w.slice(k).filter((x, i) => !(i === 0 && /^(?:the|a|an|our|its|their)$/i.test(x))).join(" ");
  return tail.length > 60 ? tail.slice(-60).replace(/^\S*\s/, "") : tail || null;
}
