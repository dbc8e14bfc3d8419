// Small helpers shared by the page parsers: lines, people, hashing. ("Name <addr>" itself is read
// by lib/mail/address.)

import { createHash } from "node:crypto";
import type { PagePerson } from "./types";
import { isRealAddress } from "../mail/address";

/** Lines of a page: "\r\n" and "\r" normalised, a final newline does not make an extra empty line. */
export function pageLines(text: string): string[] {
  const t = text.replace(/\r\n?/g, "\n");
  const lines = t.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function sha256hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}

export function isBlank(s: string | undefined): boolean {
  return s === undefined || s.trim() === "";
}

/** Drop blank lines at both ends of a line array (returns a new array). */
export function trimBlankLines(lines: string[]): string[] {
  let s = 0;
  let e = lines.length;
  while (s < e && isBlank(lines[s])) s++;
  while (e > s && isBlank(lines[e - 1])) e--;
  return lines.slice(s, e);
}

function nameKey(name: string): string {
  return name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/**
 * Addresses printed next to names anywhere on a page ("Signed-off-by: Jane Doe <jane@x.org>",
 * "On ..., Jane Doe <jane@x.org> wrote:", "From: Jane Doe <jane@x.org>" in a body, a signature
 * "Jane Doe <jane gmail.com>"). Used to fill senders whose address the page hides. A name seen
 * with several addresses maps to the one seen most often.
 */
export class PageAddressBook {
  private readonly byName = new Map<string, Map<string, { n: number; how: string }>>();

  constructor(text: string) {
    const add = (name: string, address: string, how: string) => {
      const k = nameKey(name);
      if (!k || k.split(" ").length > 6 || !isRealAddress(address)) return;
      let m = this.byName.get(k);
      if (!m) this.byName.set(k, (m = new Map()));
      const a = address.toLowerCase();
      const e = m.get(a);
      if (e) e.n++;
      else m.set(a, { n: 1, how });
    };
    for (const raw of pageLines(text)) {
      const line = raw.replace(/^(?:\s*>\s?)+/, "").trim();
      let m: RegExpExecArray | null;
      if ((m = /^([A-Za-z-]+-by|From|Cc|Reported-and-tested-by):\s*(.+?)\s*<([^<>\s]+@[^<>\s]+)>/.exec(line))) {
        add(m[2].replace(/^"|"$/g, ""), m[3], `page:${m[1]}`);
      }
      // attribution with an address: "... Jane Doe <jane@x.org> wrote:"
      if ((m = /(?:^|[\s,])([A-Z][^<>,:]{1,60}?)\s*<([^<>\s]+@[^<>\s]+)>\s*(?:wrote|writes|said)\s*:?\s*$/.exec(line))) {
        const nm = m[1].replace(/^.*\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?\s*/i, "").replace(/^On\s.*,\s*/, "");
        add(nm, m[2], "page:attribution");
      }
      // a signature's spam-proofed address: "Jane Doe <jane gmail.com>"
      if ((m = /^([A-Z][\w.' -]{1,60}?)\s*<([\w.+-]+) ([\w-]+(?:\.[\w-]+)+)>$/.exec(line))) {
        add(m[1], `${m[2]}@${m[3]}`, "page:signature");
      }
    }
  }

  /** The address the page shows for this name, or null. */
  lookup(name: string): { address: string; how: string } | null {
    const m = this.byName.get(nameKey(name));
    if (!m) return null;
    let best: { address: string; how: string; n: number } | null = null;
    for (const [address, v] of m) if (!best || v.n > best.n) best = { address, how: v.how, n: v.n };
    return best ? { address: best.address, how: best.how } : null;
  }

  /**
   * Resolve an obfuscated address: the page shows "jane@xxxxxxxxx" and elsewhere "jane@gmail.com"
   * (hypermail keeps the domain's length: one x per character).
   */
  resolveObfuscated(obfuscated: string, name: string): { address: string; how: string } | null {
    const m = /^([^@]+)@(x+)$/i.exec(obfuscated);
    if (!m) return null;
    const local = m[1].toLowerCase();
    const len = m[2].length;
    const candidates: { address: string; how: string; n: number }[] = [];
    for (const [, addrs] of this.byName) {
      for (const [a, v] of addrs) {
        const [l, d] = a.split("@");
        if (l === local && d && d.length === len) candidates.push({ address: a, how: v.how, n: v.n });
      }
    }
    const byName = this.lookup(name);
    if (byName && byName.address.split("@")[0] === local) return byName;
    if (candidates.length === 1) return { address: candidates[0].address, how: candidates[0].how };
    return null;
  }

  /** Fill `address` for a person whose address is hidden, when the page shows it elsewhere. */
  fill(p: PagePerson): PagePerson {
    if (p.address) return p;
    const hit = p.obfuscated ? this.resolveObfuscated(p.obfuscated, p.name) : p.name ? this.lookup(p.name) : null;
    if (!hit) return p;
    return { ...p, address: hit.address, addressFrom: hit.how };
  }
}

/** Greedy word wrap (used where a page lost the line breaks of prose). */
export function wrapWords(text: string, width = 72): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const out: string[] = [];
  let cur = "";
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}
