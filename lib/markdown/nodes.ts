// mdast builders for mail text. Everything a mail says goes into text, inlineCode or code
// nodes, never into raw Markdown: remark-stringify escapes what would be markup (so "<script>",
// "*", "[x](y)" and "# " stay text, and no HTML from mail becomes live HTML on GitHub), and a
// code block's fence is longer than any backtick run inside it. Checked by parsing the output
// back (lib/markdown/markdown.test.ts).
//
// Two things GitHub does on top of GFM are defused in mail text: "@name" would notify a GitHub
// user and "#123" would cross-reference an issue of the repository the pull request is in, so a
// zero-width space (U+200B) follows the sign, as Dependabot does. Bidi controls (the "Trojan
// Source" characters) and C0 controls are made visible, as the pages do (app/_lib/format).

import type { BlockContent, Code, Emphasis, Heading, InlineCode, Link, List, ListItem, Paragraph, PhrasingContent, Strong, Text } from "mdast";

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const C0_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Bidi controls as "‹U+202E›", C0 controls (not tab or newline) as their Control Pictures. */
export function visible(s: string): string {
  return s
    .replace(BIDI_CONTROLS, (c) => `\u2039U+${c.charCodeAt(0).toString(16).toUpperCase()}\u203A`)
    .replace(C0_CONTROLS, (c) => String.fromCharCode(c === "\u007F" ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

const MENTION = /(^|[^A-Za-z0-9_`@/.+-])@([A-Za-z0-9][A-Za-z0-9-]*)/g;
const ISSUE_REF = /(^|[^A-Za-z0-9_&/#-])#(\d+)\b/g;

/** "@name" and "#123" that GitHub would act on, with a zero-width space after the sign. */
export function defuseGitHub(s: string): string {
  return s.replace(MENTION, "$1@\u200B$2").replace(ISSUE_REF, "$1#\u200B$2");
}

/** Mail text for a text node: controls visible, GitHub references defused. */
export function mailText(s: string): string {
  return defuseGitHub(visible(s));
}

/** A text node of mail text on one line (newlines and tabs become spaces). */
export const text = (s: string): Text => ({ type: "text", value: mailText(s.replace(/\s*[\r\n]+\s*/g, " ").replace(/\t/g, " ")) });
/** A text node of our own words (labels): taken as they are. */
export const label = (s: string): Text => ({ type: "text", value: s });
export const strong = (...children: PhrasingContent[]): Strong => ({ type: "strong", children });
export const emphasis = (...children: PhrasingContent[]): Emphasis => ({ type: "emphasis", children });
export const inlineCode = (s: string): InlineCode => ({ type: "inlineCode", value: visible(s.replace(/[\r\n]+/g, " ")) });
export const paragraph = (...children: PhrasingContent[]): Paragraph => ({ type: "paragraph", children });
export const heading = (depth: number, ...children: PhrasingContent[]): Heading => ({
  type: "heading",
  depth: Math.min(6, Math.max(1, depth)) as Heading["depth"],
  children,
});
export const link = (url: string, ...children: PhrasingContent[]): Link => ({ type: "link", url, children });
export const code = (value: string, lang: string | null = null): Code => ({ type: "code", lang, meta: null, value: visible(value) });
export const list = (items: BlockContent[][], ordered = false): List => ({
  type: "list",
  ordered,
  spread: false,
  children: items.map((children): ListItem => ({ type: "listItem", spread: false, children })),
});

/** Our separators between facts on one line. */
export const SEP = " · ";

/** Joins phrasing pieces with a separator label. */
export function joinPhrasing(parts: PhrasingContent[][], sep = SEP): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  parts.filter((p) => p.length).forEach((p, i) => {
    if (i) out.push(label(sep));
    out.push(...p);
  });
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2024-02-06 09:00 UTC" ("date unknown" without one). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "date unknown";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "date unknown";
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** **Name** <address> (the address alone when there is no name). */
export function person(p: { name: string; address: string } | null | undefined): PhrasingContent[] {
  if (!p || (!p.name && !p.address)) return [text("(unknown)")];
  if (!p.name) return [strong(text(p.address))];
  return p.address ? [strong(text(p.name)), text(` <${p.address}>`)] : [strong(text(p.name))];
}

const INDENTED = /^(?:\t| {4})/;

/**
 * Plain mail prose as blocks: paragraphs at blank lines, each line kept on its own (hard breaks,
 * as the mail showed it), and a block whose lines are all indented (code in the mail) as a code
 * block.
 */
export function prose(value: string): BlockContent[] {
  const out: BlockContent[] = [];
  const blocks = value.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/);
  for (const block of blocks) {
    const lines = block.split("\n").map((l) => l.replace(/[ \t]+$/, ""));
    while (lines.length && !lines[0]) lines.shift();
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    if (!lines.length) continue;
    if (lines.every((l) => !l || INDENTED.test(l))) {
      out.push(code(dedent(lines).join("\n")));
      continue;
    }
    const children: PhrasingContent[] = [];
    lines.forEach((l, i) => {
      if (i) children.push({ type: "break" });
      children.push({ type: "text", value: mailText(l.replace(/^[ \t]+/, "")) });
    });
    out.push({ type: "paragraph", children });
  }
  return out;
}

function dedent(lines: string[]): string[] {
  const ind = lines.filter(Boolean).map((l) => /^[ \t]*/.exec(l)![0]);
  let common = ind[0] ?? "";
  for (const i of ind) while (!i.startsWith(common)) common = common.slice(0, -1);
  return lines.map((l) => l.slice(common.length));
}
