// Atom (RFC 4287) feeds. Everything from mail is escaped as XML text; characters XML 1.0 cannot
// carry at all (control characters, lone surrogates) are dropped.

export interface AtomEntry {
  title: string;
  authorName: string;
  authorEmail: string;
  /** ISO 8601 */
  updated: string | null;
  /** an absolute IRI: mid:<Message-ID> (RFC 2392) */
  id: string;
  /** where to read it (relative to the feed) */
  link: string;
  /** plain text */
  summary: string;
}

export interface AtomFeed {
  title: string;
  id: string;
  /** the feed itself and the page it belongs to, relative */
  self: string;
  alternate: string;
  updated: string;
  entries: AtomEntry[];
}

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe inside an XML element or a double-quoted attribute. */
export function xmlEscape(s: string): string {
  return s
    .replace(NOT_XML_CHAR, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function midIri(msgid: string): string {
  return `mid:${encodeURIComponent(msgid)}`;
}

export function atomFeed(f: AtomFeed): string {
  const e = xmlEscape;
  const out: string[] = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `<title>${e(f.title)}</title>`,
    `<id>${e(f.id)}</id>`,
    `<link rel="self" type="application/atom+xml" href="${e(f.self)}"/>`,
    `<link rel="alternate" type="text/html" href="${e(f.alternate)}"/>`,
    `<updated>${e(f.updated)}</updated>`,
    `<generator>patchlore</generator>`,
  ];
  for (const x of f.entries) {
    out.push(
      `<entry>`,
      `<title type="text">${e(x.title || "(no subject)")}</title>`,
      `<author><name>${e(x.authorName || x.authorEmail || "(unknown)")}</name>${x.authorEmail ? `<email>${e(x.authorEmail)}</email>` : ""}</author>`,
      `<updated>${e(x.updated ?? f.updated)}</updated>`,
      `<id>${e(x.id)}</id>`,
      `<link rel="alternate" type="text/html" href="${e(x.link)}"/>`,
      `<summary type="text">${e(x.summary)}</summary>`,
      `</entry>`,
    );
  }
  out.push(`</feed>`, "");
  return out.join("\n");
}
