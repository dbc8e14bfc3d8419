// A patch whose newlines were collapsed into single spaces (an article page that printed the mail
// body as one paragraph). What survives exactly: the file headers ("diff --git", "index", "---",
// "+++") and the hunk headers with their line counts. What does not: where each line began, the
// indentation, the blank lines.
//
// Reconstruction, per hunk "@@ -a,O +c,N @@ <text>":
//   1. Change markers: " + " / " - " (or " +x" / " -x") where a line can start. A marker between two
//      operands ("address + 65536") is weak; weak markers are used only when the counts need them
//      (adds - dels must equal N - O).
//   2. Code line breaks: after ";" "{" "}" "*/" at parenthesis depth 0, around preprocessor lines,
//      before comment continuation " * ", after "if (...)"-style conditions and function
//      signatures, after labels. Each break has a strength; the hunk needs exactly O - dels context
//      lines, so the weakest breaks are dropped when there are too many lines and weaker ones (after
//      "," inside a call) are used when there are too few.
//   3. Still too few context lines: blank context lines are inserted, first to give the hunk its 3
//      leading and 3 trailing context lines (git's default -U3), then where a blank line is most
//      likely (after "}", before a comment or a label).
// The result always has the line counts its headers state, so any diff parser reads every hunk;
// the line breaks inside it are a best guess and reported as damage.

export interface FlatPatchResult {
  /** the rebuilt patch lines (from the first file header to the end of the last hunk) */
  lines: string[];
  damaged: string[];
  /** text after the last hunk (signature, list footer), still flat */
  trailer: string;
  files: string[];
  hunks: number;
  /** hunks whose markers and breaks matched the header counts without blank-line padding or merging */
  exactHunks: number;
}

const DIFF_GIT = /diff --git (a\/\S+|"a\/[^"]+") (b\/\S+|"b\/[^"]+")/y;
const INDEX = /index [0-9a-f]{4,}\.\.[0-9a-f]{4,}(?: [0-7]{6})?/y;
const MODE = /(?:new file mode|deleted file mode|old mode|new mode) [0-7]{6}/y;
const OLDF = /--- (a\/\S+|\/dev\/null)/y;
const NEWF = /\+\+\+ (b\/\S+|\/dev\/null)/y;
const HUNK = /@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/y;
const HUNK_G = /@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/g;

