// Syntax highlighting of diffs on the server with shiki. One highlighter per process, created on
// first use with a fixed set of languages and two themes (light and dark, chosen by the reader's
// prefers-color-scheme). Tokens come back as text plus class names (tl<N> light colour, td<N> dark
// colour, from a palette fixed by the two themes; app/highlight.css holds the rules), and the pages
// render them as React text: mail content is never handed to dangerouslySetInnerHTML, and no
// inline style attribute is emitted (the Content-Security-Policy allows none).
//
// Speed: each side of a file (old: context + removed lines; new: context + added lines) is
// highlighted as one block, so the grammar sees the code in order, then split back into lines;
// at most MAX_LINES_PER_FILE lines per side, the rest stays plain; results are memoised by content.
import { createHash } from "node:crypto";
import { createHighlighter, type Highlighter, type ThemedToken, type ThemeRegistration } from "shiki";

export const THEMES = { light: "github-light", dark: "github-dark" } as const;

/** The languages loaded into the one highlighter. */
export const LANGS = ["c", "cpp", "rust", "python", "shellscript", "make", "rst", "markdown", "yaml", "json"] as const;
export type Lang = (typeof LANGS)[number];

/** Lines per side of one file that are highlighted; the rest of a huge file is shown plain. */
export const MAX_LINES_PER_FILE = 5_000;
/** Per-line tokenizing budget. shiki's default (500 ms) is met only on an idle machine: under load
 * a grammar compiling its first regexes overruns it and the rest of the line comes out plain, so
 * the same file would highlight differently from run to run. Long lines are capped separately. */
const TIME_LIMIT_MS = 10_000;

/** Lines longer than this are not tokenized (minified or generated data). */
const MAX_LINE_LENGTH = 2_000;

const EXT: Record<string, Lang> = {
  c: "c", h: "c",
  // device trees: C-like syntax (includes, macros, braces, comments)
  dts: "c", dtsi: "c",
  cc: "cpp", cpp: "cpp", cxx: "cpp", hh: "cpp", hpp: "cpp", hxx: "cpp",
  rs: "rust",
  py: "python",
  sh: "shellscript", bash: "shellscript",
  mk: "make", mak: "make",
  rst: "rst",
  md: "markdown", markdown: "markdown",
  yaml: "yaml", yml: "yaml",
  json: "json",
};

/** The language for a file path, from its extension (or its name, for makefiles); null: plain. */
export function langForPath(path: string): Lang | null {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (/^(?:GNU)?makefile(?:\..*)?$/i.test(name) || name === "Kbuild" || name === "Kbuild.include") return "make";
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return null;
  return EXT[name.slice(dot + 1).toLowerCase()] ?? null;
}

export interface HlToken {
  text: string;
  /** class names, "" for the default colour */
  cls: string;
}

// ---------------------------------------------------------------------------------------------
// the highlighter, once per process (kept on globalThis so dev reloads reuse it)
//
// Tokenizing once per theme would double the work. The two GitHub themes have the same rules
// (same scopes, same font styles, same order), only the colours differ, so a third "pair" theme
// with the same rules, whose colour for rule i is a code for i, gives in ONE pass which rule
// coloured each token: its light and its dark colour. When the themes are not parallel (another
// shiki version), highlighting falls back to shiki's two-theme tokenizer.

export interface Hl {
  shiki: Highlighter;
  palette: Palette & { lightIndex: Map<string, number>; darkIndex: Map<string, number> };
  /** code colour -> [light colour, dark colour]; null: tokenize with both themes */
  pair: Map<string, [string, string]> | null;
}

export const PAIR_THEME = "patchlore-pair";
/** shiki types theme names as its bundled ones; the pair theme is loaded at runtime */
type PairThemeName = NonNullable<Parameters<Highlighter["codeToTokensBase"]>[1]>["theme"];

const holder = globalThis as typeof globalThis & { __patchloreHighlighter?: Promise<Hl> };

export function getHighlighter(): Promise<Hl> {
  holder.__patchloreHighlighter ??= (async () => {
    const shiki = await createHighlighter({
      themes: [THEMES.light, THEMES.dark],
      langs: [...LANGS],
      // the default Oniguruma (WebAssembly) engine: shiki's JavaScript engine is faster once warm,
      // but compiling a big grammar (cpp) the first time takes it seconds, past the per-line
      // time limit, and the first page would come out half highlighted
    });
    const pair = pairTheme(shiki);
    if (pair) shiki.loadThemeSync(pair.theme);
    return { shiki, palette: palette(shiki), pair: pair?.decode ?? null };
  })().catch((e) => {
    holder.__patchloreHighlighter = undefined;
    throw e;
  });
  return holder.__patchloreHighlighter;
}

