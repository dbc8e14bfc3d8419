// References to other messages written in text: Message-IDs ("<id@host>") and links to a message
// archive (lore, lkml.kernel.org/r, patch.msgid.link, public-inbox mirrors, patchwork). The one
// place that knows how they are written; every caller reads them through one of these:
//
//   messageIdsInLine(line)   the ids a line of a mail body names, as message.facts.bodyRefs stores
//                            them (lib/series extractBodyFacts, lib/proposals classifyRefs, Link:
//                            trailer URLs in lib/passes/proposals). Exact ids only: the stored ids are
//                            joined with message.msgid by equality in SQL.
//   cleanMessageId(token)    one token (a bare id after "Based-on:", a URL path segment) -> the id
//   messageIdOfLink(value)   the id a trailer value names ("Link: <url>", "Message-Id: <id>"):
//                            the last path segment with an "@" of any http(s) URL (lib/upstream)
//   findReferences(text)     classified references with line numbers, including ids an archive
//                            truncated ("7ca80231-...@intel.com") or obfuscated ("x@xxxxxxxxxx"),
//                            for archive pages (lib/archive-pages); referenceMatches() matches those
//                            against a full Message-ID
//   parseArchiveUrl(url)     { list, msgid } of a lore / public-inbox / patchwork message URL
//   bracketedIds(value)      "<a@b> <c@d>" header values as archive pages print them
//
// Why there are two text finders and not one: they were written for different inputs and their
// rules differ on purpose. messageIdsInLine reads mail bodies as sent; it trusts only the kernel's
// archive hosts and tells an address from an id by the line ("Reviewed-by: A <a@b.org>" is a
// person line). findReferences reads pages an archive rendered, where ids can be cut or masked; it
// accepts more archive hosts and ids after a "Message-ID:" label without brackets, and tells an
// address from an id by the shape of the id. Running either set of rules for the other's callers
// changes results (stored bodyRefs, page damage reports), so both stay, side by side, in this file.

/** A URL path segment (or any %-escaped text) decoded; kept as written when it is not valid. */
export function decodeUrlPart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// mail bodies: message.facts.bodyRefs

// https://lore.kernel.org/r/<msgid>, /all/<msgid>/, /<list>/<msgid>/T/#u, https://patch.msgid.link/<msgid>,
// https://lkml.kernel.org/r/<msgid>
const BODY_URL_RE = /https?:\/\/(?:lore\.kernel\.org|lkml\.kernel\.org|(?:patch\.)?msgid\.link|lore\.[\w.-]+)\/(?:(?:r|all|[\w.+-]+)\/)?([^\s/<>"'#?]+%40[^\s/<>"'#?]+|[^\s/<>"'#?]+@[^\s/<>"'#?]+)/gi;
const BODY_ANGLE_RE = /<([^<>\s@]{1,250}@[^<>\s@]{1,250})>/g;
// lines whose "<x@y>" is a person's address: "Reviewed-by: A <a@b.org>", "Cc: <x@y>"
const PERSON_LINE_RE = /^\s*(?:[\w-]+-by|to|cc|from|reply-to)\s*:/i;

/** One token -> a Message-ID: %-escapes decoded, brackets and trailing punctuation dropped; null
 * when what is left is not local@domain. (An address has that shape too: callers that read person
 * lines must skip them, as messageIdsInLine does.) */
export function cleanMessageId(token: string): string | null {
  const s = decodeUrlPart(token).replace(/^<|>$/g, "").replace(/[.,;:)\]]+$/, "");
  return /^[^\s@<>]+@[^\s@<>]+$/.test(s) ? s : null;
}

/** Message-IDs (and lore links) in one line of a mail body, in order: lore / lkml / msgid.link URLs
 * first, then "<id@host>" tokens unless the line names a person (trailer, To/Cc/From). */
export function messageIdsInLine(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(BODY_URL_RE)) {
    const id = cleanMessageId(m[1]);
    if (id) out.push(id);
  }
  if (!PERSON_LINE_RE.test(line)) {
    for (const m of line.matchAll(BODY_ANGLE_RE)) {
      const id = cleanMessageId(m[1]);
      if (id) out.push(id);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// trailer values: "Link: https://lore.kernel.org/r/<msgid>", "Message-Id: <msgid>"

/** The Message-ID a trailer value names: "<msgid>" or a bare "msgid", or an http(s) URL whose last
 * path segment with an "@" is the id (lore's /r/<msgid>, /<list>/<msgid>/T/#u, patch.msgid.link/<msgid>,
 * any other host too: commit trailers point at many archives); null otherwise. */
export function messageIdOfLink(value: string): string | null {
  const s = value.trim().replace(/^<|>$/g, "");
  const angle = /^<?([^<>\s]+@[^<>\s]+?)>?$/.exec(s);
  if (angle && !/^[a-z]+:\/\//i.test(s)) return angle[1];
  let u: URL;
  try {
    u = new URL(s.split(/\s/)[0]);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(u.protocol)) return null;
  const segs = u.pathname.split("/").filter(Boolean).map(decodeUrlPart);
  const withAt = segs.filter((x) => x.includes("@") && !x.startsWith("@"));
  const id = withAt[withAt.length - 1];
  if (!id) return null;
  return id.replace(/^<|>$/g, "");
}

// ---------------------------------------------------------------------------------------------
// archive pages: header values

/** A Message-ID header value as a page prints it, without brackets and surrounding blanks. */
export function unbracketMessageId(s: string): string {
  return s.trim().replace(/^<|>$/g, "").trim();
}

/** All <...@...> ids in a header value, brackets removed, in order, deduplicated. */
export function bracketedIds(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/<([^<>\s]+@[^<>\s]+)>/g)) if (!out.includes(m[1])) out.push(m[1]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// archive pages: references in text, truncated and obfuscated ids included

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

/** A lore / public-inbox URL -> { list, msgid } when it names a message. */
export function parseArchiveUrl(url: string): { list: string; msgid: string } | null {
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

const PAGE_URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/g;
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
    for (const um of line.matchAll(PAGE_URL_RE)) {
      const url = um[0].replace(/[).,;:!?\]]+$/, "");
      urlSpans.push([um.index!, um.index! + url.length]);
      const lore = parseArchiveUrl(url);
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

