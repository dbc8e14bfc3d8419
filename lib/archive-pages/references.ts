// References to other messages written in a text: Message-IDs ("<id@host>", also truncated by an
// archive: "<7ca80231-fe02-a3a7-84bc-ce81690ea...@intel.com>", or obfuscated:
// "<1234.surenb@xxxxxxxxxx>"), lore links ("https://lore.kernel.org/linux-mm/<msgid>/", also
// /r/, /all/, ?id=, T/#u tails) and "Link:" trailers. General: meant for any mail body.

export type ReferenceKind = "msgid" | "lore-link" | "link-trailer";

export interface TextReference {
  kind: ReferenceKind;
  /** the Message-ID (without brackets) for "msgid" and "lore-link"; the URL for a "link-trailer"
   * that does not point at a message archive (for one that does, the Message-ID) */
  value: string;
  /** the id was cut by the archive ("…@" / "...@"): only a prefix (and the domain) is known */
  truncated: boolean;
  /** 1-based line number in the text */
  line: number;
  /** the id's domain was replaced by x's (hypermail): only the local part is known */
  obfuscated?: boolean;
  /** the list name in a lore link ("linux-mm", "all", "r") */
  list?: string;
  /** the full URL for links */
  url?: string;
}

const TRUNC = /(?:\.\.\.|…)/;

function decodeUrlPart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A lore / public-inbox URL -> { list, msgid } when it names a message. */
export function parseLoreUrl(url: string): { list: string; msgid: string } | null {
  const m = /^https?:\/\/(lore\.kernel\.org|lkml\.kernel\.org|[a-z0-9.-]*public-inbox[a-z0-9.-]*|inbox\.sourceware\.org|yhbt\.net\/lore|lore\.[a-z0-9.-]+)\/([^/\s]+)\/([^/\s?#]+@[^/\s?#]+)/i.exec(url);
  if (m) return { list: m[2], msgid: decodeUrlPart(m[3]) };
  // lkml.kernel.org/r/<msgid>
  const r = /^https?:\/\/(?:lkml|lore)\.kernel\.org\/r\/([^/\s?#]+@[^/\s?#]+)/i.exec(url);
  if (r) return { list: "r", msgid: decodeUrlPart(r[1]) };
  // patchwork: /patch/<msgid>/
  const pw = /^https?:\/\/patchwork\.[^/]+\/(?:project\/[^/]+\/)?patch\/([^/\s?#]+@[^/\s?#]+)/i.exec(url);
  if (pw) return { list: "patchwork", msgid: decodeUrlPart(pw[1]) };
  return null;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/g;
// "<local@domain>" — local may contain dots, dashes, '=', '+', '$', '%', truncation marks
const BRACKET_ID = /<([^<>\s@"]{1,250}@[^<>\s@"]{1,250})>/g;
// Message-ID: 1234@x (no brackets) after an explicit label
const LABELLED_ID = /\b(?:Message-ID|Message-Id|msgid|In-Reply-To|References)\s*:\s*<?([^<>\s@"]+@[^<>\s@",;]+)>?/gi;

/** "<jane@example.org>" after "Jane Doe" is an address, "<20191209141754.GA6841@redhat.com>" an id. */
function looksLikeAddress(local: string, domain: string, line: string, index: number): boolean {
  const before = line.slice(Math.max(0, index - 40), index);
  if (/(?:Message-I[Dd]|In-Reply-To|References|msgid)\s*:?\s*$/i.test(before)) return false;
  if (!domain.includes(".") && !/^x{3,}$/i.test(domain)) return false; // "camel@twins": hosts without a dot are id-makers, not mail domains
  const idLike = /\d{5,}|[0-9a-f]{12,}|[=$%]|^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(local) || /^mail\.gmail\.com$/i.test(domain);
  return !idLike;
}

/** All references in `text`, in order of appearance. */
export function findReferences(text: string): TextReference[] {
  const out: TextReference[] = [];
  const seen = new Set<string>();
  const push = (r: TextReference) => {
    const k = `${r.kind}\u0000${r.value}\u0000${r.line}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(r);
  };
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  lines.forEach((rawLine, idx) => {
    const lineNo = idx + 1;
    // strip quote markers so quoted trailers count too
    const line = rawLine.replace(/^(?:\s*>)+\s?/, "");
    const trailer = /^\s*Link:\s*(\S+)/i.exec(line);
    const urlSpans: [number, number][] = [];
    for (const um of line.matchAll(URL_RE)) {
      const url = um[0].replace(/[).,;:!?\]]+$/, "");
      urlSpans.push([um.index!, um.index! + url.length]);
      const lore = parseLoreUrl(url);
      const isTrailer = !!trailer && trailer[1].startsWith(url.slice(0, 20));
      if (lore) {
        const truncated = TRUNC.test(lore.msgid);
        const obfuscated = /@x{3,}$/i.test(lore.msgid);
        push({ kind: isTrailer ? "link-trailer" : "lore-link", value: lore.msgid, truncated, line: lineNo, list: lore.list, url, ...(obfuscated ? { obfuscated } : {}) });
      } else if (isTrailer) {
        push({ kind: "link-trailer", value: url, truncated: TRUNC.test(url), line: lineNo, url });
      }
    }
    const inUrl = (i: number) => urlSpans.some(([s, e]) => i >= s && i < e);
    for (const m of line.matchAll(BRACKET_ID)) {
      if (inUrl(m.index!)) continue;
      const id = m[1];
      const at = id.lastIndexOf("@");
      const local = id.slice(0, at);
      const domain = id.slice(at + 1);
      const truncated = TRUNC.test(id);
      const obfuscated = /^x{3,}$/i.test(domain);
      if (looksLikeAddress(local.replace(TRUNC, ""), domain, line, m.index!)) continue;
      push({ kind: "msgid", value: id, truncated, line: lineNo, ...(obfuscated ? { obfuscated } : {}) });
    }
    for (const m of line.matchAll(LABELLED_ID)) {
      if (inUrl(m.index!)) continue;
      const id = m[1];
      push({ kind: "msgid", value: id, truncated: TRUNC.test(id), line: lineNo, ...(/@x{3,}$/i.test(id) ? { obfuscated: true } : {}) });
    }
  });
  return out;
}

/**
 * Does a (possibly truncated) reference match a full Message-ID? "7ca80231-fe02-a3a7-84bc-ce81690ea...@intel.com"
 * matches "7ca80231-fe02-a3a7-84bc-ce81690eac2a@intel.com"; an obfuscated "x@xxxxxxxxxx" matches on
 * the local part and the domain's length.
 */
export function referenceMatches(ref: Pick<TextReference, "value" | "truncated" | "obfuscated">, msgid: string): boolean {
  if (!ref.truncated && !ref.obfuscated) return ref.value === msgid;
  const at = ref.value.lastIndexOf("@");
  const local = ref.value.slice(0, at);
  const domain = ref.value.slice(at + 1);
  const mat = msgid.lastIndexOf("@");
  const mLocal = msgid.slice(0, mat);
  const mDomain = msgid.slice(mat + 1);
  if (ref.obfuscated) {
    return mDomain.length === domain.length && (ref.truncated ? mLocal.startsWith(local.replace(TRUNC, "")) : mLocal === local);
  }
  const prefix = local.split(TRUNC)[0];
  return mDomain.toLowerCase() === domain.toLowerCase() && mLocal.startsWith(prefix) && prefix.length >= 4;
}