function at(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

/** Where the patch begins in a flat text: the first "diff --git" (or "--- a/x +++ b/x"), or -1. */
export function flatPatchStart(text: string): number {
  const g = /(?:^|\s)(diff --git a\/\S+ b\/\S+|--- a\/\S+ \+\+\+ b\/\S+|Index: \S+ ={10,})/.exec(text);
  return g ? g.index + (g[0].length - g[1].length) : -1;
}

// ---------------------------------------------------------------------------------------------
// line breaks inside flattened C-like code

interface Cut {
  /** index in the text where the next line starts (after the separating space) */
  pos: number;
  strength: number;
}

const KEYWORD_COND = /(?:^|[\s;{}])(?:if|for|while|switch|else if)\s*$/;
const DECL_START = /^(?:static|void|int|unsigned|signed|long|short|char|bool|const|struct|union|enum|extern|inline|__[a-z_]+|[a-z_][a-z0-9_]*_t)\b/;
const TYPE_WORD = /^(?:static|void|int|unsigned|long|char|bool|struct \w+|extern|inline|const)\b/;

/**
 * Candidate line breaks in `s` (flattened code). `startsInComment`: the text begins inside a
 * block comment. Returns the cuts and whether the text ends inside a block comment.
 */
export function codeCuts(s: string, startsInComment = false): { cuts: Cut[]; endsInComment: boolean } {
  const cuts: Cut[] = [];
  let depth = 0;
  let inStr: string | null = null;
  let inComment = startsInComment;
  let lineStart = 0;
  const nextNonSpace = (i: number) => {
    let j = i;
    while (j < s.length && s[j] === " ") j++;
    return j;
  };
  const add = (pos: number, strength: number) => {
    // pos points at the first character of the new line (skip the separating spaces)
    const p = nextNonSpace(pos);
    if (p >= s.length || p <= 0) return;
    const prev = cuts[cuts.length - 1];
    if (prev && prev.pos === p) {
      prev.strength = Math.max(prev.strength, strength);
      return;
    }
    cuts.push({ pos: p, strength });
    if (strength >= 2) lineStart = p;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inComment) {
      if (c === "*" && s[i + 1] === "/") {
        inComment = false;
        const j = nextNonSpace(i + 2);
        if (!/^[;,)]/.test(s.slice(j, j + 1))) add(i + 2, 3);
        i++;
        continue;
      }
      // " * " continues a block comment on a new line; " */" usually closes it on the same line
      if (c === " " && s[i + 1] === "*" && i > lineStart) {
        if (s[i + 2] === " " || i + 2 >= s.length) add(i + 1, 3);
        else if (s[i + 2] === "/") add(i + 1, 1);
      }
      continue;
    }
    if (inStr) {
      if (c === "\\") i++;
      else if (c === inStr) inStr = null;
      continue;
    }
    if (c === '"' || (c === "'" && /[\s(,=]/.test(s[i - 1] ?? " "))) {
      inStr = c;
      continue;
    }
    if (c === "/" && s[i + 1] === "*") {
      // a comment after code on the same line is common ("int x; /* why */"); on its own line too
      const before = s.slice(lineStart, i).trim();
      if (before !== "") add(i, /[;{}]$/.test(before) ? 1 : 0.5);
      inComment = true;
      i++;
      continue;
    }
    if (c === "/" && s[i + 1] === "/") {
      // a line comment runs to the end of its line, which we cannot see: no more cuts
      break;
    }
    if (c === "(") depth++;
    else if (c === ")") {
      depth = Math.max(0, depth - 1);
      if (depth === 0) {
        const j = nextNonSpace(i + 1);
        const next = s[j] ?? "";
        const head = s.slice(lineStart, i + 1);
        const open = matchingOpen(s, i);
        const beforeOpen = open >= 0 ? s.slice(lineStart, open) : "";
        const isCond = KEYWORD_COND.test(beforeOpen);
        const isSig = DECL_START.test(head.trim()) && /[A-Za-z0-9_]\s*$/.test(beforeOpen) && !/=/.test(beforeOpen);
        if ((isCond || isSig) && /[A-Za-z_#*&!]/.test(next) && !/^(?:__\w+|const)\b/.test(s.slice(j))) add(i + 1, isCond ? 2 : 2.5);
        // kernel style: a function's opening brace on a line of its own
        if (isSig && next === "{") add(i + 1, 1.5);
      }
    } else if (c === ";" && depth === 0) {
      const j = nextNonSpace(i + 1);
      add(i + 1, s.startsWith("/*", j) ? 1 : 3);
    } else if (c === "{" && depth === 0) {
      const j = nextNonSpace(i + 1);
      if (s[j] !== "}") add(i + 1, 3);
    } else if (c === "}" && depth === 0) {
      const before = s.slice(lineStart, i).trim();
      if (before !== "") add(i, 2);
      const rest = s.slice(nextNonSpace(i + 1));
      if (!/^(?:else\b|while\b|[;,)])/.test(rest)) add(i + 1, 3);
    } else if (c === "," && depth > 0) {
      add(i + 1, 0.5);
    } else if (c === "&" && s[i + 1] === "&" && s[i + 2] === " ") {
      add(i + 2, 0.4);
    } else if (c === "|" && s[i + 1] === "|" && s[i + 2] === " ") {
      add(i + 2, 0.4);
    } else if (c === "#" && (i === 0 || s[i - 1] === " ") && /^#\s*(?:if|ifdef|ifndef|endif|else|elif|include|define|undef|error|pragma)\b/.test(s.slice(i))) {
      add(i, 3);
      lineStart = i;
      const dm = /^#\s*(endif|else)\b|^#\s*(?:ifdef|ifndef|undef) \S+|^#\s*include [<"][^>"]*[>"]/.exec(s.slice(i));
      if (dm) add(i + dm[0].length, 3);
    } else if (c === ":" && depth === 0 && s[i + 1] === " " && /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.slice(lineStart, i).trim()) && !/^(?:default|public|private|protected)$/.test(s.slice(lineStart, i).trim())) {
      add(i + 1, 2.5); // a label: "again:"
    }
  }
  return { cuts, endsInComment: inComment };
}

/**
 * Where a hunk heading ends in flat text (git's heading is one source line: a function signature,
 * a struct, a label). A heading whose parenthesis never closes (git cut the line) ends at the last
 * ", " before the first thing that cannot be inside a parameter list.
 */
