// File names in diff headers: C-quoted paths (`"a/foo\tbar"`), timestamps after `---`/`+++`
// names, the two names of a `diff --git` line and their a/ b/ (or mnemonic) prefixes.

const textEncoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8");

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '"': 34, "\\": 92 };

/** Parses a C-quoted name starting at s[at] === '"'. Returns the name and the index after the
 * closing quote, or null when the quoting is broken. Octal escapes are bytes (UTF-8). */
export function unquoteCPath(s: string, at = 0): { name: string; end: number } | null {
  if (s[at] !== '"') return null;
  const bytes: number[] = [];
  let i = at + 1;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') return { name: utf8Decoder.decode(new Uint8Array(bytes)), end: i + 1 };
    if (c === "\\") {
      const d = s[i + 1];
      if (d === undefined) return null;
      if (d >= "0" && d <= "7") {
        const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))!;
        bytes.push(parseInt(m[0], 8) & 0xff);
        i += 1 + m[0].length;
        continue;
      }
      const e = C_ESCAPES[d];
      if (e === undefined) return null;
      bytes.push(e);
      i += 2;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    for (const b of textEncoder.encode(ch)) bytes.push(b);
    i += ch.length;
  }
  return null;
}

/** A path as written in a `---`/`+++`/rename line: unquoted, timestamp dropped. */
export function cleanPath(raw: string): string {
  let s = raw;
  if (s.startsWith('"')) {
    const q = unquoteCPath(s);
    if (q) return q.name;
  }
  const tab = s.indexOf("\t");
  if (tab >= 0) s = s.slice(0, tab);
  else {
    // `--- foo.c 2011-12-05 20:15:49.000000000 +0000` (a diff without the tab)
    const m = /^(.*?)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?\s*$/.exec(s);
    if (m) s = m[1];
  }
  return s.replace(/\s+$/, "");
}

const PREFIX_RE = /^[abciow12]\//;

function stripFirst(p: string): string {
  const i = p.indexOf("/");
  return i >= 0 ? p.slice(i + 1) : p;
}

/** Splits the names of `diff --git <a> <b>` (git's git_header_name, simplified). */
function splitGitHeaderNames(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const a = unquoteCPath(rest);
    if (!a) return null;
    let i = a.end;
    while (rest[i] === " ") i++;
    const tail = rest.slice(i);
    if (tail.startsWith('"')) {
      const b = unquoteCPath(tail);
      return b ? [a.name, b.name] : null;
    }
    return [a.name, tail.replace(/\s+$/, "")];
  }
  const q = rest.indexOf(' "');
  if (q > 0) {
    const b = unquoteCPath(rest, q + 1);
    if (b) return [rest.slice(0, q), b.name];
  }
  const s = rest.replace(/\s+$/, "");
  // the split whose two halves name the same file once the first component is dropped
  for (let i = s.indexOf(" "); i > 0; i = s.indexOf(" ", i + 1)) {
    const a = s.slice(0, i);
    const b = s.slice(i + 1);
    if (stripFirst(a) === stripFirst(b) && a.includes("/") === b.includes("/")) return [a, b];
    if (a === b) return [a, b];
  }
  const ab = s.indexOf(" b/");
  if (s.startsWith("a/") && ab > 0) return [s.slice(0, ab), s.slice(ab + 1)];
  const mid = s.indexOf(" ");
  if (mid > 0) return [s.slice(0, mid), s.slice(mid + 1)];
  return null;
}


/** Names from a `diff --git` header, with their prefixes, plus the prefixes to strip elsewhere. */
export function gitNames(line: string): { a: string | null; b: string | null; preA: string; preB: string } {
  const names = splitGitHeaderNames(line.slice("diff --git ".length));
  if (!names) return { a: null, b: null, preA: "", preB: "" };
  let [a, b] = names;
  let preA = "";
  let preB = "";
  if (PREFIX_RE.test(a) && PREFIX_RE.test(b)) {
    preA = a.slice(0, 2);
    preB = b.slice(0, 2);
    a = a.slice(2);
    b = b.slice(2);
  }
  return { a, b, preA, preB };
}

export function stripPre(p: string, pre: string): string {
  return pre && p.startsWith(pre) ? p.slice(pre.length) : p;
}
