// Who is who: addresses as archives show them (obfuscated, placeholder domains) back to real
// addresses, names compared across spellings, and the rules that merge two addresses into one
// person. Pure. Conservative on purpose: a wrong merge puts one person's reviews on another's
// page, a missed merge only splits a page in two (which `patchlore people merge` fixes).
//
// Rules, strongest first (mergeReason), each kept as the merge's method:
//   deobfuscated        an address written "jane at example dot org", "jane () example ! org"
//                       (MARC), "jane[at]example[dot]org", "jane-at-example.org" ... spells
//                       another address exactly
//   obfuscated-partial  an address an archive masked ("jane@xxxxxxx": hypermail keeps the local
//                       part and the domain's length; "jan...@example.org": mail-archive keeps the
//                       domain) fits exactly one other address of a person with the same name
//   placeholder-domain  git's "jane@laptop.(none)" (no domain configured), localhost and
//                       .localdomain addresses: merged with an address of the same full name and
//                       the same local part, or the same full name alone when only one address
//                       carries that name
//   name+domain         the same full name (two words or more, no role like "kernel test
//                       robot") and the same organisation domain (equal, or one a subdomain of the
//                       other: linux.intel.com and intel.com). For webmail domains (gmail.com, ...)
//                       the local parts must spell the name (jane.doe, jdoe, doej) on both sides.
//   same-full-name      the same full name at two different organisations, where one is kernel.org
//                       (accounts kernel.org gives developers, used beside their employer's
//                       address: confidence 0.8) or both are employer domains (a job change:
//                       0.7). Not for webmail, lists, placeholder hosts. The name must be a full
//                       name of two words or more that is not ambiguous (isAmbiguousName: an
//                       initial, a very short name, a two-word name with a very common name part
//                       such as "Wei Wang" or "Mark Brown"). Never when the name is known to be two
//                       people's: two addresses carrying it at one domain that no rule merges
//                       (jane.doe@gmail.com and coolcat@gmail.com), or more than four addresses
//                       carrying it. Two employer domains also need the addresses used one after
//                       the other (the earlier one ends first, and they overlap by 60 days at
//                       most): two employers' addresses in use at the same time are two people as
//                       often as one.
// Name rules compare the names an address SENT mail under when known (a name beside an alias in a
// Cc proves nothing), and never apply to list addresses or to addresses several people send from
// (different surnames under one address: a bot's, a team's).
//   manual              `patchlore people merge <address> <address>`

import { isMailboxSpelling, isPlaceholderAddress, isRealAddress, normalizeAddress } from "../mail/address";

export type MergeMethod = "deobfuscated" | "obfuscated-partial" | "placeholder-domain" | "name+domain" | "same-full-name" | "manual";

export interface MergeReason {
  method: MergeMethod;
  /** 0..1: how sure the rule is */
  confidence: number;
  evidence: string;
}

export interface IdentityInput {
  id: number;
  address: string;
  /** every display name seen with the address (From, To, Cc) */
  names: string[];
  /** the names it sent mail under (From only): what name rules compare when given, since a name
   * written beside an address in a Cc ("Jiri Kosina <trivial@kernel.org>") does not make the
   * address that person's */
  senderNames?: string[];
  /** messages sent from the address (the canonical address of a group is the busiest) */
  messages?: number;
  /** dates (ISO) of the first and last message sent from the address, when known */
  firstSent?: string | null;
  lastSent?: string | null;
}

export interface MergeOptions {
  /** the shared name is carried by these two addresses only (placeholder-domain merges need it
   * when the local parts differ) */
  uniqueName?: boolean;
  /** the full name is known to be two people's (two addresses at one domain no rule merges, or
   * too many addresses carry it): same-full-name does not apply */
  homonyms?: boolean;
}

// Address syntax (normalizing, the mailbox spelling, placeholder hosts) is lib/mail/address's;
// normalizeAddress and isPlaceholderAddress stay part of this module's API for lib/passes/people.
export { isPlaceholderAddress, normalizeAddress };

