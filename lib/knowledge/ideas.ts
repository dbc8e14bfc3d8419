// Design ideas in a message's own text: proposals, alternatives, objections, open questions and
// RFC cover letters. Cue phrases ("how about…", "I wonder if it's possible…", "I'm not
// convinced…", "Have you considered…?") mark a sentence; the passage runs from that sentence to
// the end of its paragraph (or to the next sentence that starts an idea of another kind), and
// takes the list that follows an introduction ending in ":" ("Could you check if:" + "1. … 2. …").
// Only the author's own lines are read (MessageText.ownLines): quoted text never counts.
// Pure; no I/O.

import { parseSubject } from "../series/subject";
import { cueScanner, firstSentence, identifiers, paragraphs, sentences, type Paragraph, type Sentence } from "./text";
import type { MessageText, Provenance } from "./types";

export type IdeaKind = "proposal" | "alternative" | "objection" | "question" | "rfc" | "concern";

export interface Idea extends Provenance {
  kind: IdeaKind;
  /** the passage's first sentence, whitespace collapsed, at most 200 characters */
  summary: string;
  /** the passage: the cue sentence to the end of its paragraph (lines joined with "\n") */
  text: string;
  /** identifiers the passage mentions: functions, snake_case names, macros, kernel nouns */
  keywords: string[];
  /** rfc ideas: the subject's summary (what is proposed), e.g. "another crazy idea to get rid of mmap_sem in faults" */
  title?: string;
}

export interface IdeaOptions {
  /** the Subject header: an RFC's title, and whether the message is a reply */
  subject?: string;
  /** a cover letter (patch 0/N) */
  isCover?: boolean;
  /** an RFC (subject prefix RFC) */
  isRfc?: boolean;
  /** a reply (Re:); defaults to what the subject says */
  isReply?: boolean;
}

export interface Cue {
  name: string;
  kind: Exclude<IdeaKind, "rfc">;
  re: RegExp;
  confidence: number;
  /**
   * A necessary condition of `re` matching a sentence, tested once on the whole paragraph (whose
   * text contains each of its sentences): `re` itself unless it is anchored at a sentence start.
   */
  pre?: RegExp;
}

// At the start of a sentence or clause: "How about …", "So how about …", "…, how about …".
const LEAD = String.raw`(?:^|[,;:(]\s*|\b(?:so|but|and|then|or|well|hmm|ok|okay|also|alternatively)\s*,?\s+)`;

