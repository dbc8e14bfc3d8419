// The Message-IDs a commit message names in its Link: and Message-Id: trailers (b4 and the kernel
// maintainers' tools add "Link: https://lore.kernel.org/r/<msgid>", "Link: https://patch.msgid.link/<msgid>",
// older ones "Message-Id: <msgid>"). Pure; the value -> Message-ID rule is lib/mail/references'.
import { messageIdOfLink } from "../mail/references";

const LINK_KEYS = /^(?:link|message-id|msgid|lore|buglink)\s*:\s*(.+)$/i;

/** Message-IDs named by Link:/Message-Id: trailer lines of a commit message, in order, without duplicates. */
export function linkMsgids(body: string): string[] {
  const out: string[] = [];
  for (const line of body.split("\n")) {
    const m = LINK_KEYS.exec(line.trim());
    if (!m) continue;
    const id = messageIdOfLink(m[1]);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}