const AT = String.raw`\s*(?:\bat\b|\[at\]|\(at\)|\{at\}|<at>|\s-at-\s|\s_at_\s|\s@\s|\s\(\)\s|\(\)|\s+at\s+)\s*`;
const DOT = String.raw`\s*(?:\bdot\b|\[dot\]|\(dot\)|\{dot\}|<dot>|!|\s-dot-\s|\s_dot_\s)\s*`;

/**
 * An obfuscated address spelled back, or null when `s` is no such spelling (or already plain):
 *   "jane at example dot org", "jane AT example DOT org", "jane [at] example [dot] org",
 *   "jane (at) example (dot) co (dot) uk", "jane () example ! org" (MARC), "jane-at-example.org",
 *   "jane_at_example.org", "jane@NOSPAM.example.org", "jane@example.org.invalid" stays as it is.
 */
export function deobfuscateAddress(s: string): string | null {
  let t = s.trim().replace(/^mailto:/i, "").replace(/^<|>$/g, "").trim();
  if (!t) return null;
  const plain = normalizeAddress(t);
  if (isMailboxSpelling(plain)) {
    // "jane@NOSPAM.example.org" / "jane@example.org.REMOVE": a marker word around a real address
    const m = /^([^@]+)@(?:(?:no[-_.]?spam|remove[-_.]?this|spam[-_.]?free)\.)(.+)$/i.exec(plain);
    return m && isMailboxSpelling(`${m[1]}@${m[2]}`) ? `${m[1]}@${m[2]}` : null;
  }
  // gmane/ML-style "jane-at-example.org", "jane_at_example.org"
  const dashed = /^([^\s@]+?)[-_]at[-_]([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(t);
  if (dashed) {
    const a = `${dashed[1]}@${dashed[2]}`.toLowerCase();
    return isMailboxSpelling(a) ? a : null;
  }
  const atRe = new RegExp(AT, "i");
  const m = atRe.exec(t);
  if (!m) return null;
  const local = t.slice(0, m.index).trim();
  let domain = t.slice(m.index + m[0].length).trim();
  if (!local || !domain || /\s/.test(local)) return null;
  domain = domain.replace(new RegExp(DOT, "gi"), ".").replace(/\s+/g, "");
  t = `${local}@${domain}`.toLowerCase();
  return isMailboxSpelling(t) ? t : null;
}

/** An address an archive masked: "jane@xxxxxxx" (hypermail), "jan...@example.org" (mail-archive, Google Groups). */
export interface MaskedAddress {
  /** the local part, or its visible beginning */
  local: string;
  localIsPrefix: boolean;
  /** the domain when shown, else its length (hypermail keeps it) */
  domain: string | null;
  domainLength: number | null;
}

export function parseMaskedAddress(s: string): MaskedAddress | null {
  const t = normalizeAddress(s);
  let m = /^([^\s@]+)@(x{3,})$/.exec(t);
  if (m) return { local: m[1], localIsPrefix: false, domain: null, domainLength: m[2].length };
  m = /^([^\s@]*?)(?:\.\.\.|…)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/.exec(t);
  if (m && m[1].length >= 1) return { local: m[1], localIsPrefix: true, domain: m[2], domainLength: null };
  m = /^([^\s@]+)@(?:\.\.\.|…)$/.exec(t);
  if (m) return { local: m[1], localIsPrefix: false, domain: null, domainLength: null };
  return null;
}

/** Does a real address fit a masked one? */
export function maskedMatches(mask: MaskedAddress, address: string): boolean {
  const a = normalizeAddress(address);
  const at = a.lastIndexOf("@");
  if (at < 1) return false;
  const local = a.slice(0, at);
  const domain = a.slice(at + 1);
  if (mask.localIsPrefix ? !local.startsWith(mask.local) : local !== mask.local) return false;
  if (mask.domain !== null && domain !== mask.domain) return false;
  if (mask.domainLength !== null && domain.length !== mask.domainLength) return false;
  return true;
}

/** Role names: several people send under them, so they never merge addresses. */
const ROLE_NAME = /\b(robot|bot|daemon|bugzilla|patchwork|mailer|admin|noreply|no-reply|list|team|maintainers?|ci|build|kernel test|test robot|syzbot|linux-next)\b/;

/**
 * A display name for comparing: accents removed, lower case, "Doe, Jane" -> "jane doe", quotes,
 * parenthesised notes ("Jane Doe (Intel)") and titles dropped, punctuation folded. "" when it is
 * no full name (one word, an address, empty).
 */
export function normalizeName(name: string): string {
  // "moderated list:ARM/...", "linux-mm mailing list": a list, not a person
  if (/:|\b(?:lists?|mailing|maillist|mailinglist|recipients|undisclosed)\b/i.test(name ?? "")) return "";
  let s = (name ?? "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  // "Russell King - ARM Linux admin", "Jane Doe via B4 Relay", "Jane Doe via linux-mm": the name before
  s = s.replace(/\s+(?:-{1,2}|–|via)\s+.*$/i, "");
  s = s.replace(/\([^)]*\)|\[[^\]]*\]/g, " ").replace(/["'`]/g, "");
  if (/@/.test(s)) return "";
  const comma = /^([^,]+),\s*([^,]+)$/.exec(s.trim());
  if (comma) s = `${comma[2]} ${comma[1]}`;
  s = s.toLowerCase().replace(/\b(dr|mr|mrs|ms|prof)\.?\s+/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim().replace(/\s+/g, " ");
  return s.split(" ").length >= 2 ? s : "";
}

export function isRoleName(normalized: string): boolean {
  return ROLE_NAME.test(normalized);
}

const WEBMAIL = new Set([
  "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.co.jp", "hotmail.com", "outlook.com", "live.com", "msn.com",
  "aol.com", "icloud.com", "me.com", "mac.com", "protonmail.com", "proton.me", "pm.me", "gmx.de", "gmx.net", "gmx.com", "web.de",
  "mail.ru", "yandex.ru", "yandex.com", "qq.com", "163.com", "126.com", "foxmail.com", "sina.com", "naver.com", "fastmail.com",
  "fastmail.fm", "zoho.com", "mail.com", "tutanota.com", "posteo.de", "posteo.net", "free.fr", "orange.fr", "libero.it",
]);

export function isWebmail(domain: string): boolean {
  return WEBMAIL.has(domain.toLowerCase());
}

function domainOf(a: string): string {
  return a.slice(a.lastIndexOf("@") + 1);
}
function localOf(a: string): string {
  return a.slice(0, a.lastIndexOf("@"));
}

/** equal, or one is a subdomain of the other ("linux.intel.com" / "intel.com"), never a bare TLD or public suffix-like "co.uk" */
export function sameOrganisation(d1: string, d2: string): boolean {
  if (d1 === d2) return true;
  const [short, long] = d1.length < d2.length ? [d1, d2] : [d2, d1];
  if (short.split(".").length < 2 || /^(?:co|com|org|net|ac|gov|edu)\.[a-z]{2}$/.test(short)) return false;
  return long.endsWith(`.${short}`);
}

/** Does a local part spell a name ("jane.doe", "jdoe", "doej", "janed", "jane")? */
export function localSpellsName(local: string, normalized: string): boolean {
  const l = local.toLowerCase().replace(/[^a-z0-9]/g, "");
  const parts = normalized.split(" ").map((p) => p.replace(/[^a-z0-9]/g, "")).filter(Boolean);
  if (parts.length < 2 || !l) return false;
  const first = parts[0];
  const last = parts[parts.length - 1];
  const forms = [first + last, last + first, first[0] + last, last + first[0], first + last[0], first, last, parts.join("")];
  return forms.some((f) => f.length >= 3 && (l === f || l.startsWith(f) && /^\d*$/.test(l.slice(f.length))));
}

/** The full names an identity is compared by: the names it sent under when known, else every name seen. */
export function matchingNames(p: IdentityInput): string[] {
  return [...new Set((p.senderNames ?? p.names).map(normalizeName).filter(Boolean))];
}

/** An address several people send from (different surnames under it: a bot's or a team's address). */
export function isSharedAddress(p: IdentityInput): boolean {
  const surnames = new Set(matchingNames(p).map((n) => n.slice(n.lastIndexOf(" ") + 1)));
  return surnames.size > 1;
}

/** A mailing list's address (lists.*, vger.kernel.org, Google Groups ...): never a person's. */
export function isListAddress(a: string): boolean {
  const d = domainOf(normalizeAddress(a));
  return /(?:^|\.)lists?\.|^vger\.kernel\.org$|(?:^|\.)googlegroups\.com$|(?:^|\.)groups\.io$|^lists$/.test(d);
}

/** The names two identities share (normalized), full names only. */
function sharedNames(a: IdentityInput, b: IdentityInput): string[] {
  const na = new Set(matchingNames(a));
  return matchingNames(b).filter((n) => na.has(n));
}

/** kernel.org: the accounts kernel.org gives developers, used beside their employer's address. */
export function isKernelOrg(domain: string): boolean {
  return domain.toLowerCase() === "kernel.org";
}

/** Name parts so common that a two-word name with one of them is many people's. */
const COMMON_NAME_PARTS = new Set([
  // Chinese (surnames and given names as romanized), Korean, Vietnamese, Japanese
  "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he",
  "lin", "gao", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian",
  "dong", "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren", "shen", "yao", "jun",
  "lei", "jie", "yan", "hui", "ming", "hong", "ping", "bin", "tao", "jing", "yi", "bo", "fei", "kim", "lee", "park", "choi",
  "jung", "kang", "cho", "yoon", "jang", "lim", "nguyen", "tran", "le", "pham", "hoang", "phan", "vu", "sato", "suzuki",
  "takahashi", "tanaka", "watanabe", "ito", "yamamoto", "nakamura", "kobayashi", "kato",
  // Indian
  "kumar", "singh", "sharma", "gupta", "patel", "shah", "reddy", "rao",
  // English, Spanish, German
  "smith", "johnson", "williams", "brown", "jones", "miller", "davis", "garcia", "rodriguez", "martinez", "wilson",
  "anderson", "taylor", "thomas", "moore", "martin", "jackson", "white", "harris", "clark", "lewis", "robinson", "walker",
  "young", "wright", "scott", "green", "baker", "adams", "hill", "mueller", "muller", "schmidt", "schneider", "fischer",
  "weber", "meyer", "wagner",
]);

/**
 * A full name (normalized) too ambiguous to merge addresses at different organisations on: fewer
 * than two words, an initial ("j doe"), fewer than seven letters ("li li", "jun nie"), or two words
 * one of which is a very common name part ("wei wang", "mark brown").
 */
export function isAmbiguousName(normalized: string): boolean {
  const parts = normalized.split(" ").filter(Boolean);
  if (parts.length < 2 || parts.some((p) => p.length < 2)) return true;
  if (parts.join("").length < 7) return true;
  return parts.length === 2 && parts.some((p) => COMMON_NAME_PARTS.has(p));
}

/**
 * Were two addresses used one after the other? The one that began first also ended first, and
 * they overlap by at most `maxOverlapDays` (a period inside the other is both at once); null when
 * a period is unknown.
 */
function usedInTurn(a: IdentityInput, b: IdentityInput, maxOverlapDays: number): boolean | null {
  const t = (x: string | null | undefined) => (x ? Date.parse(x) : NaN);
  let [a1, a2, b1, b2] = [t(a.firstSent), t(a.lastSent), t(b.firstSent), t(b.lastSent)];
  if ([a1, a2, b1, b2].some((x) => !Number.isFinite(x))) return null;
  if (b1 < a1) [a1, a2, b1, b2] = [b1, b2, a1, a2];
  return a2 <= b2 && a1 < b1 && (a2 - b1) / 86_400_000 <= maxOverlapDays;
}

/** Employer addresses used at the same time for longer than this are not one person's job change. */
const JOB_CHANGE_OVERLAP_DAYS = 60;

/** The same-full-name rule (see the file comment) for two real addresses at different organisations. */
function sameFullName(a: IdentityInput, b: IdentityInput, A: string, B: string, names: string[], opts: MergeOptions): MergeReason | null {
  if (opts.homonyms) return null;
  const dA = domainOf(A);
  const dB = domainOf(B);
  if (isWebmail(dA) || isWebmail(dB)) return null;
  const name = names.find((n) => !isAmbiguousName(n) && !isRoleName(n));
  if (!name) return null;
  if (isKernelOrg(dA) || isKernelOrg(dB)) {
    const [k, e] = isKernelOrg(dA) ? [A, B] : [B, A];
    return { method: "same-full-name", confidence: 0.8, evidence: `full name "${name}" on ${k} (kernel.org) and ${e} (employer)` };
  }
  if (usedInTurn(a, b, JOB_CHANGE_OVERLAP_DAYS) !== true) return null;
  return { method: "same-full-name", confidence: 0.7, evidence: `full name "${name}" on ${A} and ${B}, used one after the other (employer domains ${dA}, ${dB})` };
}

/**
 * Why a and b are the same person, or null (the rules in the file comment, strongest first).
 */
export function mergeReason(a: IdentityInput, b: IdentityInput, opts: MergeOptions = {}): MergeReason | null {
  const A = normalizeAddress(a.address);
  const B = normalizeAddress(b.address);
  if (!A || !B || A === B) return null;
  // an obfuscated spelling of the other address
  for (const [x, y] of [[A, B], [B, A]] as const) {
    if (deobfuscateAddress(x) === y) return { method: "deobfuscated", confidence: 0.99, evidence: `${x} spells ${y}` };
  }
  // name rules: never for a list, nor for an address several people send from
  if (isListAddress(A) || isListAddress(B) || isSharedAddress(a) || isSharedAddress(b)) return null;
  const names = sharedNames(a, b);
  // a masked address fitting the other one, with the same name
  for (const [x, y] of [[A, B], [B, A]] as const) {
    const mask = parseMaskedAddress(x);
    if (mask && isRealAddress(y, "mailbox") && maskedMatches(mask, y) && names.length) {
      return { method: "obfuscated-partial", confidence: 0.9, evidence: `${x} fits ${y}; both named "${names[0]}"` };
    }
  }
  if (!names.length) return null;
  const name = names[0];
  for (const [x, y] of [[A, B], [B, A]] as const) {
    if (isPlaceholderAddress(x) && isRealAddress(y, "mailbox")) {
      if (localOf(x) === localOf(y)) return { method: "placeholder-domain", confidence: 0.9, evidence: `${x} has no mail domain; same local part and name "${name}" as ${y}` };
      if (opts.uniqueName && !isRoleName(name)) return { method: "placeholder-domain", confidence: 0.8, evidence: `${x} has no mail domain; the only other address named "${name}" is ${y}` };
      return null;
    }
  }
  if (!isRealAddress(A, "mailbox") || !isRealAddress(B, "mailbox")) return null;
  const dA = domainOf(A);
  const dB = domainOf(B);
  // a role ("kernel test robot", "ARM-SoC Maintainers") is sent from by several people
  if (isRoleName(name)) return null;
  if (!sameOrganisation(dA, dB)) return sameFullName(a, b, A, B, names, opts);
  if (isWebmail(dA) || isWebmail(dB)) {
    if (!(localSpellsName(localOf(A), name) && localSpellsName(localOf(B), name))) return null;
    return { method: "name+domain", confidence: 0.85, evidence: `name "${name}" spelled by both local parts at ${dA}` };
  }
  return { method: "name+domain", confidence: 0.9, evidence: `name "${name}" at ${dA === dB ? dA : `${dA} and ${dB}`}` };
}

/** same-full-name: a name more addresses than this carry is no evidence of one person. */
const MAX_SAME_FULL_NAME_ADDRESSES = 4;

/** A real address of one person: a mailbox, no list, not shared by several senders. */
function isPersonalAddress(p: IdentityInput): boolean {
  return isRealAddress(p.address, "mailbox") && !isListAddress(p.address) && !isSharedAddress(p);
}

export interface ManualMerge {
  /** the address that stays canonical */
  into: string;
  address: string;
}

export interface IdentityAssignment {
  id: number;
  canonicalId: number | null;
  /** how this address joined its group (null for the canonical one and for lone addresses) */
  reason: MergeReason | null;
  /** the address it was found equal to */
  via: string | null;
}

/**
 * Groups addresses into people. Candidate pairs come from shared full names, deobfuscated and
 * masked addresses (never all pairs); groups are the connected components of the pairs that
 * mergeReason accepts, plus the manual merges. The canonical address of a group is the `into` of
 * its latest manual merge, else the one that sent the most messages (then the lowest id).
 */
export function groupIdentities(people: IdentityInput[], manual: ManualMerge[] = []): IdentityAssignment[] {
  const byId = new Map(people.map((p) => [p.id, p]));
  const byAddress = new Map(people.map((p) => [normalizeAddress(p.address), p]));
  const parent = new Map<number, number>(people.map((p) => [p.id, p.id]));
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y) !== r) {
      const n = parent.get(y)!;
      parent.set(y, r);
      y = n;
    }
    return r;
  };
  const edges = new Map<number, { reason: MergeReason; via: number }>();
  const link = (a: IdentityInput, b: IdentityInput, reason: MergeReason) => {
    const ra = find(a.id);
    const rb = find(b.id);
    if (ra === rb) return;
    parent.set(rb, ra);
    // kept on both sides: whichever becomes canonical, the other says how it joined
    if (!edges.has(b.id)) edges.set(b.id, { reason, via: a.id });
    if (!edges.has(a.id)) edges.set(a.id, { reason, via: b.id });
  };
  // candidates by name
  const byName = new Map<string, IdentityInput[]>();
  for (const p of people) {
    for (const n of matchingNames(p)) {
      const l = byName.get(n) ?? [];
      l.push(p);
      byName.set(n, l);
    }
  }
  for (const [, group] of byName) {
    // very common names: no automatic merge (too many different people share them)
    if (group.length < 2 || group.length > 25) continue;
    const uniqueName = group.length === 2;
    // first every rule but same-full-name, which needs to know whether the name is two people's
    const left: [IdentityInput, IdentityInput][] = [];
    let homonyms = group.filter(isPersonalAddress).length > MAX_SAME_FULL_NAME_ADDRESSES;
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const [x, y] = [group[i], group[j]];
        const r = mergeReason(x, y, { uniqueName, homonyms: true });
        if (r) link(x, y, r);
        else if (isPersonalAddress(x) && isPersonalAddress(y)) {
          // two addresses at one domain that no rule merges: two people carry this name
          if (sameOrganisation(domainOf(normalizeAddress(x.address)), domainOf(normalizeAddress(y.address)))) homonyms = true;
          else left.push([x, y]);
        }
      }
    }
    if (homonyms) continue;
    for (const [x, y] of left) {
      const r = mergeReason(x, y, { uniqueName, homonyms });
      if (r) link(x, y, r);
    }
  }
  // deobfuscated spellings (need no shared name)
  for (const p of people) {
    const d = deobfuscateAddress(p.address);
    const q = d ? byAddress.get(d) : undefined;
    if (q && q.id !== p.id) link(q, p, mergeReason(p, q)!);
  }
  // manual merges
  for (const m of manual) {
    const a = byAddress.get(normalizeAddress(m.into));
    const b = byAddress.get(normalizeAddress(m.address));
    if (!a || !b || a.id === b.id) continue;
    const reason: MergeReason = { method: "manual", confidence: 1, evidence: `merged into ${a.address} by a curator` };
    const ra = find(a.id);
    const rb = find(b.id);
    if (ra !== rb) parent.set(rb, ra);
    edges.set(b.id, { reason, via: a.id });
  }
  // canonical member per group
  const members = new Map<number, IdentityInput[]>();
  for (const p of people) {
    const r = find(p.id);
    const l = members.get(r) ?? [];
    l.push(p);
    members.set(r, l);
  }
  const canonicalOf = new Map<number, number>();
  for (const [root, list] of members) {
    if (list.length === 1) continue;
    // the latest manual "into" in this group (manual merges are applied in order)
    let chosen: number | undefined;
    for (const m of manual) {
      const a = byAddress.get(normalizeAddress(m.into));
      if (a && find(a.id) === root) chosen = a.id;
    }
    if (chosen === undefined) {
      chosen = [...list].sort((x, y) => (y.messages ?? 0) - (x.messages ?? 0) || x.id - y.id)[0].id;
    }
    canonicalOf.set(root, chosen);
  }
  return people.map((p) => {
    const c = canonicalOf.get(find(p.id));
    if (c === undefined || c === p.id) return { id: p.id, canonicalId: null, reason: null, via: null };
    const e = edges.get(p.id);
    return { id: p.id, canonicalId: c, reason: e?.reason ?? null, via: e ? byId.get(e.via)?.address ?? null : null };
  });
}