export function headingEnd(s: string): number {
  let depth = 0;
  let lastComma = -1;
  const label = /^([A-Za-z_]\w*:)(?: |$)/.exec(s);
  if (label) return label[1].length;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(") {
      if (depth > 0) {
        // "..., void __vma_link_rb(" inside an unclosed list: a new declaration starts
        const before = s.slice(0, i);
        const m = /(?:^|[\s,])((?:static |inline |extern |const )*(?:void|int|unsigned long|unsigned|long|char|bool|struct \w+ \*?|[a-z_]+_t) ?\*?\w+)$/.exec(before);
        if (m && lastComma >= 0 && m.index >= lastComma) return lastComma + 1;
      }
      depth++;
    } else if (c === ")") {
      depth--;
      if (depth === 0) {
        // "f(a, b)" then maybe " {" on the same line
        let j = i + 1;
        while (s[j] === " ") j++;
        if (s[j] === "{" && /^(?:struct|union|enum)\b/.test(s) === false) return i + 1;
        return s[j] === "{" ? j + 1 : i + 1;
      }
    } else if (c === "," && depth > 0) lastComma = i;
    else if (depth === 0 && (c === ";" || c === "{")) return i + 1;
    else if (depth > 0 && (c === ";" || c === "{" || c === "}" || c === "#" || (c === "=" && s[i + 1] === " ") || (c === "*" && s[i - 1] === " " && s[i + 1] === " " && /[,(]\s*$/.test(s.slice(0, i))) || (c === "*" && s[i + 1] === "/"))) {
      return lastComma >= 0 ? lastComma + 1 : i;
    } else if (depth === 0 && i > 0 && TYPE_WORD.test(s.slice(i)) && s[i - 1] === " " && /[)\]]\s*$/.test(s.slice(0, i))) {
      return i;
    }
  }
  return s.length;
}

