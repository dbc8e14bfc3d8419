// Decisions a message announces in its own text: a maintainer applied or queued a patch, a pull
// request was merged, a reviewer NAKed, the author superseded or withdrew a series, a maintainer
// refused it. Recognized formats: maintainers' "Applied to <tree>, thanks!" / "Applied for next"
// / "Thanks, applied" / "Queued for 6.8" / "Picked up", b4's thank-you mails ("[1/3] subject /
// commit: <sha>"), patchwork-bot ("This series was applied to netdev/net-next.git (main)"),
// pr-tracker-bot ("… has been merged into torvalds/linux.git: https://git.kernel.org/torvalds/c/<sha>"),
// "Pulled, thanks", "Nacked-by:" trailers and "NAK" as a line or sentence of its own,
// "superseded by v3", "please ignore, v2 coming", "please drop this series", "self-NAK",
// "we won't take this because …".
// Only the author's own lines are read: a decision in a quote is somebody else's, earlier.
// Pure; no I/O.

import { paragraphs, sentences, type Paragraph } from "./text";
import type { MessageText, Provenance } from "./types";

export type DecisionKind =
  | "applied"
  | "queued"
  | "merged"
  | "nak"
  | "changes-requested"
  | "deferred"
  | "superseded"
  | "withdrawn"
  | "rejected";

export interface Decision extends Provenance {
  kind: DecisionKind;
  /** the tree or branch named ("mm-unstable", "mmc-next", "next", "fixes", "netdev/net-next.git", a git URL) */
  tree?: string;
  /** a branch named apart from the tree ("main" of "netdev/net-next.git (main)", "for-next" after a URL) */
  branch?: string;
  /** a release named ("6.8", "v5.20": "Queued for v5.20") */
  release?: string;
  /** the commit the patch became (b4 ty "commit: <sha>", patchwork-bot and pr-tracker-bot links) */
  commit?: string;
  /** which patch of the series, when the message names it (b4 ty "[1/3] subject") */
  patch?: { index: number; total?: number; title?: string };
  /** why (NAK, rejection, supersession), as written */
  reason?: string;
  /** who decided: the sender (DecisionOptions.from), or the person a Nacked-by trailer names */
  actor: string | null;
}

export interface DecisionOptions {
  /** the sender ("Jane Doe <jane@example.org>" or just a name): becomes Decision.actor */
  from?: string | null;
  /**
   * the message answers another (not a patch, cover letter or pull request of its own): only a
   * reply asks for changes or puts a patch off. Unset counts as a reply.
   */
  isReply?: boolean;
  /** a cover letter: asks for nothing either */
  isCover?: boolean;
}

const GENERIC_TREE = /^(?:tree|branch|repo|repository|git|queue|the|my|our|his|her|your|it|this|that)$/i;
const BRANCH_WORD = /^(?:master|main|next|for-next|fixes|devel|develop|for-linus|for-current|for-\S+|\S+-next|\S+-fixes)$/i;
const VERSION = /^v?\d+\.\d+(?:\.\d+)?(?:-rc\d+)?$/i;

interface Where {
  tree?: string;
  branch?: string;
  release?: string;
}

