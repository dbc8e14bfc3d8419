// The search syntax as data: for the search page's help and for the README. Built from the
// prefix table (fields.ts) so the help cannot drift from what the parser accepts; every
// example here is parsed by the tests.

import { FACET_MEANINGS, HAS_VALUES, IS_VALUES, PREFIXES } from "./fields";
import { MAX_QUERY_LENGTH, MAX_TERMS, MIN_WILDCARD_PREFIX } from "./query-ast";

export type HelpGroup = "headers" | "body" | "diff" | "ids" | "dates" | "patchlore" | "syntax";

export interface HelpEntry {
  /** what is typed: "s:", "dfhh:", "AND", "\"...\"" */
  prefix: string;
  meaning: string;
  example: string;
  /** lore.kernel.org accepts it with the same meaning */
  lore: boolean;
  group: HelpGroup;
  /** other spellings of the same prefix; `lore: false` for patchlore's own (file:, func:) */
  aliases: { prefix: string; lore: boolean }[];
}

const GROUP_OF: Record<string, HelpGroup> = {
  s: "headers",
  f: "headers",
  t: "headers",
  c: "headers",
  tc: "headers",
  a: "headers",
  l: "headers",
  b: "body",
  bs: "body",
  nq: "body",
  q: "body",
  n: "body",
  dfn: "diff",
  dfa: "diff",
  dfb: "diff",
  dfhh: "diff",
  dfctx: "diff",
  dfpre: "diff",
  dfpost: "diff",
  dfblob: "diff",
  patchid: "diff",
  m: "ids",
  mid: "ids",
  lid: "ids",
  references: "ids",
  thread: "ids",
  d: "dates",
  rt: "dates",
  is: "patchlore",
  has: "patchlore",
  v: "patchlore",
  by: "patchlore",
  reviewer: "patchlore",
};

/** One entry per prefix (aliases folded into their prefix), in the order of fields.ts. */
export const PREFIX_HELP: readonly HelpEntry[] = PREFIXES.filter((p) => !p.aliasOf).map((p) => ({
    prefix: `${p.prefix}:`,
    meaning: p.meaning,
    example: p.example,
    lore: p.lore,
    group: GROUP_OF[p.prefix] ?? "patchlore",
    aliases: PREFIXES.filter((a) => a.aliasOf === p.prefix).map((a) => ({ prefix: `${a.prefix}:`, lore: a.lore })),
  }));

/** The aliases as entries of their own (file:, func:, refs:, dt:, tcf:), for a full table. */
export const ALIAS_HELP: readonly HelpEntry[] = PREFIXES.filter((p) => p.aliasOf).map((p) => ({
  prefix: `${p.prefix}:`,
  meaning: p.meaning,
  example: p.example,
  lore: p.lore,
  group: GROUP_OF[p.aliasOf!] ?? "patchlore",
  aliases: [],
}));

export const SYNTAX_HELP: readonly HelpEntry[] = [
  { prefix: "word word", meaning: "both words (juxtaposition means AND, lore's default)", example: "mmc_blk_issue_rq timeout", lore: true, group: "syntax", aliases: [] },
  { prefix: "AND", meaning: "both sides", example: "s:regression AND dfn:mm/memory.c", lore: true, group: "syntax", aliases: [] },
  { prefix: "OR", meaning: "either side; binds loosest: a OR b c means a OR (b AND c)", example: "s:folio OR s:page", lore: true, group: "syntax", aliases: [] },
  { prefix: "NOT", meaning: "the left side without the right (a NOT b = a AND NOT b)", example: "s:mmc NOT s:sdhci", lore: true, group: "syntax", aliases: [] },
  { prefix: "XOR", meaning: "one side or the other, not both", example: "dfb:vm_write_begin XOR dfa:vm_write_begin", lore: true, group: "syntax", aliases: [] },
  { prefix: "-word", meaning: "exclude: must not match (a query of only exclusions is refused)", example: "s:hugetlb -s:RFC", lore: true, group: "syntax", aliases: [] },
  { prefix: "+word", meaning: "must match (the default already)", example: "+folio +s:migrate", lore: true, group: "syntax", aliases: [] },
  { prefix: "( )", meaning: "grouping; a prefix before parentheses applies inside: s:(folio OR page)", example: "(s:folio OR s:page) d:last.month..", lore: true, group: "syntax", aliases: [] },
  { prefix: '"..."', meaning: "a phrase: these words in this order; works after a prefix", example: 's:"use after free"', lore: true, group: "syntax", aliases: [] },
  { prefix: "word*", meaning: `words starting with it (at least ${MIN_WILDCARD_PREFIX} characters before the *)`, example: "dfhh:mmc_blk*", lore: true, group: "syntax", aliases: [] },
  { prefix: "NEAR, ADJ", meaning: "words within 10 (or N with NEAR/N) words of each other; ADJ keeps their order", example: "folio NEAR/3 migrate", lore: true, group: "syntax", aliases: [] },
  { prefix: "A..B", meaning: "a date range for d: and rt:; either end may be left out; both ends are included", example: "d:2.weeks.ago..1.week.ago", lore: true, group: "syntax", aliases: [] },
  { prefix: "identifiers", meaning: "code stays whole: vm_write_begin, __GFP_NOWARN, 0x1f, do_wp_page() are one word each; mm/memory.c is the phrase of its parts, as in lore", example: "dfhh:do_wp_page()", lore: true, group: "syntax", aliases: [] },
  { prefix: "struct name", meaning: "struct/union/enum followed by a name is the phrase \"struct name\" (lore would AND the two words)", example: "dfb:(struct page)", lore: false, group: "syntax", aliases: [] },
];