function matchingOpen(s: string, close: number): number {
  let d = 0;
  for (let i = close; i >= 0; i--) {
    if (s[i] === ")") d++;
    else if (s[i] === "(") {
      d--;
      if (d === 0) return i;
    }
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// change markers

interface Marker {
  pos: number;
  sign: "+" | "-";
  weak: boolean;
}

function findMarkers(t: string): Marker[] {
  const out: Marker[] = [];
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c !== "+" && c !== "-") continue;
    if (i > 0 && t[i - 1] !== " ") continue;
    const next = t[i + 1];
    if (next === undefined) {
      out.push({ pos: i, sign: c, weak: false });
      continue;
    }
    if (next === c && t[i + 2] === " ") continue; // "--" / "++" as an operator
    if (next === "=" || next === ">") continue; // "-=", "+=", "->"
    const prevTok = t.slice(Math.max(0, i - 30), i).trimEnd();
    const nextTok = t.slice(i + 1).trimStart();
    const prevOperand = /[A-Za-z0-9_)\]'"]$/.test(prevTok) && !/(?:^|\s)(?:return|else|case|goto)$/.test(prevTok);
    const nextOperand = /^[A-Za-z0-9_(]/.test(nextTok) && next === " ";
    // glued sign ("-foo", "+1"): a unary minus/plus or a line start
    const glued = next !== " ";
    let weak = false;
    if (prevOperand && nextOperand) weak = true; // "a + b"
    if (glued && /^[0-9]/.test(next)) weak = true; // "x -1", "? 1 : -1": a changed line rarely starts with a digit
    if (glued && prevTok.endsWith("(")) weak = true;
    out.push({ pos: i, sign: c, weak });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

interface Piece {
  kind: "ctx" | "add" | "del";
  text: string;
}

function blankScore(prev: Piece | undefined, next: Piece | undefined): number {
  let s = 0;
  if (prev && /[};]$/.test(prev.text)) s += prev.text.endsWith("}") ? 3 : 1;
  if (prev && /\*\/$/.test(prev.text)) s += 1;
  if (next && /^(?:\/\*|#|[A-Za-z_]\w*:$|static\b|struct\b|extern\b|void\b|int\b)/.test(next.text)) s += 2;
  if (next && next.text.startsWith("}")) s -= 3;
  if (prev && /[{(,]$/.test(prev.text)) s -= 3;
  return s;
}

/**
 * Rebuild one hunk body. Returns the heading, the lines (with markers) and whether it needed
 * padding or merging.
 */
export function rebuildHunk(text: string, oldStart: number, oldCount: number, newCount: number): { heading: string; lines: string[]; exact: boolean; notes: string[] } {
  const notes: string[] = [];
  const t = text.trim();
  const markers = findMarkers(t);
  const strong = markers.filter((m) => !m.weak);
  const weak = markers.filter((m) => m.weak);
  const want = newCount - oldCount; // adds - dels
  let chosen = strong;
  const bal = (ms: Marker[]) => ms.reduce((a, m) => a + (m.sign === "+" ? 1 : -1), 0);
  if (bal(chosen) !== want && weak.length > 0 && weak.length <= 12) {
    // smallest subset of weak markers that balances the counts
    let best: Marker[] | null = null;
    for (let mask = 1; mask < 1 << weak.length; mask++) {
      const add = weak.filter((_, k) => mask & (1 << k));
      if (bal([...strong, ...add]) === want && (!best || add.length < best.length)) best = add;
    }
    if (best) chosen = [...strong, ...best].sort((a, b) => a.pos - b.pos);
  }
  if (bal(chosen) !== want) notes.push(`change markers do not balance the header counts (${bal(chosen)} vs ${want})`);
  const dels = chosen.filter((m) => m.sign === "-").length;
  const ctxWanted = Math.max(0, oldCount - dels);

  const attempt = (withHeading: boolean) => {
    // segments: the context before the first marker, then each marker's text
    interface Seg {
      kind: "ctx" | "add" | "del";
      body: string;
      cuts: (Cut & { on: boolean })[];
    }
    const segs: Seg[] = [];
    const first = chosen.length ? chosen[0].pos : t.length;
    let heading = "";
    let head = t.slice(0, first).trim();
    // git's heading: the nearest line above the hunk that starts with a letter, "_" or "$"
    if (withHeading && /^[A-Za-z_$]/.test(head)) {
      const he = headingEnd(head);
      heading = head.slice(0, he).trim();
      head = head.slice(he).trim();
    }
    segs.push({ kind: "ctx", body: head, cuts: [] });
    chosen.forEach((m, k) => {
      const end = k + 1 < chosen.length ? chosen[k + 1].pos : t.length;
      segs.push({ kind: m.sign === "+" ? "add" : "del", body: t.slice(m.pos + 1, end).trim(), cuts: [] });
    });
    // comment state flows from segment to segment; a text that closes a comment it did not open started inside one
    let inComment = false;
    for (const sg of segs) {
      const close = sg.body.indexOf("*/");
      const open = sg.body.indexOf("/*");
      const starts = inComment || /^\*(?:\s|\/|$)/.test(sg.body) || (close >= 0 && (open < 0 || close < open));
      const r = codeCuts(sg.body, starts);
      sg.cuts = r.cuts.map((c) => ({ ...c, on: c.strength >= 2 }));
      inComment = r.endsInComment;
    }
    const ctxCount = () =>
      segs.reduce((n, sg) => {
        const parts = sg.body === "" ? 0 : 1 + sg.cuts.filter((c) => c.on).length;
        return n + (sg.kind === "ctx" ? parts : Math.max(0, parts - 1));
      }, 0);
    const pieceLen = (sg: Seg, pos: number) => {
      const on = sg.cuts.filter((c) => c.on).map((c) => c.pos);
      const from = Math.max(0, ...on.filter((p) => p < pos));
      const to = Math.min(sg.body.length, ...on.filter((p) => p > pos));
      return to - from;
    };
    let guard = 0;
    // too many lines: drop the weakest breaks (the shortest resulting line first)
    while (ctxCount() > ctxWanted && guard++ < 1000) {
      let best: { sg: Seg; c: Cut & { on: boolean }; score: number } | null = null;
      for (const sg of segs) {
        for (const c of sg.cuts) {
          if (!c.on) continue;
          c.on = false;
          const len = pieceLen(sg, c.pos);
          c.on = true;
          const score = c.strength * 1000 + len;
          if (!best || score < best.score) best = { sg, c, score };
        }
      }
      if (!best) break;
      best.c.on = false;
    }
    // too few: use weaker breaks, the ones that split the longest line first; a change line itself is split only by a moderate break ("x; /* why */")
    while (ctxCount() < ctxWanted && guard++ < 2000) {
      let best: { c: Cut & { on: boolean }; score: number } | null = null;
      for (const sg of segs) {
        const firstOn = sg.cuts.find((c) => c.on)?.pos ?? Infinity;
        for (const c of sg.cuts) {
          if (c.on) continue;
          const len = pieceLen(sg, c.pos);
          // weak breaks (inside an argument list) only for lines too long to be one source line
          if (c.strength < 1 && len <= 80) continue;
          if (sg.kind !== "ctx" && c.pos < firstOn && c.strength < 1) continue;
          const score = c.strength * 1000 + pieceLen(sg, c.pos);
          if (!best || score > best.score) best = { c, score };
        }
      }
      if (!best) break;
      best.c.on = true;
    }
    let pieces: Piece[] = [];
    for (const sg of segs) {
      const parts: string[] = [];
      let from = 0;
      for (const c of sg.cuts) {
        if (!c.on) continue;
        parts.push(sg.body.slice(from, c.pos).trim());
        from = c.pos;
      }
      parts.push(sg.body.slice(from).trim());
      if (sg.kind === "ctx") {
        for (const p of parts) if (p !== "") pieces.push({ kind: "ctx", text: p });
      } else {
        pieces.push({ kind: sg.kind, text: parts[0] ?? "" });
        for (const p of parts.slice(1)) if (p !== "") pieces.push({ kind: "ctx", text: p });
      }
    }
    const cc = () => pieces.filter((p) => p.kind === "ctx").length;
    const fitted = cc() === ctxWanted;
    // still too many context lines: merge the shortest neighbouring pair
    let merged = 0;
    while (cc() > ctxWanted) {
      let bestK = -1;
      let bestLen = Infinity;
      for (let k = 0; k + 1 < pieces.length; k++) {
        if (pieces[k + 1].kind !== "ctx") continue;
        const len = pieces[k].text.length + pieces[k + 1].text.length;
        if (len < bestLen) {
          bestLen = len;
          bestK = k;
        }
      }
      if (bestK < 0) break;
      pieces = [...pieces.slice(0, bestK), { kind: pieces[bestK].kind, text: `${pieces[bestK].text} ${pieces[bestK + 1].text}` }, ...pieces.slice(bestK + 2)];
      merged++;
    }
    // too few: blank context lines, first to reach 3 leading / 3 trailing context lines (git -U3)
    let blanks = 0;
    const leadCtx = () => {
      let n = 0;
      for (const p of pieces) {
        if (p.kind !== "ctx") break;
        n++;
      }
      return n;
    };
    const trailCtx = () => {
      let n = 0;
      for (let k = pieces.length - 1; k >= 0 && pieces[k].kind === "ctx"; k--) n++;
      return n;
    };
    const hasChanges = pieces.some((p) => p.kind !== "ctx");
    const insertBest = (from: number, to: number, edgeBonusAt: number) => {
      let bestK = from;
      let bestS = -Infinity;
      for (let k = from; k <= to; k++) {
        const s = blankScore(pieces[k - 1], pieces[k]) + (k === edgeBonusAt ? 0.5 : 0) - (pieces[k - 1]?.text === "" || pieces[k]?.text === "" ? 2 : 0);
        if (s > bestS) {
          bestS = s;
          bestK = k;
        }
      }
      pieces.splice(bestK, 0, { kind: "ctx", text: "" });
      blanks++;
    };
    while (cc() < ctxWanted && hasChanges && oldStart > 1 && leadCtx() < 3) insertBest(0, leadCtx(), 0);
    while (cc() < ctxWanted && hasChanges && trailCtx() < 3) insertBest(pieces.length - trailCtx(), pieces.length, pieces.length);
    while (cc() < ctxWanted) insertBest(1, Math.max(1, pieces.length - 1), -1);
    return { heading, pieces, merged, blanks, fitted };
  };
  // with or without a heading: git writes one when a line above the hunk starts with a letter; the
  // counts decide when both readings are possible
  const canHead = /^[A-Za-z_$]/.test(t) && (chosen.length === 0 || chosen[0].pos > 0);
  const a1 = attempt(canHead);
  const a0 = canHead ? attempt(false) : a1;
  const cost = (a: typeof a1) => (a.fitted ? 0 : 1) + a.merged + a.blanks;
  const looksLikeHeading = /^(?:[A-Za-z_]\w*:(?: |$)|(?:static|void|int|unsigned|long|bool|struct|union|enum|extern|inline|const|char|__\w+)\b)/.test(t);
  const best = cost(a0) < cost(a1) || (cost(a0) === cost(a1) && !looksLikeHeading) ? a0 : a1;
  const { heading, pieces, merged, blanks } = best;
  const exact = best.fitted && merged === 0 && blanks === 0 && bal(chosen) === want;
  if (merged) notes.push(`${merged} line break(s) dropped to match the counts`);
  if (blanks) notes.push(`${blanks} blank context line(s) placed by guess`);
  // no indentation is invented: the page lost it
  const lines = pieces.map((p) => (p.kind === "add" ? `+${p.text}` : p.kind === "del" ? `-${p.text}` : ` ${p.text}`));
  return { heading, lines, exact, notes };
}

/**
 * Rebuild a flat patch. `text` starts at the first file header (see flatPatchStart).
 */
export function rebuildFlatPatch(text: string): FlatPatchResult {
  const out: string[] = [];
  const damaged: string[] = [];
  const files: string[] = [];
  let hunks = 0;
  let exactHunks = 0;
  // positions of all hunk headers, to know where each hunk's text ends
  const hunkStarts: number[] = [];
  for (const m of text.matchAll(HUNK_G)) hunkStarts.push(m.index!);
  let pos = 0;
  const skipSpace = () => {
    while (pos < text.length && text[pos] === " ") pos++;
  };
  let trailer = "";
  while (pos < text.length) {
    skipSpace();
    let m: RegExpExecArray | null;
    if ((m = at(DIFF_GIT, text, pos))) {
      out.push(m[0]);
      files.push(m[2].replace(/^"?b\//, "").replace(/"$/, ""));
      pos += m[0].length;
      continue;
    }
    if ((m = at(INDEX, text, pos)) || (m = at(MODE, text, pos))) {
      out.push(m[0]);
      pos += m[0].length;
      continue;
    }
    if ((m = at(OLDF, text, pos))) {
      out.push(m[0]);
      pos += m[0].length;
      skipSpace();
      const n = at(NEWF, text, pos);
      if (n) {
        out.push(n[0]);
        pos += n[0].length;
        const f = n[1].replace(/^b\//, "");
        if (!files.includes(f) && f !== "/dev/null") files.push(f);
      }
      continue;
    }
    if ((m = at(HUNK, text, pos))) {
      hunks++;
      const start = +m[1];
      const oc = m[2] === undefined ? 1 : +m[2];
      const nc = m[4] === undefined ? 1 : +m[4];
      const bodyStart = pos + m[0].length;
      // the hunk text runs to the next hunk header or file header
      const nextHunk = hunkStarts.find((h) => h > pos) ?? text.length;
      const nextFile = (() => {
        const r = /\sdiff --git /g;
        r.lastIndex = bodyStart;
        const f = r.exec(text);
        return f ? f.index : text.length;
      })();
      let end = Math.min(nextHunk, nextFile);
      let body = text.slice(bodyStart, end);
      // the last hunk of the patch: a signature / footer may follow (" -- " then prose)
      if (end === text.length) {
        const sig = /\s--\s(?=[^;{}]{20,}$)/.exec(body) ?? /\s--\s+\d+\.\d+[\w.-]*\s*$/.exec(body);
        if (sig) {
          trailer = body.slice(sig.index).trim();
          body = body.slice(0, sig.index);
        }
      }
      const r = rebuildHunk(body, start, oc, nc);
      out.push(`${m[0]}${r.heading ? ` ${r.heading}` : ""}`);
      out.push(...r.lines);
      if (r.exact) exactHunks++;
      else damaged.push(`hunk ${m[0]}${files.length ? ` in ${files[files.length - 1]}` : ""}: ${r.notes.join("; ") || "line breaks guessed"}`);
      pos = end;
      continue;
    }
    // something else: the rest is trailing text
    trailer = `${text.slice(pos).trim()}${trailer ? ` ${trailer}` : ""}`;
    break;
  }
  damaged.unshift(
    `the page joined all lines: the patch's line breaks were rebuilt from its hunk headers (${exactHunks} of ${hunks} hunks matched their counts without guessing); indentation is lost`,
  );
  return { lines: out, damaged, trailer, files, hunks, exactHunks };
}