/** "to mm-unstable, thanks." / "for next" / "to git.kernel.org/…/mmc-utils.git master, thanks!" / "on the devel branch for v5.20" */
function whereFrom(rest: string): Where {
  const out: Where = {};
  let r = rest;
  for (let guard = 0; guard < 3; guard++) {
    const m = /^\s*,?\s*(?:to|into|in|for|on|at|via|through)\s+(.+)$/i.exec(r);
    if (!m) break;
    // words up to punctuation or a connective
    const phrase = /^([^\s,;!()]+(?:\s+(?![Tt]hanks|and\b|with\b|by\b|as\b|so\b|but\b|because\b|since\b|now\b|after\b|for\b|on\b|to\b|in\b|at\b)[^\s,;!()]+){0,3}?)(?=\s*(?:[,;!]|\.(?:\s|$)|$|\s+(?:[Tt]hanks|and|with|by|as|so|but|because|since|now|after|for|on|to|in|at)\b|\s*\())/.exec(m[1]);
    if (!phrase) break;
    let words = phrase[1].replace(/[.!]+$/, "").split(/\s+/).filter(Boolean);
    words = words.map((w) => w.replace(/^["'`]+|["'`]+$/g, "")).filter((w, i) => w && !(i === 0 && /^(?:the|my|our|his|her|your)$/i.test(w)));
    while (words.length && GENERIC_TREE.test(words[words.length - 1])) words.pop();
    r = m[1].slice(phrase[1].length);
    if (!words.length) continue;
    if (words.length === 1 && VERSION.test(words[0])) {
      out.release ??= words[0];
      continue;
    }
    if (words.length >= 2 && BRANCH_WORD.test(words[words.length - 1]) && !out.tree) {
      out.tree = words.slice(0, -1).join(" ");
      out.branch = words[words.length - 1];
      continue;
    }
    if (!out.tree) out.tree = words.join(" ").replace(/[),]+$/, "");
  }
  return out;
}

// "Applied", "Thanks, applied", "I've applied", "Patch 1 is also applied", "Both applied"
const LEAD = String.raw`^(?:(?:thanks|thank you|great|ok|okay|good|nice|cool)[,!.]*\s+)?(?:(?:I've|I have|I|we've|we have|we|now|also|both|all|this one|(?:this|the) (?:patch|series|fix|one)|series|patches|patch(?:es)?\s+[\d/,\s-]+(?:and\s+\d+\s+)?|(?:is|are|was|were|has been|have been|now|also)\s+|(?:the\s+)?(?:whole\s+)?series\s+)\s*)*`;
const APPLIED = new RegExp(LEAD + String.raw`(?:re-?)?applied\b(.*)$`, "i");
const APPLIED_OK_REST = /^\s*(?:$|[,.!;:]|\(|(?:to|into|for|on|in|at)\b|thanks|thank you|now\b|with\b|as well|too\b|and (?:queued|pushed)|,)/i;
const APPLIED_BAD_REST = /^\s*(?:cleanly|fine|on top|against|without|locally|here\b|and (?:tested|booted|it|the|ran)|it\b|this\b|the (?:patch|series|fix)|your|in (?:my|the) (?:local|testing|test))/i;
const QUEUED = new RegExp(LEAD + String.raw`queued(?:\s+(?:it|this|them|these|the series|the patch(?:es)?))?(?:\s+up)?\b(.*)$`, "i");
const PICKED = new RegExp(LEAD + String.raw`picked\s+(?:up|it up|them up|this up|these up|(?:this|the|these|both|all)\s+(?:\w+\s+)?(?:patch(?:es)?|series)\s+up|(?:this|the|these|both|all)\s+(?:\w+\s+)?(?:patch(?:es)?|series))\b(.*)$`, "i");
const PICKED_BAD = /-by\b|\btags?\b|\bfrom (?:previous|the previous|v\d|an older)|dependency|in my series|into (?:this|my) series/i;
const PULLED = /^(?:(?:thanks|thank you)[,!.]*\s+)?(?:(?:I've|I have|I|now)\s+)?(pulled|merged)(?:\s+(?:into|to|in)\s+(\S+?))?\s*(?:[,.!]\s*(?:thanks|thank you)?\s*[.!]*)?$/i;

const NAK_TRAILER = /^\s*N(?:ACK|ack|AK|ak)ed-by:\s*(.+?)\s*$/;
const NAK_LINE = /^\s*(?:N(?:ACK|ack|AK|ak))\s*[.!]*\s*$/;
const NAK_SENTENCE = /^(?:(?:[Ss]o|[Hh]ence|[Tt]hus|[Tt]hen|[Ss]orry|[Ss]orry,? but|[Ii]n that case|[Ff]or now|[Aa]s is|[Aa]s it stands),?\s+)?(?:NACK|NAK|Nack|Nak)(?![-\w])(?!\s+(?:from v\d|on v\d|withdrawn|is\b|was\b|has\b|stands\b))[.,:!]?\s*(.*)$/;
const NAK_VERB = /\bI(?:'m| am|'ll| will| have to| must| need to|'d| would)? (?:NAK|NACK|nak|nack)(?:ing)? (?:this|it|the (?:series|patch|change)|that)\b/;
const SELF_NAK = /\b[Ss]elf[- ]?(?:NAK|NACK|[Nn]ak|[Nn]ack)(?:ed)?\b/;

const SUPERSEDED = /\b(?:this|the|these|my) (?:\w+ )?(?:patch(?:es|set)?|series|version|posting|RFC|submission)\b[^.?!]{0,30}\b(?:is|are|was|were|has been|have been|now|got) (?:superseded|obsoleted|replaced) by\b|^(?:superseded|obsoleted|replaced) by\b|\b(?:is|are|has been|have been|now) superseded by\b/i;
const IGNORE = /\bplease (?:ignore|disregard)(?:\s+(?:this|it|the (?:whole )?(?:series|patch(?:set)?|previous (?:version|one|series|patch|posting))|this (?:whole )?(?:series|patch(?:set)?|version|one|e?mail|thread|posting)|v\d+))?\s*(?:[,.;:!]|$|\(| as | since | because | in favou?r| -| for now)/i;
const NEXT_VERSION = /\bv\d+\b|\bnew version\b|\bnext version\b|\brespin\b|\bresend\b|\bre-?send\b|\bcoming\b|\bwill send\b|\bI'll send\b|\bupdated (?:series|version|patch)\b/i;
const IN_FAVOUR = /\bdrop(?:ping|ped)?\s+(?:this|it|the (?:series|patch(?:set)?)|this (?:series|patch(?:set)?))\s+in fav(?:ou)?r of\b\s*(.*)$/i;
const WITHDRAW = /\bI(?:'m| am)? withdraw(?:ing)? (?:this|the|my) (?:whole )?(?:series|patch(?:set|es)?|proposal|RFC|submission)\b|\bI withdraw (?:this|it)\b|\bplease drop (?:this|the|my) (?:whole )?(?:series|patch(?:set|es)?)\b(?! from)(?! for now)/i;
const REJECT_OBJ = String.raw`(?:this|it|these|them|that|this one|the (?:patch(?:es|set)?|series|change)|this (?:patch(?:es|set)?|series|change|version)|your (?:patch(?:es|set)?|series|change))(?=\s*(?:$|[,.;:!]|\b(?:as is|as-is|because|until|unless|now|for|in|into|through|without|since|either|yet|at|like|anymore|then|right now)\b))`;
const REJECT = new RegExp(String.raw`\b(?:I|we)(?:'m| am|'re| are)? (?:not going to|won't|will not|can't|cannot|don't want to|do not want to|refuse to|am not going to) (?:apply|take|merge|accept|pick up|queue) ` + REJECT_OBJ + String.raw`|\bnot (?:going to|gonna) (?:apply|take|merge|accept) ` + REJECT_OBJ + String.raw`|\bI(?:'m| am) not (?:applying|taking|merging|accepting) ` + REJECT_OBJ + String.raw`|\b(?:this|it|the (?:patch|series)) will not be (?:merged|applied)\b`, "i");

// ---- informal wording: each rule carries a gate, a word it cannot match without (tested first,
// so a sentence without it costs one cheap test); lib/knowledge/prefilter.test.ts checks that
// every gate is a necessary condition of its pattern.

/** somebody asking the author for something: "please", "can you", "I'd prefer", "you should", "this needs to be" */
const ASK = String.raw`(?:please|pls|kindly|(?:can|could|would|will) you|care to|I(?:'d| would)? (?:prefer|suggest|recommend|rather|like (?:you )?to)|I(?:'d| would) like|you (?:should|need to|must|have to|(?:'ll|will) need to|(?:'d|would) want to|could|can|might want to|may want to|want to)|(?:should|needs? to|must|has to|have to) be)`;
/** verbs that change a patch (not "test", "check", "explain": those ask for information) */
const CHANGE_VERB = String.raw`(?:add|drop|remove|fix|split|rebase|re-?base|resend|re-send|respin|repost|update|rework|rename|move|squash|fold|merge|combine|use|change|convert|document|address|reword|rephrase|correct|replace|submit|include|separate|send (?:a |an |the )?(?:v\d|new|updated|fixed|separate))`;
/** the author agreeing with a point is conceding, not asking */
const AGREEING = /^(?:yes|yeah|yep|right|ok|okay|agreed?|sure|indeed|true|correct|good point|you're right|you are right|will do|done|fixed|I agree|makes sense|thanks?|thank you)\b/i;
/**
 * asking about trailers ("please add my Reviewed-by"), about oneself ("let me know if I should send
 * v2"), for a justification ("please explain why"), or for a fix-up of what goes in anyway ("could
 * you reword it when applying", "if it's not too late, could you add a line to the changelog") is no
 * request for changes
 */
const NOT_ASKING = /\bif (?:it's|it is) not too late\b|\b(?:when|while|on) (?:you )?(?:apply|applying|committing|picking)\b|\b(?:rather not|no need to|(?:don't|do not|doesn't|does not|needn't) (?:need|have) to|not necessary)\b|\b(?:document|explain|describe|mention|clarify) (?:why|what|how|whether)\b|-by\b|\bmy (?:r-b|ack|review|tag)\b|\blet me know\b|\b(?:should|shall|can|may) I\b|\b(?:want|like) me to\b|\bif (?:I|we)\b|\bfeel free\b/i;
/** a decision that waits on something: it is deferred, not queued */
const CONDITION = /\b(?:once|when|until|as soon as|provided)\b/i;

export interface Rule {
  name: string;
  kind: DecisionKind;
  /** a necessary condition of `re`, tested first */
  gate: RegExp;
  re: RegExp;
  /** only in a reply: asking for changes and putting off are answers to a submission */
  reply?: boolean;
  /** a question can carry the decision ("Can you split this?") */
  question?: boolean;
  /** the sentence must not match this */
  unless?: RegExp;
  confidence: number;
}

export const RULES: Rule[] = [
  // ---- queued: promised, into a named tree ("I'll add this to mmc-next", "I'll pick it via the soc tree")
  {
    name: "will-queue",
    kind: "queued",
    gate: /queue|pick|take|apply|add|funnel|route/i,
    re: /\b(?:I'll|I will|I'm going to|I am going to|will|let me|I plan to)\s+(?:\w+\s+)?(?:queue|pick|take|apply|add|funnel|route)\s+(?:it|this|them|these|this one|both|all|the (?:patch(?:es)?|series|fix(?:es)?)|this (?:patch|series|fix)|patch(?:es)? [\d, and-]+)(?:\s+up)?\s+(?:(?:to|into|in|on|for)\s+(?:(?:my|the|our)\s+)?[\w./-]*(?:next|fixes|tree|branch|queue|for-[\w.-]+|unstable|devel)\b|(?:via|through)\s+(?:(?:my|the|our)\s+)?\S+(?:\s+(?:tree|branch|git))?|(?:for|into)\s+v?\d+\.\d+\b|after\s+(?:the\s+)?(?:merge window|-?rc\d+))/i,
    unless: /\b(?:if|unless|should I|do you want|would you like|too late)\b|\bnext (?:one|cycle|release)\b/i,
    confidence: 0.75,
  },
  // ---- superseded: the author posted, or will post, a newer version
  {
    name: "sent-new-version",
    kind: "superseded",
    gate: /v\d|version|sent|posted|submitted/i,
    re: /\b(?:I(?:'ve| have)?\s+(?:just\s+|now\s+|already\s+)?|just\s+|have\s+)(?:re)?(?:sent|posted|submitted)(?:\s+out)?\s+(?:a\s+|an\s+|the\s+|my\s+)?(?:(?<![\w-])v\d+|new version|new revision|updated (?:version|series|patch(?:set)?)|next version|new series|respin)\b|(?<![\w-])v\d+\b[^.?!]{0,20}\b(?:is|has been|was) (?:now )?(?:out|sent|posted|available)\b|\b(?:see|find) (?:the |my )?(?:(?<![\w-])v\d+|new version|updated version)(?: (?:series|patch(?:set|es)?|posting))? (?:here|at|below|in)\b/i,
    confidence: 0.8,
  },
  {
    name: "next-version",
    kind: "superseded",
    gate: /v\d|version|revision|iteration|spin|series|patch|send|post/i,
    re: /\b(?:I|we)(?:'ll| will| shall|'m going to| am going to| plan to| intend to)\s+(?:\w+\s+)?(?:(?:send|post|resend|repost|respin|submit)(?:\s+out)?\s+(?:it\s+|this\s+|them\s+)?(?:as\s+)?(?:a\s+|an\s+|the\s+|my\s+)?|(?:address|fix|handle|do|include|take care of|rework)\b[^.?!]{0,40}\b(?:in|with|for) (?:a |an |the |my )?)(?:(?<![\w-])v\d+|new version|next version|new revision|next revision|next iteration|next spin|updated (?:version|series|patch(?:set)?))\b|\b(?:(?<![\w-])v\d+|next version|new version)\b[^.?!]{0,60}\b(?:I'll|I will|will)\b[^.?!]{0,40}\b(?:send|post|address|take care|include|fix)|\b(?:(?<![\w-])v\d+|new version|next version|updated version)\b[^.?!]{0,15}\b(?:is )?(?:coming|will follow|to follow|follows shortly|on (?:its|the) way)\b|\b(?:I'll|I will|will)\s+(?:\w+\s+){0,5}(?:resend|repost|respin)\b|\b(?:I'll|I will|will)\s+(?:\w+\s+){0,5}send (?:it |this |them )?(?:again|out again|separately|in a (?:separate|new|different) (?:series|patch(?:set)?)|as (?:a )?(?:separate|new) (?:series|patch(?:set)?))/i,
    // "Sure, I'll fix it in v2" accepts a review comment: a promise to address it, not the fate of the patch
    unless: /\b(?:if|whether|unless)\b|\b(?:you|they|he|she)(?:'ll| will)\b|^(?:sure|fine|ok|okay|yes|yeah|yep|right|agreed?|good point|will do|thanks?|thank you)\b/i,
    confidence: 0.7,
  },
  // ---- withdrawn: the author drops it ("Will drop this patch", "I'm willing to drop it completely")
  {
    name: "will-drop",
    kind: "withdrawn",
    gate: /drop|abandon|withdraw|retract/i,
    re: /\b(?:I'll|I will|will|I'm going to|I am going to|let's|let me|I'd|I would|I'm (?:willing|happy|fine|ok|okay) to|I am (?:willing|happy|fine|ok|okay) to|we can|I can)\s+(?:just\s+|simply\s+)?(?:drop|abandon|withdraw|retract)\s+(?:(?:this|the|my)(?:\s+(?:whole|entire))?\s+(?:one|patch(?:set|es)?|series|change|proposal|RFC|attempt)|this one|it\s+(?:completely|entirely|altogether))\b(?!\s+(?:in|from)\s+(?:v\d|the next|my next|the series|this series|the set|the next version))/i,
    confidence: 0.75,
  },
  // ---- changes requested: a reviewer asks for a new version or a change before it goes in
  {
    name: "ask-new-version",
    kind: "changes-requested",
    gate: /send|post|submit|spin|base|top of/i,
    re: new RegExp(ASK + String.raw`\b[^.?!]{0,60}?\b(?:(?:send|post|submit)(?: out)? (?:a |an |the )?(?:(?<![\w-])v\d+|new version|new revision|updated (?:version|patch|series)|new (?:patch|series)|next version|fixed version)|resend|re-send|repost|respin|re-spin|rebase|re-base|(?:base|build|put) (?:it|this|them|your \w+|the \w+|this \w+) on top of)\b`, "i"),
    reply: true,
    question: true,
    unless: NOT_ASKING,
    confidence: 0.75,
  },
  {
    name: "ask-split",
    kind: "changes-requested",
    gate: /split|patch|commit|series/i,
    re: new RegExp(ASK + String.raw`\b[^.?!]{0,60}?\b(?:(?:split|separate|squash|fold|merge|combine|move|put|break)\w*\b[^.?!]{0,50}\b(?:separate|own|two|three|several|multiple|individual|smaller|single|one|different|previous|first|other) (?:patch(?:es)?|commits?|series)\b|\b(?:in|into|as) (?:a |an |its |their )?(?:separate|own|individual|different|follow-up|follow up) (?:patch(?:es)?|commits?|series)\b|split(?:ting)?\s+(?:up\s+)?(?:this|it|them|these|that|(?:the|this|your) (?:patch|series|change|commit)))`, "i"),
    reply: true,
    question: true,
    unless: NOT_ASKING,
    confidence: 0.75,
  },
  {
    name: "please-change",
    kind: "changes-requested",
    gate: /please|pls|kindly/i,
    re: new RegExp(String.raw`\b(?:please|pls|kindly)\s+(?:also\s+|just\s+|then\s+|do\s+|first\s+)?` + CHANGE_VERB + String.raw`\b`, "i"),
    reply: true,
    unless: NOT_ASKING,
    confidence: 0.7,
  },
  {
    name: "can-you-change",
    kind: "changes-requested",
    gate: /you/i,
    re: new RegExp(String.raw`\b(?:can|could|would|will) you (?:please |kindly |maybe |also |just |perhaps )?(?:help (?:to )?|try to |consider )?` + CHANGE_VERB + String.raw`\b`, "i"),
    reply: true,
    question: true,
    unless: NOT_ASKING,
    confidence: 0.65,
  },
  {
    name: "noun-please",
    kind: "changes-requested",
    gate: /please/i,
    // "Fixes tag please.", "One patch please.", "A v2 please."
    re: /^(?:(?:an?|one|the|a single|separate|[\w-]+)\s+){0,2}(?:patch(?:es)?|tags?|v\d+|version|changelog|commit message|description|rebase|split|resend)\s*,?\s*please\s*[.!]*$/i,
    reply: true,
    confidence: 0.75,
  },
  {
    name: "needs-tag",
    kind: "changes-requested",
    gate: /tag/i,
    re: /^(?:this |it |the patch )?(?:needs?|missing|lacks|requires?|please add|add)\s+(?:a |an |the )?(?:Fixes|stable|Cc: stable|Reported-by|Closes|Link)(?: tag|: tag)\b/i,
    reply: true,
    confidence: 0.7,
  },
  {
    name: "should-be-changed",
    kind: "changes-requested",
    gate: /should|must|need|has to|have to/i,
    re: /^(?:\w+,?\s+)?(?:this|these|that|those|it|they|(?:the|this|these) [\w-]+)\s+(?:should|must|needs? to|has to|have to)\s+(?:be|go)\s+(?:dropped|removed|split(?: out)?|squashed|folded|merged into|combined|moved (?:to|into|out)|part of (?:patch|the (?:previous|first|other|same)|\d)|a separate patch|in a separate patch|in (?:its|their) own patch|separate patch(?:es)?)\b/i,
    reply: true,
    confidence: 0.7,
  },
  {
    name: "imperative-change",
    kind: "changes-requested",
    gate: /drop|remove|split|squash|fold|rebase|resend|respin/i,
    // a reviewer's imperative: "Just drop the assigned-clock* from the binding."
    re: /^(?:just |simply |so |then |instead,? |rather,? )?(?:drop|remove|split|squash|fold|rebase|resend|respin)\s+(?:it|this|that|these|those|them|the|your)\b/i,
    reply: true,
    confidence: 0.6,
  },
  // ---- rejected: a standing policy ("Sorry, we don't accept module parameters for this")
  {
    name: "policy-refusal",
    kind: "rejected",
    gate: /accept|take|merge|apply/i,
    re: /\b(?:we|I) (?:don't|do not|no longer|won't|will not|can't|cannot) (?:accept|take|merge|apply) (?:new |any |more |such )?(?:[\w-]+ ){0,2}(?:patches|parameters|changes|drivers|bindings|properties|quirks|hacks|kind of (?:patch|change)\w*|things like (?:this|that))\b/i,
    reply: true,
    confidence: 0.65,
  },
  // ---- deferred: put off without refusing
  {
    name: "needs-ack",
    kind: "deferred",
    gate: /ack|review|feedback|wait|binding/i,
    re: /\b(?:I|we) (?:need|want|would need|'d need|would like|'d like|require|prefer to have|'d prefer to have)\s+(?:to (?:get|have|see|wait for)\s+)?(?:an? |some |more )?(?:\S+'s? )?(?:acks?|reviews?|feedback|review tags?)\b|\b(?:patch(?:es)? [\d, and-]+|it|this|that|they|these)\s+(?:still\s+)?needs? (?:an? |some )?acks?\b|\b(?:wait|waiting) (?:for|on) (?:an? |the |some |more |others(?:'|\s+to\s+\w+\s+\w+\s+)?)?(?:\S+'s? )?(?:acks?|reviews?|feedback|comments|DT|dt-bindings?|bindings?)\b|\b(?:once|after|when) (?:I |we )?(?:get|have|receive|see) (?:an? |the |some )?(?:acks?|reviews?)\b/i,
    reply: true,
    unless: /\b(?:thanks? for|thank you for)\b/i,
    confidence: 0.65,
  },
  {
    name: "wait",
    kind: "deferred",
    gate: /wait|hold|defer|postpone|park|revisit|let's see|let us see/i,
    re: /\b(?:I'll|I will|I'd like to|I want to|I'd rather|I prefer to|let's|let us|we'll|we will|I'm going to|I am going to|will|I'd|I would)\s+(?:\w+\s+)?(?:(?:wait|hold off|hold|defer|postpone|park|revisit)\s*(?:[.,;!]|$)|(?:wait|hold off|hold|defer|postpone|park)\s+(?:a bit|a little|a while|a few (?:days|weeks)|some (?:time|more|days)|(?:a bit |a while |some time )?(?:until|till|for (?:more|others?|other|the (?:binding|DT|review|ack|discussion|outcome|merge window|next|rest|result)|\w+'s|feedback|comments|reviews?|acks?|-?rc\d|(?<![\w-])v\d|an?\s+(?:ack|review|reply|answer)))|with (?:this|it|applying|merging|picking|the series|the patch)|(?:this|it|the series|the patch|them|these|off)\b)|revisit\s+(?:this|it|that))|\blet(?:'s| us) see\b[^.?!]*\b(?:first|before)\b/i,
    reply: true,
    // a delay in the code ("wait for a few us") is no decision
    unless: /\bwait (?:for )?(?:a few |\d+ |some )?(?:us|ms|µs|usecs?|msecs?|seconds?|cycles|jiffies|micro\w*|milli\w*|ticks|polls?)\b|\bcan't wait\b|\bcannot wait\b|\bhold (?:the|a|on to the) (?:lock|mutex|reference|ref|spinlock)\b/i,
    confidence: 0.6,
  },
  {
    name: "later",
    kind: "deferred",
    gate: /late|merge window|rc\d|cycle|release/i,
    re: /\btoo late for\b|\b(?:I'll|I will|we'll|we will|let's|I can|I'd|I would|will)\b[^.?!]{0,40}\b(?:after|until|post)[- ](?:the )?(?:next )?(?:merge window|-?rc\d|v?\d\.\d+(?:-rc\d)?)\b|\b(?:I'll|I will|we'll|we will|let's|will)\b[^.?!]{0,40}\b(?:for|in|to|until) the next (?:cycle|release|merge window)\b/i,
    reply: true,
    confidence: 0.65,
  },
];

/**
 * What a line format needs (NAK trailer or line, b4 "[1/3]" and patchwork "- [v2,1/3]" items,
 * patchwork-bot, pr-tracker-bot), and what a sentence deciding anything needs (applied, queued,
 * picked, pulled/merged, NAK, superseded, ignore, drop, withdraw, a refusal): cheap necessary
 * conditions tested before the patterns, so a line or paragraph without them is passed over.
 */
export const LINE_GATE = /N(?:ACK|ack|AK|ak)|\[|This |merged into/;
export const SENTENCE_GATE = /appl|queue|picked|pulled|merged|nac?k|supersed|obsolet|replaced|ignore|disregard|drop|withdraw|won't|will not|not going|not gonna|can't|cannot|don't want|do not want|refuse|not (?:applying|taking|merging|accepting)/i;
/** a paragraph worth reading: the gate of the formal patterns or of one of the RULES */
export const PARAGRAPH_GATE = new RegExp([SENTENCE_GATE.source, ...RULES.map((r) => r.gate.source)].join("|"), "i");
/** words a patched tree's "applied" cannot be told from a test report without */
const APPLIED_TESTING = /\b(?:tested|testing|boots?|booted|works?|worked|crash\w*|fails?|failed|breaks?|conflicts?|reproduc\w*|bisect\w*|warnings?|errors?)\b/i;
/** "it"/"this"/"too"/"anyway" between "applied" and where to: "I've applied this anyway." */
const APPLIED_FILLER = /^\s*(?:(?:it|this|them|these|this one|both|patch(?:es)?\s+\d+(?:\s*(?:[,-]|and)\s*\d+)*)\b\s*)?(?:(?:anyway|now|too|also|as well)\b\s*)?/i;

/**
 * "Applied …" at the start of the sentence or of a clause of it ("…, so I've applied this anyway.",
 * "Along with the mmci patch, this one applied too, for next"): the match, its rest after filler.
 */
function appliedIn(t: string): RegExpExecArray | null {
  if (APPLIED_TESTING.test(t)) return null;
  const starts = [0];
  for (const c of t.matchAll(/(?:[,;:]\s+(?:so\s+|and\s+)?|\s+so\s+)(?=\S)/g)) starts.push(c.index! + c[0].length);
  for (const at of starts) {
    const m = APPLIED.exec(t.slice(at));
    if (!m) continue;
    // "applied this anyway." / "applied too, for next" / "applied patch 1."
    const rest = m[1].replace(APPLIED_FILLER, "");
    if (APPLIED_OK_REST.test(rest) && !APPLIED_BAD_REST.test(rest)) {
      if (rest.trim() !== m[1].trim()) m[1] = rest;
      return m;
    }
    if (APPLIED_OK_REST.test(m[1]) && !APPLIED_BAD_REST.test(m[1])) return m;
  }
  return null;
}

/** the sentence patterns behind SENTENCE_GATE, and the line patterns behind LINE_GATE (for lib/knowledge/prefilter.test.ts) */
export const FORMAL_PATTERNS: Record<string, RegExp> = { APPLIED, QUEUED, PICKED, PULLED, NAK_SENTENCE, NAK_VERB, SELF_NAK, IN_FAVOUR, SUPERSEDED, IGNORE, WITHDRAW, REJECT };
export const LINE_PATTERNS: Record<string, RegExp> = {
  NAK_TRAILER,
  NAK_LINE,
  B4_ITEM: /^\s*\[(\d+)\/(\d+)\]\s+(.+?)\s*$/,
  PATCHWORK_BOT: /^\s*This (series|patch|pull request|patchset) was applied to (\S+?)(?:\s+\(([^)]+)\))?\s*[:.]?\s*$/,
  PATCHWORK_ITEM: /^\s*-\s+\[([^\]]*?)(\d+)\/(\d+)\]\s+(.+?)\s*$/,
  PR_TRACKER_BOT: /^\s*(?:has been|was) merged into (\S+?):?\s*$/,
};

/** "I'll add this to mmc-next" → mmc-next: the destination after the rule's verb */
function whereAfterVerb(t: string, re: RegExp): Where {
  const m = re.exec(t);
  if (!m) return {};
  const at = m[0].search(/\s(?:to|into|in|on|for|via|through)\s/i);
  return at < 0 ? {} : whereFrom(m[0].slice(at) + t.slice(m.index + m[0].length));
}

/** "Patch 1 is also queued …" names one patch of the series. */
function patchOf(s: string): { patch?: Decision["patch"] } {
  const m = /^(?:(?:thanks|thank you)[,!.]*\s+)?(?:applied\s+)?patch\s+(\d+)(?:\/(\d+))?\b/i.exec(s);
  return m ? { patch: { index: Number(m[1]), total: m[2] ? Number(m[2]) : undefined } } : {};
}

function reasonAfter(s: string): string | undefined {
  const m = /\b(?:because|since|as|due to)\b\s*(.+)$|[:—–]\s*(.+)$/i.exec(s);
  const r = (m?.[1] ?? m?.[2] ?? "").trim();
  return r.length >= 8 ? r : undefined;
}

function paraTextBefore(paras: Paragraph[], line: number): Paragraph | null {
  let best: Paragraph | null = null;
  for (const p of paras) if (p.end < line) best = p;
  return best && line - best.end <= 3 ? best : null;
}

/** Decisions announced in the message's own text. */
export function findDecisions(input: MessageText, opts: DecisionOptions = {}): Decision[] {
  const actor = opts.from ?? null;
  const own = input.ownLines;
  const paras = paragraphs(own);
  const out: Decision[] = [];
  // only a reply asks for changes or puts a patch off: a patch or cover letter is the author's own
  const asks = opts.isReply !== false && !opts.isCover;

  // ---- line formats: trailers, bots, b4 thank-you mails
  const b4Items: Decision[] = [];
  for (let i = 0; i < own.length; i++) {
    const l = own[i];
    const t = l.text;
    if (!LINE_GATE.test(t)) continue;
    const nak = NAK_TRAILER.exec(t);
    if (nak) {
      const prev = paraTextBefore(paras, l.line);
      const reason = prev && /[:]\s*$/.test(prev.text) ? prev.text.replace(/:\s*$/, "") : reasonAfter(t.slice(t.indexOf(":") + 1));
      out.push({ kind: "nak", actor: nak[1].trim() || actor, reason, lines: [l.line, l.line], method: "trailer:nacked-by", confidence: 0.95, quote: t.trim() });
      continue;
    }
    if (NAK_LINE.test(t)) {
      const prev = paraTextBefore(paras, l.line);
      const next = paras.find((p) => p.start > l.line && p.start <= l.line + 2);
      const reason = prev && /[:]\s*$/.test(prev.text) ? prev.text.replace(/:\s*$/, "") : next ? next.text : undefined;
      out.push({ kind: "nak", actor, reason, lines: [l.line, l.line], method: "nak-line", confidence: 0.9, quote: t.trim() });
      continue;
    }
    // b4 ty: "[1/3] mmc: foo: fix bar" then "      commit: 0123456789ab"
    const item = LINE_PATTERNS.B4_ITEM.exec(t);
    if (item) {
      for (let j = i + 1; j < Math.min(own.length, i + 4); j++) {
        const c = /^\s+(?:commit|https?:\/\/\S+\/c)[:/]\s*([0-9a-f]{7,40})\b|^\s+https?:\/\/\S+?\/c\/([0-9a-f]{7,40})\b|^\s+https?:\/\/git\.kernel\.org\/\S*?(?:commit\/\?id=|\/c\/)([0-9a-f]{7,40})/.exec(own[j].text);
        if (c) {
          b4Items.push({
            kind: "applied",
            actor,
            commit: c[1] ?? c[2] ?? c[3],
            patch: { index: Number(item[1]), total: Number(item[2]), title: item[3] },
            lines: [l.line, own[j].line],
            method: "b4-ty",
            confidence: 0.95,
            quote: `${t.trim()} ${own[j].text.trim()}`,
          });
          break;
        }
        if (own[j].text.trim() && !/^\s/.test(own[j].text)) break;
      }
      continue;
    }
    // patchwork-bot: "This series was applied to netdev/net-next.git (main):"
    const pw = LINE_PATTERNS.PATCHWORK_BOT.exec(t);
    if (pw) {
      out.push({ kind: "applied", actor, tree: pw[2], branch: pw[3], lines: [l.line, l.line], method: "patchwork-bot", confidence: 0.95, quote: t.trim() });
      continue;
    }
    // patchwork-bot items: "  - [v2,1/3] net: foo" + "    https://git.kernel.org/netdev/net-next/c/<sha>"
    const pwItem = LINE_PATTERNS.PATCHWORK_ITEM.exec(t);
    if (pwItem && i + 1 < own.length) {
      const c = /^\s+https?:\/\/\S+\/c\/([0-9a-f]{7,40})\b/.exec(own[i + 1].text);
      if (c) {
        b4Items.push({ kind: "applied", actor, commit: c[1], patch: { index: Number(pwItem[2]), total: Number(pwItem[3]), title: pwItem[4] }, lines: [l.line, own[i + 1].line], method: "patchwork-bot", confidence: 0.95, quote: `${t.trim()} ${own[i + 1].text.trim()}` });
        continue;
      }
    }
    // pr-tracker-bot: "has been merged into torvalds/linux.git:" + "https://git.kernel.org/torvalds/c/<sha>"
    const pr = LINE_PATTERNS.PR_TRACKER_BOT.exec(t);
    if (pr) {
      let commit: string | undefined;
      let last = l.line;
      for (let j = i + 1; j < Math.min(own.length, i + 3); j++) {
        const c = /https?:\/\/\S+\/c\/([0-9a-f]{7,40})\b/.exec(own[j].text);
        if (c) {
          commit = c[1];
          last = own[j].line;
          break;
        }
      }
      const start = i > 0 && /pull request you sent/i.test(own[i - 1].text) ? own[i - 1].line : l.line;
      out.push({ kind: "merged", actor, tree: pr[1], commit, lines: [start, last], method: "pr-tracker-bot", confidence: 0.98, quote: t.trim() });
      continue;
    }
  }

  // ---- sentences
  for (const p of paras) {
    if (!PARAGRAPH_GATE.test(p.text)) continue;
    const formal = SENTENCE_GATE.test(p.text);
    const ss = sentences(p);
    // changelog bullets ("- Picked up Rob's ack", "- Applied Greta's suggestion") are history, not decisions
    const bullet = p.item !== null;
    for (const s of ss) {
      const t = s.text.replace(/^[-*>\s]+/, "");
      if (t.length > 400) continue;
      const push = (d: Omit<Decision, "actor" | "lines" | "quote"> & Partial<Pick<Decision, "actor">>) =>
        out.push({ actor, lines: [s.start, s.end], quote: s.text, ...d });

      let m: RegExpExecArray | null;
      if (bullet && !/^\s*N(?:ACK|AK|ack|ak)\b/.test(t)) continue;
      if (formal) {
      if ((m = appliedIn(t)) && !t.includes("?") && !/\b(?:once|if|when|before|after|should|could|would|can|cannot|can't|doesn't|does not|didn't|fails?|failed|needs? to)\b[^.]*applied/i.test(t)) {
        let where = whereFrom(m[1]);
        // "Applied to" + the tree on the next line(s) (Mark Brown's b4 ty)
        if (!where.tree && /\b(?:to|into|for)\s*:?\s*$/i.test(t)) {
          const next = own.find((l) => l.line > s.end && l.line <= s.end + 3 && l.text.trim());
          if (next) {
            const w = /^\s*(\S+)(?:\s+(\S+))?\s*$/.exec(next.text);
            if (w) where = { tree: w[1].replace(/[,.]$/, ""), branch: w[2]?.replace(/[,.]$/, "") };
          }
        }
        push({ kind: "applied", ...where, ...patchOf(t), method: "applied", confidence: /^(?:(?:thanks|thank you)[,!.]*\s+)?applied\b/i.test(t) ? 0.9 : 0.8 });
        continue;
      }
      if ((m = QUEUED.exec(t)) && !t.includes("?") && /^\s*(?:$|[,.!]|(?:for|in|to|into|on)\b|thanks)/i.test(m[1])) {
        const where = whereFrom(m[1]);
        // "queued for v2" is the author's next version of the series, not a tree
        if (!(where.tree && /^v\d+$/i.test(where.tree))) {
          push({ kind: "queued", ...where, ...patchOf(t), method: "queued", confidence: 0.85 });
          continue;
        }
      }
      if ((m = PICKED.exec(t)) && !t.includes("?") && !PICKED_BAD.test(t) && APPLIED_OK_REST.test(m[1])) {
        push({ kind: "applied", ...whereFrom(m[1]), method: "picked-up", confidence: 0.75 });
        continue;
      }
      if ((m = PULLED.exec(t))) {
        push({ kind: "merged", tree: m[2]?.replace(/[,.]$/, ""), method: m[1].toLowerCase() === "pulled" ? "pulled" : "merged", confidence: 0.8 });
        continue;
      }
      if (NAK_TRAILER.test(t)) continue;
      if (!NAK_LINE.test(t) && ((m = NAK_SENTENCE.exec(t)) || NAK_VERB.test(t))) {
        // "NAK" at the start of a sentence ("NAK, this breaks …", "So NAK.") or "I NAK this"
        const reason = (m?.[1] && m[1].length >= 8 ? m[1].replace(/^(?:because|since|as)\s+/i, "") : undefined) ?? reasonAfter(t);
        if (SELF_NAK.test(t)) push({ kind: "withdrawn", method: "self-nak", confidence: 0.85, reason });
        else push({ kind: "nak", reason, method: "nak-sentence", confidence: 0.85 });
        continue;
      }
      if (SELF_NAK.test(t)) {
        push({ kind: "withdrawn", method: "self-nak", confidence: 0.85, reason: reasonAfter(t) });
        continue;
      }
      if ((m = IN_FAVOUR.exec(t))) {
        push({ kind: "superseded", reason: m[1] ? `in favour of ${m[1]}` : undefined, method: "in-favour-of", confidence: 0.85 });
        continue;
      }
      if (SUPERSEDED.test(t) && !p.item) {
        push({ kind: "superseded", reason: t, method: "superseded-by", confidence: 0.85 });
        continue;
      }
      if (IGNORE.test(t)) {
        const around = ss.map((x) => x.text).join(" ");
        // "please ignore this series" names what is withdrawn; a bare "please ignore" may be about a comment
        const named = /\bplease (?:ignore|disregard) (?:this|the|v\d)/i.test(t) && !/\b(?:comment|reply|mail|e-?mail|message|warning|noise|last|above)\b/i.test(t);
        if (NEXT_VERSION.test(around)) push({ kind: "superseded", reason: around, method: "please-ignore", confidence: named ? 0.8 : 0.6 });
        // a bare "please ignore" with no next version takes back a comment, not the patch
        else if (named) push({ kind: "withdrawn", reason: around, method: "please-ignore", confidence: 0.75 });
        continue;
      }
      if (WITHDRAW.test(t)) {
        push({ kind: "withdrawn", reason: reasonAfter(t), method: "withdraw", confidence: 0.85 });
        continue;
      }
      if (REJECT.test(t) && !t.includes("?")) {
        const reason = reasonAfter(t) ?? (ss.slice(ss.indexOf(s) + 1).map((x) => x.text).join(" ").trim() || undefined);
        push({ kind: "rejected", reason, method: "rejected", confidence: /\b(?:until|unless|yet|for now|as is|in its current form)\b/i.test(t) ? 0.55 : 0.75 });
        continue;
      }
      }
      // informal wording: the first rule that matches decides the sentence
      for (const r of RULES) {
        if (r.reply && !asks) continue;
        if (!r.gate.test(t) || !r.re.test(t)) continue;
        if (!r.question && t.includes("?")) continue;
        if (r.unless?.test(t)) continue;
        if (r.kind === "changes-requested" && AGREEING.test(t)) continue;
        // "I'll queue it once Rob acks" waits on somebody: deferred
        const kind = r.kind === "queued" && CONDITION.test(t) ? "deferred" : r.kind;
        push({ kind, method: r.name, confidence: r.confidence, ...(r.kind === "queued" ? whereAfterVerb(t, r.re) : {}) });
        break;
      }
    }
  }

  // b4/patchwork items carry the commits: they replace the generic "Applied" line, keeping its tree
  if (b4Items.length) {
    const generic = out.filter((d) => d.kind === "applied" && !d.commit && !d.patch);
    const tree = generic.find((d) => d.tree) ?? generic[0];
    for (const d of b4Items) {
      if (tree?.tree) {
        d.tree = tree.tree;
        d.branch = tree.branch;
      }
    }
    const keep = out.filter((d) => !generic.includes(d));
    return sortByLine([...keep, ...b4Items]);
  }
  return sortByLine(dedupe(out));
}

function dedupe(ds: Decision[]): Decision[] {
  const out: Decision[] = [];
  for (const d of ds) {
    if (out.some((o) => o.kind === d.kind && o.lines[0] <= d.lines[1] && d.lines[0] <= o.lines[1])) continue;
    out.push(d);
  }
  return out;
}

function sortByLine(ds: Decision[]): Decision[] {
  return ds.sort((a, b) => a.lines[0] - b.lines[0]);
}