export const DATE_HELP: readonly { form: string; meaning: string }[] = [
  { form: "2023-01-31, 2023/01/31, 20230131", meaning: "that day (UTC)" },
  { form: "20230131120000, 2023-01-31T12:00:00Z", meaning: "that second (d: keeps the time; add .. for a range)" },
  { form: "2023-01, march, march.2022, 2023", meaning: "that month or year (a month to come means last year's)" },
  { form: "yesterday, today, last.friday, friday", meaning: "that day" },
  { form: "2.days.ago, 3.weeks.ago, last.week, last.month, 1.year.2.months.ago, two.weeks.ago", meaning: "that moment; d: widens it to its day, as lore does" },
  { form: "noon, midnight, tea, yesterday.noon", meaning: "that time of day (12:00, 00:00, 17:00), today or the day before" },
  { form: "d:A..B, d:A.., d:..B", meaning: "from the start of A through the end of B; B's day is included, as in lore" },
  { form: "d:X (no ..)", meaning: "the whole day, month or year X names; a moment X means X to X + 1 day" },
];

export const LIMITS_HELP: readonly string[] = [
  `A query is at most ${MAX_QUERY_LENGTH} characters and ${MAX_TERMS} terms.`,
  "Upper-case AND, OR, NOT, XOR, NEAR and ADJ are operators; in lower case they are searched as words, as in lore.",
  "Prefixes are written in lower case in lore; here S: and s: mean the same.",
];

/** A query that puts a facet to use, where the facet alone says little; the facet itself otherwise. */
const FACET_EXAMPLES: Partial<Record<string, string>> = {
  "is:nacked": "is:nacked is:latest",
  "is:merged": "is:merged dfn:mm/vmscan.c",
  "is:applied": "is:applied is:cover d:last.year..",
  "is:changes-requested": "is:changes-requested f:akpm@linux-foundation.org",
  "is:decision": "is:decision -is:applied l:linux-mm",
  "has:benchmark": "has:benchmark is:patch",
};

export const FACET_HELP: readonly { facet: string; meaning: string; example: string }[] = [
  ...IS_VALUES.map((v) => ({ facet: `is:${v}`, meaning: FACET_MEANINGS[v] })),
  ...HAS_VALUES.map((v) => ({ facet: `has:${v}`, meaning: FACET_MEANINGS[v] })),
].map((f) => ({ ...f, example: FACET_EXAMPLES[f.facet] ?? f.facet }));

/** Every entry: prefixes first, then the syntax. */
export const SEARCH_HELP: readonly HelpEntry[] = [...PREFIX_HELP, ...SYNTAX_HELP];

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The help as Markdown tables, for the README (`lore` column: does lore.kernel.org accept it). */
export function helpMarkdown(): string {
  const lines: string[] = [];
  lines.push("| prefix | meaning | example | lore |", "| --- | --- | --- | --- |");
  for (const e of PREFIX_HELP) {
    const names = [`\`${e.prefix}\``, ...e.aliases.map((a) => `\`${a.prefix}\`${a.lore === e.lore ? "" : a.lore ? " (lore)" : " (patchlore)"}`)].join(", ");
    lines.push(`| ${names} | ${cell(e.meaning)} | \`${cell(e.example)}\` | ${e.lore ? "yes" : "no"} |`);
  }
  lines.push("", "| syntax | meaning | example | lore |", "| --- | --- | --- | --- |");
  for (const e of SYNTAX_HELP) {
    lines.push(`| \`${cell(e.prefix)}\` | ${cell(e.meaning)} | \`${cell(e.example)}\` | ${e.lore ? "yes" : "no"} |`);
  }
  lines.push("", "| date form | meaning |", "| --- | --- |");
  for (const d of DATE_HELP) lines.push(`| \`${cell(d.form)}\` | ${cell(d.meaning)} |`);
  lines.push("", "| facet | meaning | example |", "| --- | --- | --- |");
  for (const f of FACET_HELP) lines.push(`| \`${f.facet}\` | ${cell(f.meaning)} | \`${cell(f.example)}\` |`);
  lines.push("", ...LIMITS_HELP.map((l) => `- ${l}`));
  return lines.join("\n") + "\n";
}
