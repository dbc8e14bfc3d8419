// What a reply's own text holds that is not a review comment: a ping ("Gentle ping", "Any comments
// on this?", "Friendly reminder"), a bare link or Message-ID reference, and mutt's attachment
// markers ("[-- Attachment #2: signature.asc --]", "[-- Type: text/plain, Size: 1K --]", often in
// archives). Comment runs (anchor-comment-runs) drop marker lines and leave out runs that are only
// a ping or only links: they neither open discussions nor anchor to code.

/** mutt's attachment and part markers: "[-- Attachment #1 --]", "[-- Attachment #2: x.patch --]", "[-- Type: … --]" */
const ATTACHMENT_MARKER = /^\s*\[--\s.*\s--\]\s*$/;

export function isAttachmentMarker(line: string): boolean {
  return ATTACHMENT_MARKER.test(line);
}

const URL = /^<?(?:(?:https?|ftp|git):\/\/|www\.|lore\.kernel\.org\/|patchwork\.\S+\/)\S+?>?[.,;)]?$/i;
/** "<20230101.123-1-a@b.org>", "Message-ID: <…>", "msgid:…", "id:<…>" */
const MSGID = /^(?:(?:message-?id|msg-?id|id)\s*:\s*)?<?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?[.,;)]?$/i;
/** "[1]", "1.", "-", "*", "See", "Link:", "ref:" ahead of the reference */
const REF_LEAD = /^(?:\[\d+\]:?|\d+[.)]|[-*•]|see:?|link:|ref(?:erence)?s?:|cf\.?|at:?|(?:message-?id|msg-?id)\s*:)\s*/i;

/** A line that is only a reference: a URL or a Message-ID (with a footnote mark or "Link:" ahead). */
function isReferenceLine(line: string): boolean {
  let t = line.trim();
  for (let k = 0; k < 2 && REF_LEAD.test(t); k++) t = t.replace(REF_LEAD, "");
  if (!t || /\s/.test(t)) return false;
  return URL.test(t) || MSGID.test(t);
}

/** A comment that is only links or Message-ID references (one or more, each on its own line). */
export function isLinkOnly(text: string): boolean {
  const ls = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return ls.length > 0 && ls.every(isReferenceLine);
}

const GREETING = /^(?:hi|hello|hey|dear)\b[^.?!]{0,40}[,!]\s*/i;
/** one sentence of a ping, lower case, punctuation and white space collapsed */
const PING_SENTENCES: RegExp[] = [
  // "ping", "gentle ping", "ping on this series", "friendly ping for this patch", "ping^2"
  /^(?:(?:a |just a )?(?:gentle|friendly|kind|polite|soft|humble|quick|another|re-?)\s*)*ping(?:\s*\^?\s*\d+|\s*x\s*\d+)?(?:\s+(?:on|for|about|regarding|re)\s+(?:this|these|the|my)(?:\s+(?:patch|patches|series|patchset|patch set|one|change|changes|thread|set|v\d+))?)?(?:\s+(?:again|please))?$/,
  // "friendly reminder", "just a gentle reminder about this series"
  /^(?:(?:a |just a )?(?:gentle|friendly|kind|polite|quick|soft|small)\s*)*reminder(?:\s+(?:on|for|about|regarding)\s+(?:this|these|the|my)(?:\s+(?:patch|patches|series|patchset|patch set|one|change|changes|thread|set))?)?$/,
  // "any comments on this?", "any feedback?", "any updates on this series?", "any news?"
  /^(?:are there |is there |do you have |have you got )?any (?:comments?|feedback|updates?|news|thoughts|reviews?|objections?|progress|input|concerns?)(?:\s+(?:on|for|about|regarding)\s+(?:this|these|the|my)(?:\s+(?:patch|patches|series|patchset|patch set|one|change|changes|thread|set|v\d+))?)?(?:\s+(?:yet|so far|please))?$/,
  // "could someone (please) take a look (at this)?", "can this be applied/picked up/merged?"
  /^(?:could|can|would|will) (?:someone|somebody|anyone|you|anybody)(?: please)? (?:take a look|have a look|review|pick (?:this|it) up|apply (?:this|it)|merge (?:this|it)|look at (?:this|it))(?:\s+(?:at )?(?:this|these|it|the (?:patch|series)))?(?: please)?$/,
  /^(?:can|could) (?:this|these|it) (?:patch |series )?(?:be )?(?:applied|picked up|merged|reviewed|taken)(?: please)?$/,
  /^(?:i|we) (?:would|'d) appreciate (?:any |some )?(?:comments|feedback|reviews?)$/,
  /^(?:please|kindly) (?:review|take a look|have a look)$/,
  /^(?:bump|bumping|bumping this|bump this|up)$/,
];

const sentenceNorm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[.?!…,;:~]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/** A comment that only pings: every sentence of it asks for attention, none says anything about the code. */
export function isPing(text: string): boolean {
  let t = text.trim();
  if (!t || t.length > 300) return false;
  t = t.replace(GREETING, "");
  // sentences: lines, and what ends with "." "?" "!"
  const parts = t
    .split(/\n|(?<=[.?!])\s+/)
    .map(sentenceNorm)
    .filter((s) => s !== "" && !/^(?:hi|hello|hey|dear)\b.{0,40}$/.test(s) && !/^(?:thanks?(?: you)?(?: in advance)?|thx|tia)$/.test(s));
  return parts.length > 0 && parts.every((s) => PING_SENTENCES.some((re) => re.test(s)));
}

/** Not a review comment: a ping, a bare link or Message-ID, an attachment marker. */
export function isNotAComment(text: string): boolean {
  const ls = text.split("\n").filter((l) => !isAttachmentMarker(l));
  const t = ls.join("\n").trim();
  return t === "" || isPing(t) || isLinkOnly(t);
}
