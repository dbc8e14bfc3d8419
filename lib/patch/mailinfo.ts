// The building blocks of `git mailinfo` that split.ts follows: where the commit message ends
// (patchbreak), scissors lines, the subject as mailinfo cleans it, and in-body headers.

/** git's isspace: space, \t, \n, \r (not \v, \f); undefined (end of line) counts as the "\n" */
export function gitSpace(c: string | undefined): boolean {
  return c === undefined || c === " " || c === "\t" || c === "\n" || c === "\r";
}

/** mailinfo.c patchbreak() on a line without its "\n". */
export function isPatchBreak(l: string): boolean {
  if (l.startsWith("diff -")) return true;
  if (l.startsWith("Index: ")) return true;
  if (l.length < 3) return false;
  if (l.startsWith("---")) {
    if (l[3] === " " && !gitSpace(l[4])) return true;
    for (let i = 3; i < l.length; i++) if (!gitSpace(l[i])) return false;
    return true;
  }
  return false;
}

/** mailinfo.c is_scissors_line(). */
export function isScissorsLine(line: string): boolean {
  // fast path: without a pair of scissors there is nothing to count (most lines of every mail)
  if (!line.includes("8") && !line.includes("%")) return false;
  let scissors = 0;
  let gap = 0;
  let first = -1;
  let last = -1;
  let perforation = 0;
  let inPerforation = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (gitSpace(c) || c === "\v" || c === "\f") {
      if (inPerforation) {
        perforation++;
        gap++;
      }
      continue;
    }
    last = i;
    if (first < 0) first = i;
    if (c === "-") {
      inPerforation = true;
      perforation++;
      continue;
    }
    const two = line.slice(i, i + 2);
    if (two === ">8" || two === "8<" || two === ">%" || two === "%<") {
      inPerforation = true;
      perforation += 2;
      scissors += 2;
      i++;
      continue;
    }
    inPerforation = false;
  }
  const visible = first >= 0 ? last - first + 1 : 0;
  return scissors > 0 && 8 <= visible && visible < perforation * 3 && gap * 2 < perforation;
}

/** mailinfo.c cleanup_subject() + cleanup_space() (without -k / -b). */
export function mailinfoSubject(subject: string): string {
  let s = subject;
  for (;;) {
    const c = s[0];
    if (c === undefined) break;
    if (c === "r" || c === "R") {
      if (s.length <= 3) break;
      if ((s[1] === "e" || s[1] === "E") && s[2] === ":") {
        s = s.slice(3);
        continue;
      }
      break;
    }
    if (c === " " || c === "\t" || c === ":") {
      s = s.slice(1);
      continue;
    }
    if (c === "[") {
      const k = s.indexOf("]");
      if (k < 0) break;
      s = s.slice(k + 1);
      continue;
    }
    break;
  }
  return s.replace(/[ \t\n\r\v\f]+/g, " ").trim();
}

const INBODY = ["From", "Subject", "Date"] as const;
export type InbodyName = (typeof INBODY)[number];

export function inbodyHeaderName(l: string): InbodyName | null {
  for (const h of INBODY) {
    if (l.length > h.length && l.slice(0, h.length).toLowerCase() === h.toLowerCase() && l[h.length] === ":" && gitSpace(l[h.length + 1])) return h;
  }
  return null;
}

export const FORMAT_PATCH_FROM_RE = /^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/;

/** RFC 2047 encoded words in an in-body header, as mailinfo decodes them. */
export function decodeWords(s: string): string {
  if (!s.includes("=?")) return s;
  return s
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (all, cs: string, enc: string, data: string) => {
      try {
        let bytes: Uint8Array;
        if (enc.toLowerCase() === "b") {
          const bin = atob(data.replace(/[^A-Za-z0-9+/=]/g, ""));
          bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
        } else {
          const out: number[] = [];
          for (let i = 0; i < data.length; i++) {
            const ch = data[i];
            if (ch === "_") out.push(32);
            else if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3))) {
              out.push(parseInt(data.slice(i + 1, i + 3), 16));
              i += 2;
            } else out.push(ch.charCodeAt(0) & 0xff);
          }
          bytes = Uint8Array.from(out);
        }
        return new TextDecoder(cs.replace(/\*.*$/, "")).decode(bytes);
      } catch {
        return all;
      }
    });
}