/** exported for lib/knowledge/prefilter.test.ts */
export const CUES: readonly Cue[] = [
  // objections
  { name: "cue:not-right-approach", kind: "objection", confidence: 0.9, re: /\bI (?:don't|do not) think (?:this|that|it)(?: patch| series| change)? is (?:the )?(?:right|correct|best|proper|good) (?:approach|way|direction|solution|fix|thing to do)\b/i },
  { name: "cue:objection", kind: "objection", confidence: 0.85, re: /\bI (?:have|had|still have) (?:an?|one|some) (?:\w+ ){0,2}objections?\b|\bI object\b|\bmy (?:\w+ )?objection (?:is|here)\b/i },
  { name: "cue:nak-because", kind: "objection", confidence: 0.85, re: /\bN[Aa][Cc]?[Kk](?:ed)?\b[,:]?\s+(?:because|since|as|for the reason)\b/ },
  { name: "cue:not-convinced", kind: "objection", confidence: 0.8, re: /\bI(?:'m| am) (?:still |really |just |quite |not really )?(?:not |un)convinced\b|\bI(?:'m| am) (?:really )?not (?:a fan of|happy with|keen on|comfortable with)\b/i },
  { name: "cue:breaks", kind: "objection", confidence: 0.75, re: /(?<!\b(?:if|when|whether|unless) )\b(?:this|that|it|the patch|this patch|this change|this series|the series|your patch) (?:breaks|will break|would break|is broken|doesn't work|does not work|won't work|cannot work|can't work|is wrong|is not correct|isn't correct|is not safe|isn't safe)\b/i },
  { name: "cue:disagree", kind: "objection", confidence: 0.7, re: /\bI (?:strongly |really |kind of )?(?:disagree|dislike)\b|\bI (?:really )?(?:don't|do not) like (?:this|that|the|it)\b/i },
  { name: "cue:not-acceptable", kind: "objection", confidence: 0.7, re: /\b(?:not acceptable|unacceptable|a non-starter|a no-go)\b/i },
  { name: "cue:dont-think-we", kind: "objection", confidence: 0.55, re: /\bI (?:don't|do not) think (?:we|this|that|it) (?:should|want|is (?:a good idea|worth|needed|necessary)|makes sense|is the way)\b/i },
  { name: "cue:not-needed", kind: "objection", confidence: 0.7, re: /\b(?:this|that|it)(?: \w+)? (?:is not |isn't |is un|are not |aren't |are un)(?:really )?(?:necessary|needed|required)\b|\b(?:is|are) (?:not|n't) (?:really )?necessary\b/i },
  { name: "cue:not-right-thing", kind: "objection", confidence: 0.75, re: /\b(?:isn't|is not|not) (?:the |an? )?(?:right|correct|proper|appropriate|advisable|scalable)\b(?: (?:solution|approach|way|fix|place|thing|function|model|here))?|\bI(?:'m| am) not sure (?:that |if )?(?:this|that|it)(?: \w+)? is (?:the right|a good|advisable|correct)\b|\b(?:should|must)(?:n't| not) be (?:part of|checking|special-cas\w+|exposed)\b/i },
  { name: "cue:no-because", kind: "objection", confidence: 0.7, re: /^(?:no|nope|not really|not quite|well,? no|actually,? no)\b[,.!:]\s+\S|\bthat (?:won't|will not|wouldn't|would not|can't|cannot) work\b|\bI (?:don't|do not) understand (?:your|the) concern\b/i, pre: /\b(?:no|nope|not really|not quite|won't work|will not work|wouldn't work|would not work|can't work|cannot work|understand (?:your|the) concern)\b/i },
  { name: "cue:could-but", kind: "objection", confidence: 0.65, re: /\b(?:we|you|one|I) could\b[^.!?]*?,? but (?:that|this|it) (?:would|will|is|isn't|doesn't|does not|seems)\b/i },
  // alternatives
  { name: "cue:alternative", kind: "alternative", confidence: 0.85, re: /\b(?:an?|one|another) alternative (?:would be|is|could be|might be|approach|solution|design)\b|\balternatively\b|\bas an alternative\b/i },
  { name: "cue:instead-of", kind: "alternative", confidence: 0.85, re: /\binstead of\b[^.?!]{3,}?,\s*(?:we|you|it|one|I)\s+(?:could|can|should|might|would|'d)\b/i },
  { name: "cue:another-approach", kind: "alternative", confidence: 0.7, re: /\b(?:another|a different|a simpler|a better|a cleaner|a cheaper) (?:option|approach|way to do|solution|idea|design)\b/i },
  // proposals
  { name: "cue:how-about", kind: "proposal", confidence: 0.8, re: new RegExp(LEAD + "how about\\b", "i"), pre: /how about\b/i },
  { name: "cue:what-if", kind: "proposal", confidence: 0.8, re: new RegExp(LEAD + "what if (?:we|you|the|it|instead|a|an|each|every)\\b", "i"), pre: /what if /i },
  { name: "cue:why-not", kind: "proposal", confidence: 0.65, re: new RegExp(LEAD + "why (?:not|don't we|don't you|wouldn't we|not just)\\b(?![.!?]*$)", "i"), pre: /why (?:not|don't|wouldn't)\b/i },
  { name: "cue:wonder-if-possible", kind: "proposal", confidence: 0.8, re: /\bI (?:do )?wonder (?:if|whether) (?:it(?:'s| is| would be| might be) (?:possible|feasible|better|simpler|worth|enough)|we (?:could|can|should|might|shouldn't|could just))\b/i },
  { name: "cue:suggest", kind: "proposal", confidence: 0.8, re: /\bI(?:'d| would| will| want to| want| do)? (?:(?:strongly|rather|also) )?(?:suggest|propose|recommend)\b|\bmy (?:suggestion|proposal|recommendation) (?:is|would be|was)\b|\bI'd like to propose\b/i },
  { name: "cue:could-you-investigate", kind: "proposal", confidence: 0.75, re: /\b(?:could|can|would) you (?:please )?(?:also |maybe |perhaps )?(?:investigate|consider|look into|benchmark|measure|experiment|evaluate|explore|make sure to|check (?:if|whether))\b/i },
  { name: "cue:could-you-try", kind: "proposal", confidence: 0.5, re: /\b(?:could|can|would) you (?:please )?(?:also |maybe |perhaps )?(?:check|try|look at|test|run)\b/i },
  { name: "cue:request-for-benchmarking", kind: "proposal", confidence: 0.75, re: /\brequest for (?:benchmark(?:ing|s)?|testing|numbers)\b|\bit would be (?:nice|great|good|helpful) if you could (?:try|test|run|benchmark|measure)\b/i },
  { name: "cue:would-be-better", kind: "proposal", confidence: 0.7, re: /\bit (?:would|might|could|'d) be (?:much |a lot |far |way )?(?:better|simpler|nicer|cleaner|easier|preferable|more efficient|more robust) (?:to|if)\b|\bwouldn't it be (?:much )?(?:better|nicer|simpler|cleaner|easier)\b/i },
  { name: "cue:idea", kind: "proposal", confidence: 0.65, re: /\bI (?:came up with|have|had) (?:the following|an|another|a) (?:\w+ )?idea\b|\b(?:here(?:'s| is)|my) (?:\w+ )?idea\b|\bthe idea (?:is|would be|here is)\b/i },
  { name: "cue:perhaps-we", kind: "proposal", confidence: 0.6, re: /\b(?:perhaps|maybe) (?:we|you) (?:could|should|can|need to|'d need|would need|want to|'d want)\b|\bperhaps we'd\b/i },
  {
    // "we could/should/might …", "you could …", "we can just/simply/instead …" (not "you can add my ack")
    name: "cue:we-could",
    kind: "proposal",
    confidence: 0.5,
    re: /\b(?:(?:we|one) (?:could|might|should|can (?:just|simply|instead|also just))|you (?:could|might)(?: also| just| instead)?) (?:just |simply |also |instead |then |probably |perhaps |now )?(?:have|use|add|make|move|drop|keep|put|do|go|take|replace|split|embed|introduce|switch|convert|hang|store|defer|batch|skip|avoid|try|mark|check|allocate|extend|track|count|reuse|remove|turn|teach|let|rely|expose|cache|lock|free|allow|fall back)\b/i,
  },
  { name: "cue:summary", kind: "proposal", confidence: 0.5, re: /^(?:summari[sz]ing|to summari[sz]e|in summary|so,? in summary|tl;dr)\b/i, pre: /summari[sz]|in summary|tl;dr/i },
  { name: "cue:makes-more-sense", kind: "proposal", confidence: 0.65, re: /\b(?:would|might|may|could|does|seems? to) make (?:more|much more|a lot more) sense\b|\b(?:is|are|seems?|would be|might be) (?:a |much |far )?(?:better|more appropriate|more logical|more natural|preferable)(?: (?:place|way|option|approach|fit|choice))?\b|^better to\b|\bI(?:'d| would) (?:rather|prefer)\b|\bI (?:would )?prefer\b/i },
  { name: "cue:please-use", kind: "proposal", confidence: 0.6, re: /^(?:(?:so|then|instead|also),? )?(?:please |pls |just |simply )+(?:use|move|drop|switch|convert|make|call|check|put|keep|return|introduce|replace|remove|pass|rely on|do)\b(?! (?:it|this|that|them|these|those)\b)|\b(?:can|could|would) you (?:please )?(?:just |simply )?(?:use|move|switch|convert|put|replace|introduce|return|call|pass|rely on)\b(?! (?:it|this|that|them|these|those)\b)/i, pre: /\b(?:please|pls|just|simply|you)\b/i },
  { name: "cue:lets", kind: "proposal", confidence: 0.45, re: /\blet's (?:just )?(?:use|add|make|move|drop|keep|do|go|try|switch|introduce|split)\b/i },
  // questions
  { name: "cue:have-you-considered", kind: "question", confidence: 0.8, re: /\b(?:have|had|did) you (?:considered|consider|thought about|think about|looked at|look at|tried|try|measured|benchmarked)\b/i },
  { name: "cue:what-happens", kind: "question", confidence: 0.8, re: /\bwhat (?:happens|would happen|will happen|should happen) (?:when|if|to|with|in|on)\b/i },
  { name: "cue:open-question", kind: "question", confidence: 0.8, re: /\b(?:an |one |the |another )?open questions?\b/i },
  { name: "cue:what-about", kind: "question", confidence: 0.6, re: /(?:^|\b(?:and|but|so|also)\s+)what about\b[^?]*\?/i, pre: /what about\b[^?]*\?/i },
  { name: "cue:how-does", kind: "question", confidence: 0.65, re: /\bhow (?:does|do|would|will|can|could) (?:this|that|it|we|you|the \w+) (?:interact|deal|cope|handle|work|avoid|prevent|guarantee|ensure|scale|behave)\b[^?]*\?/i },
  { name: "cue:wonder", kind: "question", confidence: 0.6, re: /\bI (?:do )?wonder (?:if|whether|how|why|what)\b/i },
  { name: "cue:why", kind: "question", confidence: 0.65, re: /(?:^|\b(?:but|so|and|also|then),? )why (?:is|are|do|does|did|would|should|can|can't|must|was|were|the|this|that|we|you|it)\b[^?]*\?/i, pre: /why\b[^?]*\?/i },
  { name: "cue:do-you-need", kind: "question", confidence: 0.6, re: /^(?:but |so |and |also )?(?:do|does) (?:you|we|this|it|the driver) (?:really |actually |still )?need\b[^?]*\?/i, pre: /need\b[^?]*\?/i },
  { name: "cue:code-question", kind: "question", confidence: 0.55, re: /^(?:[Bb]ut |[Ss]o |[Aa]nd |[Aa]lso |[Tt]hen |[Hh]mm,? )?(?:[Ii]s|[Aa]re|[Dd]oes|[Dd]o|[Cc]an|[Cc]ould|[Ww]ill|[Ww]ould|[Ss]hould|[Ww]hat|[Hh]ow|[Ww]here|[Ww]hich|[Ww]hen|[Ii]sn't|[Aa]ren't|[Dd]oesn't)\b[^?]*(?:\w\(\)|\b[a-z]+_[a-z0-9_]+\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\bCONFIG_\w+)[^?]*\?/, pre: /\?/ },
  { name: "cue:is-there-a-reason", kind: "question", confidence: 0.6, re: /\bis there (?:a|any) (?:reason|need|benefit)\b[^?]*\?/i },
];

/**
 * Not ideas (GUIDE §3): requests about the changelog, subject, tags, typos, style or process
 * (split, resend, rebase, checkpatch), and, for proposals, a sentence that states a worry (a
 * concern, not a way of doing things).
 */
const PROCESS = /\b(?:commit (?:message|log|msg|description)|changelog|change log|subject(?: line)?|typos?|spelling|fixes:? tags?|stable tags?|cc:? stable|\bcc\b|s-o-b|signed-off|checkpatch|coding style|white ?space|indentation|blank line|resend|re-send|rebase|split(?:ting)? (?:this|the|it|these)(?: patch| change| commit| series)?|(?:separate|own|next|new|follow-?up) (?:patch|commit|version)|v\d+\b|same page|help from|-?fixes branch|-next branch|\bnits?\b|(?:tag(?:ged)?|cc|mark(?:ed)?|send) (?:it |this )?(?:for|to) stable|(?:proper|formal|real) patch)/i;
const WORRY = /\b(?:my (?:main |only )?(?:concern|worry)|I(?:'m| am) (?:a bit |somewhat |a little |also )?(?:concerned|worried|afraid)|will always be (?:true|false)|is always (?:true|false))\b/i;
/** "Did you consider this?": no idea of its own */
const BARE_QUESTION = /\b(?:considered|consider|thought about|think about|tried|try|looked at|look at)\s+(?:this|that|it)\s*\?/i;
/** the sender defends the status quo: "I suggest keeping it", "I recommend maintaining the status quo" */
const KEEP_AS_IS = /\b(?:suggest|recommend|propose|prefer)\w* (?:to )?(?:keep|keeping|maintain|maintaining|leave|leaving)\b/i;
/** an addition next to the approach on the table ("other drivers should probably do this too") */
const EXTENSION = /\b(?:also|too|as well|additionally|in (?:a )?(?:future|follow-?up)|later on|further)\b/i;

/** cues that put a way of doing it forward (not a request to test or measure, not a summary) */
const OTHER_WAY_CUES = new Set(["cue:suggest", "cue:makes-more-sense", "cue:please-use", "cue:we-could", "cue:why-not", "cue:would-be-better", "cue:perhaps-we", "cue:wonder-if-possible"]);

function notAnIdea(cue: Cue, s: string): boolean {
  if (PROCESS.test(s)) return true;
  if ((cue.kind === "proposal" || cue.kind === "alternative") && WORRY.test(s)) return true;
  if (cue.kind === "question" && BARE_QUESTION.test(s)) return true;
  return false;
}

function kindOf(hit: Hit, isReply: boolean, replyToPatch: boolean, prev: IdeaKind | null): IdeaKind {
  const s = hit.sentence.text;
  const k = hit.cue.kind;
  if (k === "proposal") {
    if (KEEP_AS_IS.test(s)) return "objection";
    // a proposal that replaces what is on the table (or follows an objection in a reply)
    if (ALTERNATIVE_WORDS.test(s) || (isReply && prev === "objection")) return "alternative";
    if (replyToPatch && OTHER_WAY_CUES.has(hit.cue.name) && !EXTENSION.test(s)) return "alternative";
  }
  // "Have you considered splitting these out into helpers?" names another mechanism
  if (k === "question" && hit.cue.name === "cue:have-you-considered" && (ALTERNATIVE_WORDS.test(s) || /\b(?:considered|consider|thought about|think about) (?:\w+ing|using|adding|moving)\b/i.test(s))) return "alternative";
  return k;
}

/** Words that make a proposal an alternative to what is on the table. */
const ALTERNATIVE_WORDS = /\binstead\b|\brather than\b|\binstead of\b|\bin place of\b/i;

/** An introduction ("Could you check if:", "Things I'd like opinions on:") to a list of items. */
const LIST_INTRO = /\b(?:suggest\w*|propos\w*|ideas|options|topics?|(?:like|want) to discuss|alternatives|questions?|opinions?|not sure|feedback|open issues)\b/i;
const NOT_LIST_INTRO = /\b(?:changes|changelog|since v\d|v\d+\s*->|results?|reproduce|steps|tested|testing|test results|summary of|this series|patches|diffstat)\b/i;

interface Hit {
  cue: Cue;
  sentence: Sentence;
  index: number;
}

/**
 * Words each cue cannot match without (lower case, as its pattern spells them, single spaces): a
 * message whose paragraphs contain none of a cue's words is not tried with its pattern.
 */
export const CUE_WORDS: Readonly<Record<string, readonly string[]>> = {
  "cue:not-right-approach": ["think"],
  "cue:objection": ["object"],
  "cue:nak-because": ["nak", "nack"],
  "cue:not-convinced": ["convinced", "a fan of", "happy with", "keen on", "comfortable with"],
  "cue:breaks": ["break", "broken", "work", "wrong", "correct", "safe"],
  "cue:disagree": ["disagree", "like"],
  "cue:not-acceptable": ["acceptable", "non-starter", "no-go"],
  "cue:dont-think-we": ["think"],
  "cue:not-needed": ["necessary", "needed", "required"],
  "cue:not-right-thing": ["right", "correct", "proper", "appropriate", "advisable", "scalable", "not sure", "be part of", "be checking", "be special-cas", "be exposed"],
  "cue:no-because": ["no", "work", "understand"],
  "cue:could-but": ["could"],
  "cue:alternative": ["alternative"],
  "cue:instead-of": ["instead of"],
  "cue:another-approach": ["option", "approach", "way to do", "solution", "idea", "design"],
  "cue:how-about": ["how about"],
  "cue:what-if": ["what if "],
  "cue:why-not": ["why not", "why don't", "why wouldn't"],
  "cue:wonder-if-possible": ["wonder"],
  "cue:suggest": ["suggest", "propos", "recommend"],
  "cue:could-you-investigate": ["could you", "can you", "would you"],
  "cue:could-you-try": ["could you", "can you", "would you"],
  "cue:request-for-benchmarking": ["request for", "if you could"],
  "cue:would-be-better": ["better", "simpler", "nicer", "cleaner", "easier", "preferable", "more efficient", "more robust"],
  "cue:idea": ["idea"],
  "cue:perhaps-we": ["perhaps", "maybe"],
  "cue:we-could": ["we could", "we might", "we should", "we can", "one could", "one might", "one should", "one can", "you could", "you might"],
  "cue:summary": ["summari", "in summary", "tl;dr"],
  "cue:makes-more-sense": ["make more sense", "make much more sense", "make a lot more sense", "better", "more appropriate", "more logical", "more natural", "preferable", "rather", "prefer"],
  "cue:please-use": ["please", "pls", "just", "simply", "you"],
  "cue:lets": ["let's"],
  "cue:have-you-considered": ["have you", "had you", "did you"],
  "cue:what-happens": ["happen"],
  "cue:open-question": ["open question"],
  "cue:what-about": ["what about"],
  "cue:how-does": ["how does", "how do ", "how would", "how will", "how can", "how could"],
  "cue:wonder": ["wonder"],
  "cue:why": ["why"],
  "cue:do-you-need": ["need"],
  "cue:code-question": ["?"],
  "cue:is-there-a-reason": ["is there"],
};
for (const c of CUES) if (!CUE_WORDS[c.name]) throw new Error(`lib/knowledge/ideas: no CUE_WORDS for ${c.name}`);

const scanCues = cueScanner(CUES, (c) => CUE_WORDS[c.name]);

/**
 * The cues that may match a sentence of one of these paragraphs, by their words (one scan over the
 * lower-cased paragraph texts, much cheaper than the patterns); most messages have none and no
 * sentence is cut at all.
 */
export function cuesIn(paras: Paragraph[]): Cue[] {
  return paras.length ? scanCues(paras.map((p) => p.text).join("\n")) : [];
}

/** Of those, the cues that may match a sentence of this paragraph. */
function cuesOf(p: Paragraph, cues: readonly Cue[]): Cue[] {
  return cues.length ? cues.filter((c) => (c.pre ?? c.re).test(p.text)) : [];
}

function bestCue(s: string, cues: readonly Cue[] = CUES): Cue | null {
  let best: Cue | null = null;
  for (const c of cues) {
    if (!c.re.test(s)) continue;
    if (!best || c.confidence > best.confidence) best = c;
  }
  return best;
}

/** The own lines between two body lines, inclusive, joined with "\n". */
function linesText(p: Paragraph[], start: number, end: number): string {
  const out: string[] = [];
  for (const q of p) for (const l of q.lines) if (l.line >= start && l.line <= end) out.push(l.text.trimEnd());
  return out.join("\n");
}

/** Design ideas in the message's own text. */
export function findIdeas(input: MessageText, opts: IdeaOptions = {}): Idea[] {
  const subj = opts.subject !== undefined ? parseSubject(opts.subject) : null;
  const isReply = opts.isReply ?? subj?.isReply ?? false;
  const paras = paragraphs(input.ownLines);
  const ideas: Idea[] = [];

  const rfc = opts.isRfc || !!subj?.isRfc || (opts.subject !== undefined && /^(?:re:\s*)?\[[^\]]*\bRFC\b[^\]]*\]|\]\s*RFC\b[:\s]/i.test(opts.subject) && !isReply);
  const cover = opts.isCover ?? subj?.isCoverSubject ?? false;
  if (rfc && !isReply && (cover || !subj?.counter)) {
    const r = rfcIdea(paras, subj?.summary || subj?.title || "");
    if (r) ideas.push(r);
  }

  // a patch's own commit message describes the change it makes ("let's add …"): that is the
  // patch, not an idea about it. Cover letters, RFCs and replies are read.
  // that is the patch's own proposal (GUIDE: the commit message's "how"), one idea per patch.
  const isPatchMail = !!subj?.isPatch && !isReply && !cover && !rfc && /^(?:diff --git |Index: \S|--- \S+\n\+\+\+ \S)/m.test(input.text);
  if (isPatchMail) {
    const own = patchProposal(input.ownLines, "patch");
    if (own) ideas.push(own);
    return dedupe(ideas);
  }
  // a cover letter's overall approach
  if (cover && !rfc && !isReply && subj?.isPatch) {
    const own = patchProposal(input.ownLines, "cover");
    if (own) ideas.push(own);
  }

  // a reviewer's suggestion in answer to a patch is another way than the one on the table
  const replyToPatch = isReply && !!subj?.isPatch;
  const msgCues = cuesIn(paras);
  const used = new Set<number>(); // paragraphs consumed as list items of an earlier idea
  for (let pi = 0; pi < paras.length; pi++) {
    if (used.has(pi)) continue;
    const p = paras[pi];
    if (isBoilerplate(p)) continue;
    const cues = cuesOf(p, msgCues);
    const ss = cues.length ? sentences(p) : [];
    const hits: Hit[] = [];
    ss.forEach((s, index) => {
      const cue = bestCue(s.text, cues);
      if (cue && !notAnIdea(cue, s.text)) hits.push({ cue, sentence: s, index });
    });
    let prevKind: IdeaKind | null = null;
    for (let h = 0; h < hits.length; h++) {
      const hit = hits[h];
      const kind: IdeaKind = kindOf(hit, isReply, replyToPatch, prevKind);
      // sentences up to the next hit of another kind belong to this passage
      let lastIdx = ss.length - 1;
      let k = h + 1;
      while (k < hits.length) {
        const nkind: IdeaKind = kindOf(hits[k], isReply, replyToPatch, kind);
        if (nkind !== kind) {
          lastIdx = hits[k].index - 1;
          break;
        }
        k++;
      }
      const first = hit.sentence;
      let end = ss[lastIdx].end;
      let confidence = hit.cue.confidence;
      if (kind === "question" && !/\?/.test(ss.slice(hit.index, lastIdx + 1).map((s) => s.text).join(" "))) confidence = Math.min(confidence, 0.5);
      const items: Idea[] = [];
      // a lone short sentence announcing what follows ("I have a more basic objection.") or an
      // introduction ending in ":" takes the next paragraph or the list after it
      const lone = hit.index === 0 && lastIdx === ss.length - 1 && ss.length <= 2;
      if (lone && pi + 1 < paras.length && paras[pi + 1].start <= p.end + 2) {
        const intro = p.text.trimEnd().endsWith(":");
        const nextCues = cuesOf(paras[pi + 1], msgCues);
        const nextHasCue = nextCues.length > 0 && sentences(paras[pi + 1]).some((s) => bestCue(s.text, nextCues));
        if (intro && paras[pi + 1].item && confidence >= 0.6) {
          for (let q = pi + 1; q < paras.length && paras[q].item && paras[q].start <= paras[q - 1].end + 2; q++) {
            used.add(q);
            if (!proseItem(paras[q])) continue;
            items.push(itemIdea(paras, paras[q], kind === "objection" ? "objection" : kind, "numbered-list", Math.min(confidence, 0.7)));
            end = paras[q].end;
          }
        } else if (!nextHasCue && !paras[pi + 1].item && paras[pi + 1].text.length >= 60 && !/^\s*(?:\[?\d{1,2}\]?:|https?:\/\/)/.test(paras[pi + 1].text) && (intro || p.text.length < 140)) {
          used.add(pi + 1);
          end = paras[pi + 1].end;
        }
      }
      const passage = ss.slice(hit.index, lastIdx + 1).map((s) => s.text).join(" ");
      const text = end > ss[lastIdx].end ? passage + "\n\n" + linesText(paras, ss[lastIdx].end + 1, end) : passage;
      ideas.push({
        kind,
        summary: firstSentence(first.text),
        text,
        keywords: identifiers(text),
        lines: [first.start, end],
        method: hit.cue.name,
        confidence,
        quote: first.text,
      });
      ideas.push(...items);
      prevKind = kind;
      h = k - 1;
    }
    // an uncued introduction to a list ("Topics I'd like to discuss:", "Things I'm not sure about:")
    if (!hits.length && p.text.trimEnd().endsWith(":") && LIST_INTRO.test(p.text) && !NOT_LIST_INTRO.test(p.text)) {
      const kind: IdeaKind = /\b(?:not sure|opinions?|questions?|feedback|wonder)\b/i.test(p.text) ? "question" : "proposal";
      for (let q = pi + 1; q < paras.length && paras[q].item && paras[q].start <= paras[q - 1].end + 2; q++) {
        if (used.has(q)) continue;
        used.add(q);
        if (!proseItem(paras[q])) continue;
        const qCues = cuesOf(paras[q], msgCues);
        const own = qCues.length ? sentences(paras[q]).map((s) => bestCue(s.text, qCues)).find(Boolean) : undefined;
        ideas.push(itemIdea(paras, paras[q], own ? (own.kind as IdeaKind) : kind, own ? own.name : "numbered-list", own ? own.confidence : 0.6));
      }
    }
  }
  return dedupe(ideas);
}

/** A list item that reads as a sentence, not "minItems: 1" or a bare identifier. */
function proseItem(p: Paragraph): boolean {
  const body = p.text.replace(/^\s*(?:\d{1,2}[.)]|\(\d{1,2}\)|[-*•])\s+/, "");
  return body.split(/\s+/).length >= 3 && !/^[\w.,-]+:\s*\S+$/.test(body);
}

function itemIdea(paras: Paragraph[], item: Paragraph, kind: IdeaKind, method: string, confidence: number): Idea {
  const text = linesText(paras, item.start, item.end);
  const body = item.text.replace(/^\s*(?:\d{1,2}[.)]|\(\d{1,2}\)|[-*•])\s+/, "");
  return {
    kind,
    summary: firstSentence(body),
    text,
    keywords: identifiers(text),
    lines: [item.start, item.end],
    method: method === "numbered-list" ? "numbered-list" : `${method}+list`,
    confidence,
    quote: item.lines[0].text.trim(),
  };
}

/** Greetings, sign-offs and trailer blocks are never ideas. */
function isBoilerplate(p: Paragraph): boolean {
  if (p.lines.every((l) => /^\s*[A-Z][A-Za-z]*(?:-[A-Za-z]+)*-(?:by|to):\s/.test(l.text) || /^\s*(?:Link|Closes|Fixes|Cc|base-commit|change-id):/i.test(l.text))) return true;
  return p.text.length < 40 && /^(?:hi|hello|hey|dear|thanks|thank you|cheers|regards|best regards|br)\b/i.test(p.text);
}

function dedupe(ideas: Idea[]): Idea[] {
  const out: Idea[] = [];
  for (const i of ideas) {
    if (out.some((o) => o.kind === i.kind && o.lines[0] === i.lines[0] && o.lines[1] === i.lines[1])) continue;
    out.push(i);
  }
  return out.sort((a, b) => a.lines[0] - b.lines[0] || (a.kind === "rfc" ? -1 : b.kind === "rfc" ? 1 : 0));
}

const COVER_END = /^(?:---\s*$|-- $|base-commit:|change-id:|prerequisite-|[A-Z][A-Za-z]*(?:-[A-Za-z]+)*-by:\s|Link:\s|Changes (?:since|in|from) v\d|v\d+\s*(?:->|→)\s*v\d+|Change ?log:?\s*$|\S.* \(\d+\):\s*$|\d+:\s*https?:\/\/)/i;
const GREETING = /^(?:hi|hello|hey|dear|greetings|all)\b[^.!?]{0,40}[,!:]?\s*$/i;

/**
 * The RFC itself as one idea: its own prose from the first non-greeting line up to the changelog,
 * shortlog, trailers, "---" or base-commit, whichever comes first.
 */
function rfcIdea(paras: Paragraph[], title: string): Idea | null {
  const lines: { line: number; text: string }[] = [];
  outer: for (const p of paras) {
    for (const l of p.lines) {
      if (COVER_END.test(l.text.trim()) || COVER_END.test(l.text)) break outer;
      lines.push(l);
    }
    lines.push({ line: p.end + 0.5, text: "" });
  }
  // greetings and in-body headers ("From: …", "Subject: …") before the text
  while (lines.length && (lines[0].text.trim() === "" || GREETING.test(lines[0].text.trim()) || /^(?:From|Subject|Date):\s/.test(lines[0].text))) lines.shift();
  while (lines.length && lines[lines.length - 1].text.trim() === "") lines.pop();
  // a closing greeting ("Thanks,", "Mira")
  while (lines.length && lines[lines.length - 1].text.trim().length < 25 && /^(?:thanks|thank you|cheers|regards|best|--)?[\w ,.!]*$/i.test(lines[lines.length - 1].text.trim()) && lines.length > 2) {
    const t = lines[lines.length - 1].text.trim();
    if (!/^(?:thanks|thank you|cheers|regards|best)/i.test(t) && !/^[A-Z][a-z]+\.?$/.test(t)) break;
    lines.pop();
    while (lines.length && lines[lines.length - 1].text.trim() === "") lines.pop();
  }
  const real = lines.filter((l) => Number.isInteger(l.line));
  if (!real.length) return null;
  const text = lines.map((l) => l.text.trimEnd()).join("\n").replace(/\n{3,}/g, "\n\n");
  const prose = text.replace(/\s+/g, " ").trim();
  if (prose.length < 20) return null;
  return {
    kind: "rfc",
    summary: firstSentence(text.split(/\n\s*\n/)[0]),
    text,
    keywords: identifiers(title + " " + text),
    lines: [real[0].line, real[real.length - 1].line],
    method: "rfc-cover",
    confidence: 0.9,
    quote: real[0].text.trim(),
    title: title || undefined,
  };
}

/** Where a commit message (or a cover letter's prose) ends: "---", trailers, changelog, shortlog. */
const MESSAGE_END = /^(?:---\s*$|-- $|base-commit:|change-id:|prerequisite-|[A-Z][A-Za-z]*(?:-[A-Za-z]+)*-by:\s|(?:Link|Closes|Fixes|Cc|BugLink|Bug):\s|Changes (?:since|in|from|for) v\d|Change ?log:?\s*$|Changes:?\s*$|v\d+\s*(?:->|→|:)|\S.* \(\d+\):\s*$|\d+:\s*https?:\/\/|diff --git )/i;
/** Lines of a commit message that are not the author's prose: backport stamps, in-body headers, notes. */
const NOT_PROSE = /^\s*(?:\[\s*(?:Upstream commit|commit \w+ upstream)|(?:From|Subject|Date):\s|commit [0-9a-f]{12,}\s*$)/i;
/**
 * The sentence that states what a patch does: an imperative ("Add …", "Fix this by …", "Use …"),
 * "This patch adds …", "Let's …", "So/Therefore/Hence …, <imperative>", "To fix this, …".
 */
const VERBS = "add|fix|use|switch|convert|remove|drop|introduce|document|enable|disable|implement|move|replace|make|set|return|change|let|allow|avoid|export|update|extend|rework|refactor|support|call|check|handle|mark|keep|skip|define|describe|populate|hide|reset|register|clear|restore|limit|increase|decrease|rename|split|simplify|defer|delay|apply|propagate|correct|ensure|revert|reorder|factor|construct|augment|teach|wire|hook|pass|take|put|force|restrict|prevent|stop|treat|read|write|request|release|free|unify|merge|consolidate|align|adjust|bump|clean|trivially|migrate|adapt|provide|expose|announce|print|mask|unmask|poll|wait|retry|re-?\\w+";
const HOW = new RegExp(
  String.raw`^(?:(?:so|thus|hence|therefore|instead|now|then|finally|also|here|in this patch|with this patch|to (?:fix|solve|address|avoid|handle|resolve|prevent|support|overcome|work around|mitigate) (?:this|that|it|the (?:\w+ )?(?:issue|problem|bug|race|regression))|to do (?:so|that|this)|for (?:this|that) reason|because of (?:this|that)|as a result|as such)[, ]+)*` +
    String.raw`(?:(?:${VERBS})(?:s|es)?\b(?! of\b)|let's\b|let us\b|(?:this|the) (?:patch|commit|change|series|patchset|patch-?set|patch series)(?: series| set)? (?:now |also |simply |basically |here )?(?!is\b|was\b|has\b|does\b|applies\b|depends\b)[a-z]+s\b|we (?:now |instead |can |should |need to |have to |must |just |simply )?(?:${VERBS})\b|this reverts commit\b)`,
  "i",
);
const HOW_PRE = /\b(?:add|fix|use|let|this|the|we|so|thus|hence|therefore|instead|now|then|finally|also|here|in|with|to|for|because|as|[a-z]+)/i;

/**
 * A patch's (or cover letter's) own proposal: from the first sentence that says what the change
 * does to the end of its paragraph; failing that, the first paragraph of the message (a one-line
 * "Add the SM8650 compatible" is a proposal). Only the commit message counts: it ends at "---",
 * the trailer block or a changelog.
 */
function patchProposal(own: readonly { line: number; text: string }[], where: "patch" | "cover"): Idea | null {
  const body: { line: number; text: string }[] = [];
  let seen = false;
  for (const l of own) {
    const t = l.text.trim();
    if (MESSAGE_END.test(t) || MESSAGE_END.test(l.text)) break;
    if (!seen && (t === "" || NOT_PROSE.test(t) || GREETING.test(t))) continue;
    if (NOT_PROSE.test(t)) continue;
    seen = true;
    body.push(l);
  }
  const paras = paragraphs(body);
  // a closing greeting ("Thanks,", "Jane") or a link list is not the proposal
  const prose = paras.filter((p) => p.text.length >= 15 && !/^(?:thanks|thank you|regards|best regards|cheers)\b/i.test(p.text) && !/^\s*(?:\[\d+\]\s*)?https?:\/\//.test(p.text));
  if (!prose.length) return null;
  for (const p of prose.slice(0, where === "cover" ? 4 : 6)) {
    if (p.item) continue;
    const ss = sentences(p);
    const i = ss.findIndex((s) => HOW_PRE.test(s.text) && HOW.test(s.text.replace(/^\W+/, "")));
    if (i < 0) continue;
    return patchIdea(paras, p, ss[i], where === "cover" ? "cover-proposal" : "commit-proposal", 0.75);
  }
  // "… should check the return value", "it is better to let the user set it", "we can easily …"
  for (const p of prose.slice(0, 6)) {
    if (p.item) continue;
    const ss = sentences(p);
    const i = ss.findIndex((s) => SHOULD_PRE.test(s.text) && SHOULD.test(s.text));
    if (i >= 0) return patchIdea(paras, p, ss[i], where === "cover" ? "cover-should" : "commit-should", 0.6);
  }
  // else the first paragraph, unless it is the problem statement (a concern) of a longer
  // message, a changelog or a list
  const p = prose[0];
  if (p.item || CHANGELOG_LIKE.test(p.text) || p.text.trimEnd().endsWith(":")) return null;
  if (prose.length > 1 && PROBLEM.test(p.text)) return null;
  return patchIdea(paras, p, sentences(p)[0], where === "cover" ? "cover-first-paragraph" : "commit-first-paragraph", 0.5);
}

const SHOULD = /\b(?:should (?!not\b|have\b|be\b|never\b)[a-z]+|(?:is|'s|would be) (?:better|preferable|safer|simpler|cleaner) to|we (?:can|could) (?:easily |simply |just )?[a-z]+)\b/i;
const SHOULD_PRE = /should|better|preferable|safer|simpler|cleaner|we can|we could/i;
const PROBLEM = /\b(?:report\w*|problems?|issues?|errors?|fail\w*|broken|bugs?|crash\w*|hang\w*|observed|regress\w*|warnings?|doesn't|does not|cannot|can't|not work\w*|wrong|missing|stall\w*|timeouts?)\b/i;
const CHANGELOG_LIKE = /^\s*(?:\[?patch \d|v\d+\b|changes?\b|update[ds]?\b|rebased?\b|addressed?\b|\w+ of the\b.*\baddress\w* |.*\bbased on\b)/i;

function patchIdea(paras: Paragraph[], p: Paragraph, first: Sentence, method: string, confidence: number): Idea {
  const text = linesText(paras, first.start, p.end);
  return {
    kind: "proposal",
    summary: firstSentence(first.text),
    text,
    keywords: identifiers(text),
    lines: [first.start, p.end],
    method,
    confidence,
    quote: first.text,
  };
}