/** shiki's FontStyle bits */
const ITALIC = 1;
const BOLD = 2;

const code = (i: number) => `#${(i + 1).toString(16).padStart(6, "0")}`;

/** The pair theme, or null when the light and dark themes do not have the same rules. */
export function pairTheme(shiki: Highlighter): { theme: ThemeRegistration; decode: Map<string, [string, string]> } | null {
  const l = shiki.getTheme(THEMES.light);
  const d = shiki.getTheme(THEMES.dark);
  const ls = l.settings ?? [];
  const ds = d.settings ?? [];
  if (ls.length !== ds.length) return null;
  const decode = new Map<string, [string, string]>();
  decode.set(code(0), [l.fg.toLowerCase(), d.fg.toLowerCase()]);
  const settings: ThemeRegistration["settings"] = [];
  for (let i = 0; i < ls.length; i++) {
    const a = ls[i];
    const b = ds[i];
    if (JSON.stringify(a.scope ?? null) !== JSON.stringify(b.scope ?? null)) return null;
    if ((a.settings?.fontStyle ?? null) !== (b.settings?.fontStyle ?? null)) return null;
    if (!!a.settings?.foreground !== !!b.settings?.foreground) return null;
    const fg = a.settings?.foreground ? code(i + 1) : undefined;
    if (fg) decode.set(fg, [a.settings!.foreground!.toLowerCase(), b.settings!.foreground!.toLowerCase()]);
    // the unscoped first rule is the default colour
    const isDefault = a.scope === undefined && i === 0;
    settings.push({
      ...(a.scope !== undefined ? { scope: a.scope } : {}),
      settings: { ...(fg ? { foreground: isDefault ? code(0) : fg } : {}), ...(a.settings?.fontStyle !== undefined ? { fontStyle: a.settings.fontStyle } : {}), ...(isDefault ? { background: "#ffffff" } : {}) },
    });
  }
  return { theme: { name: PAIR_THEME, type: "light", fg: code(0), bg: "#ffffff", settings }, decode };
}

// ---------------------------------------------------------------------------------------------
// palette: every colour either theme uses, in a fixed order, so class names are stable

export interface Palette {
  light: string[];
  dark: string[];
  lightDefault: string;
  darkDefault: string;
}

function themeColours(shiki: Highlighter, name: string): { colours: string[]; fg: string } {
  const t = shiki.getTheme(name);
  const set = new Set<string>();
  set.add(t.fg.toLowerCase());
  for (const r of t.settings ?? []) if (r.settings?.foreground) set.add(r.settings.foreground.toLowerCase());
  return { colours: [...set].sort(), fg: t.fg.toLowerCase() };
}

export function palette(shiki: Highlighter): Hl["palette"] {
  const l = themeColours(shiki, THEMES.light);
  const d = themeColours(shiki, THEMES.dark);
  return {
    light: l.colours,
    dark: d.colours,
    lightDefault: l.fg,
    darkDefault: d.fg,
    lightIndex: new Map(l.colours.map((c, i) => [c, i])),
    darkIndex: new Map(d.colours.map((c, i) => [c, i])),
  };
}

