// The Message-IDs a commit message names in its Link: and Message-Id: trailers (b4 and the kernel
// maintainers' tools add "Link: https://lore.kernel.org/r/<msgid>", "Link: https://patch.msgid.link/<msgid>",
// older ones "Message-Id: <msgid>"). Pure.

const LINK_KEYS = /^(?:link|message-id|msgid|lore|buglink)\s*:\s*(.+)$/i;

/** A Message-ID out of a lore-style URL (…/r/<msgid>, …/<list>/<msgid>/T/#u, patch.msgid.link/<msgid>) or "<msgid>". */
export function msgidFromReference(v: string): string | null {
  const s = v.trim().replace(/^<|>$/g, "");
  const angle = /^<?([^<>\s]+@[^<>\s]+?)>?$/.exec(s);
  if (angle && !/^[a-z]+:\/\//i.test(s)) return angle[1];
  let u: URL;
  try {
    u = new URL(s.split(/\s/)[0]);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(u.protocol)) return null;
  const segs = u.pathname.split("/").filter(Boolean).map((x) => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  });
  const withAt = segs.filter((x) => x.includes("@") && !x.startsWith("@"));
  const id = withAt[withAt.length - 1];
  if (!id) return null;
  return id.replace(/^<|>$/g, "");
}

/** Message-IDs named by Link:/Message-Id: trailer lines of a commit message, in order, without duplicates. */
export function linkMsgids(body: string): string[] {
  const out: string[] = [];
  for (const line of body.split("\n")) {
    const m = LINK_KEYS.exec(line.trim());
    if (!m) continue;
    const id = msgidFromReference(m[1]);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}