/** The stylesheet for the palette (app/highlight.css is this text; a test keeps them equal). */
export function paletteCss(p: Palette): string {
  const hex = (c: string) => (/^#[0-9a-f]{3,8}$/.test(c) ? c : "inherit");
  return [
    `/* Generated by app/_lib/highlight.ts (paletteCss) from the shiki themes ${THEMES.light} and ${THEMES.dark}.`,
    "   Regenerate: UPDATE_HIGHLIGHT_CSS=1 npx vitest run app/_lib/highlight.test.ts */",
    `.hl { color: ${hex(p.lightDefault)}; }`,
    ...p.light.map((c, i) => `.hl .tl${i} { color: ${hex(c)}; }`),
    ".hl .ti { font-style: italic; }",
    ".hl .tb { font-weight: 600; }",
    "@media (prefers-color-scheme: dark) {",
    `  .hl { color: ${hex(p.darkDefault)}; }`,
    ...p.dark.map((c, i) => `  .hl .td${i} { color: ${hex(c)}; }`),
    "}",
    "",
  ].join("\n");
}

function classFor(p: Hl["palette"], light: string, dark: string, italic: boolean, bold: boolean): string {
  const cls: string[] = [];
  if (light !== p.lightDefault || dark !== p.darkDefault) {
    const li = p.lightIndex.get(light);
    const di = p.darkIndex.get(dark);
    if (li !== undefined) cls.push(`tl${li}`);
    if (di !== undefined) cls.push(`td${di}`);
  }
  if (italic) cls.push("ti");
  if (bold) cls.push("tb");
  return cls.join(" ");
}

/** One line of tokens from the pair theme: decode each token's rule into its two colours. */
function pairLine(h: Hl, line: ThemedToken[]): HlToken[] {
  const out: HlToken[] = [];
  for (const t of line) {
    const [light, dark] = h.pair!.get((t.color ?? "").toLowerCase()) ?? [h.palette.lightDefault, h.palette.darkDefault];
    const fs = t.fontStyle ?? 0;
    push(out, t.content, classFor(h.palette, light, dark, (fs & ITALIC) !== 0, (fs & BOLD) !== 0));
  }
  return out;
}

/** One line from shiki's two-theme tokenizer (the fallback). */
function dualLine(h: Hl, line: ThemedToken[]): HlToken[] {
  const out: HlToken[] = [];
  for (const t of line) {
    const st = (t.htmlStyle ?? {}) as Record<string, string>;
    const light = (st["--shiki-light"] ?? h.palette.lightDefault).toLowerCase();
    const dark = (st["--shiki-dark"] ?? h.palette.darkDefault).toLowerCase();
    push(out, t.content, classFor(h.palette, light, dark, st["--shiki-light-font-style"] === "italic", st["--shiki-light-font-weight"] === "bold"));
  }
  return out;
}

function push(out: HlToken[], text: string, cls: string) {
  const last = out[out.length - 1];
  if (last && last.cls === cls) last.text += text;
  else out.push({ text, cls });
}

// ---------------------------------------------------------------------------------------------
// highlighting a block of lines

/** Memoised results, bounded by the number of lines they hold. */
const MEMO_MAX_LINES = 200_000;
const memo = new Map<string, HlToken[][]>();
let memoLines = 0;

function remember(key: string, value: HlToken[][]) {
  memo.set(key, value);
  memoLines += value.length;
  while (memoLines > MEMO_MAX_LINES && memo.size > 1) {
    const [k, v] = memo.entries().next().value as [string, HlToken[][]];
    memo.delete(k);
    memoLines -= v.length;
  }
}

/** Lines of one language highlighted as one block; null for a line that could not be (shown plain). */
export function highlightLines(h: Hl, lines: string[], lang: Lang, opts: { dual?: boolean } = {}): (HlToken[] | null)[] {
  if (!lines.length) return [];
  // shiki splits on \r\n, \r and \n: keep carriage returns out of its sight, then check the split
  const text = lines.map((l) => l.replace(/\r/g, "")).join("\n");
  const dual = opts.dual || !h.pair;
  const key = createHash("sha1").update(`${lang}\0${dual ? "dual" : "pair"}\0`).update(text).digest("base64");
  const hit = memo.get(key);
  if (hit) {
    memo.delete(key);
    memo.set(key, hit);
    return check(lines, hit);
  }
  let result: HlToken[][];
  try {
    if (dual) {
      const { tokens } = h.shiki.codeToTokens(text, { lang, themes: THEMES, defaultColor: false, tokenizeMaxLineLength: MAX_LINE_LENGTH, tokenizeTimeLimit: TIME_LIMIT_MS });
      result = tokens.map((line) => dualLine(h, line));
    } else {
      const tokens = h.shiki.codeToTokensBase(text, { lang, theme: PAIR_THEME as PairThemeName, tokenizeMaxLineLength: MAX_LINE_LENGTH, tokenizeTimeLimit: TIME_LIMIT_MS });
      result = tokens.map((line) => pairLine(h, line));
    }
  } catch {
    return lines.map(() => null);
  }
  remember(key, result);
  return check(lines, result);
}

/** A line is used only when its tokens give back exactly its text (else: plain). */
function check(lines: string[], result: HlToken[][]): (HlToken[] | null)[] {
  if (result.length !== lines.length) {
    // a trailing empty line can come back without a token row
    if (!(result.length === lines.length - 1 && lines[lines.length - 1] === "")) return lines.map(() => null);
  }
  return lines.map((l, i) => {
    const toks = result[i] ?? [];
    const text = toks.map((t) => t.text).join("");
    return !l.includes("\r") && text === l ? toks : null;
  });
}

// ---------------------------------------------------------------------------------------------
// a file of a diff

export interface DiffLineLike {
  kind: "+" | "-" | " " | "\\";
  text: string;
}

function plainTokens(hunks: { lines: DiffLineLike[] }[]): (HlToken[] | null)[][] {
  return hunks.map((hk) => hk.lines.map(() => null));
}

/**
 * Tokens for every line of a file's hunks (hunk by hunk, line by line), null where a line stays
 * plain: "\" markers, lines past the cap, unknown languages. The new side (context and added
 * lines) and the old side (context and removed lines) are each highlighted as one block.
 */
export function highlightHunks(h: Hl, hunks: { lines: DiffLineLike[] }[], lang: Lang | null, maxLines = MAX_LINES_PER_FILE): (HlToken[] | null)[][] {
  const out = plainTokens(hunks);
  if (!lang) return out;
  const side = (keep: "+" | "-") => {
    const refs: [number, number][] = [];
    const text: string[] = [];
    hunks.forEach((hk, hi) =>
      hk.lines.forEach((l, li) => {
        if ((l.kind === " " || l.kind === keep) && text.length < maxLines) {
          refs.push([hi, li]);
          text.push(l.text);
        }
      }),
    );
    return { refs, text };
  };
  const hasRemoved = hunks.some((hk) => hk.lines.some((l) => l.kind === "-"));
  const fresh = side("+");
  const newTokens = highlightLines(h, fresh.text, lang);
  fresh.refs.forEach(([hi, li], k) => {
    out[hi][li] = newTokens[k];
  });
  if (hasRemoved) {
    const old = side("-");
    const oldTokens = highlightLines(h, old.text, lang);
    old.refs.forEach(([hi, li], k) => {
      if (hunks[hi].lines[li].kind === "-") out[hi][li] = oldTokens[k];
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// a whole diff, with a budget for the page

/** Lines highlighted on one page at most; files past it are shown plain. */
export const MAX_LINES_PER_PAGE = 20_000;

export interface FileHighlight {
  lang: Lang | null;
  /** per hunk, per line: tokens, or null (plain) */
  tokens: (HlToken[] | null)[][];
  /** why some or all of the file is plain, when it is */
  plainReason: string | null;
}

export async function highlightDiff(
  files: { path: string; hunks: { lines: DiffLineLike[] }[] }[],
  opts: { maxLinesPerFile?: number; maxLinesPerPage?: number } = {},
): Promise<FileHighlight[]> {
  const perFile = opts.maxLinesPerFile ?? MAX_LINES_PER_FILE;
  let budget = opts.maxLinesPerPage ?? MAX_LINES_PER_PAGE;
  const needs = files.some((f) => langForPath(f.path) && f.hunks.length);
  const h = needs ? await getHighlighter() : null;
  return files.map((f) => {
    const lang = langForPath(f.path);
    const lines = f.hunks.reduce((n, hk) => n + hk.lines.length, 0);
    if (!lang || !h || !lines) return { lang, tokens: plainTokens(f.hunks), plainReason: null };
    if (budget <= 0) return { lang, tokens: plainTokens(f.hunks), plainReason: "not highlighted: the page's highlighting budget is spent" };
    const cap = Math.min(perFile, budget);
    budget -= Math.min(lines, cap);
    const sideMax = Math.max(
      f.hunks.reduce((n, hk) => n + hk.lines.filter((l) => l.kind !== "-" && l.kind !== "\\").length, 0),
      f.hunks.reduce((n, hk) => n + hk.lines.filter((l) => l.kind !== "+" && l.kind !== "\\").length, 0),
    );
    return {
      lang,
      tokens: highlightHunks(h, f.hunks, lang, cap),
      plainReason: sideMax > cap ? `highlighted up to line ${cap.toLocaleString("en-US")}; the rest is plain` : null,
    };
  });
}
