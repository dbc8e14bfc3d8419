// Concerns: concrete problems the sender points out — a bug, a race, a hang, a leak, a regression,
// a missing case, a build error or warning. Three readers:
//
//  * robot build reports (kernel test robot): one concern per distinct compiler, sparse, linker or
//    modpost diagnostic, at its first line ("drivers/mmc/host/foo.c:12:3: error: …"); repeats,
//    notes, the "vim +NNN" source context and the Kconfig section are not diagnostics. A
//    performance report is one concern for its headline regression (none for an improvement).
//  * a patch's commit message or a cover letter (not a reply): the problem it fixes, stated in a
//    sentence that is not the fix itself ("The driver overrides the error codes …, so the probe
//    fails permanently"), to the end of its paragraph. At most one per paragraph, two per message.
//  * a reply: sentences with a defect cue ("this is a dangling pointer bug", "causes the following
//    regression", "it does not fix the issue", "seems to have compile errors", "the condition will
//    always be false").
//
// Only the author's own lines are read (MessageText.ownLines): quoted text never counts (robot
// reports are read whole: their ">>" marks a new diagnostic, not a quote). Before any pattern, one
// scan of the lower-cased text for the cue words (CONCERN_WORDS) rules most messages out. Pure.

import { parseSubject } from "../series/subject";
import type { RobotReport } from "./benchmarks";
import type { Idea } from "./ideas";
import { cueScanner, firstSentence, identifiers, paragraphs, sentences, type Paragraph } from "./text";
import type { MessageText } from "./types";

export interface ConcernOptions {
  /** the Subject header: patch / cover / reply */
  subject?: string;
  isCover?: boolean;
  isReply?: boolean;
}

export interface ConcernCue {
  name: string;
  /** "statement": a patch's or cover letter's own problem statement; "reply": a reviewer's or reporter's reply */
  where: "statement" | "reply" | "both";
  re: RegExp;
  confidence: number;
  /** lower-case words the pattern cannot match without (a necessary condition, checked by prefilter.test.ts) */
  words: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// prose cues

/** exported for lib/knowledge/prefilter.test.ts */
export const CONCERN_CUES: readonly ConcernCue[] = [
  // named defect classes: a kernel reviewer's words for a bug
  {
    name: "concern:defect",
    where: "both",
    confidence: 0.8,
    re: /\b(?:use[- ]after[- ]free|double[- ]free|dangling (?:pointer|reference)|null(?:[- ]pointer)? dereference|null[- ]ptr[- ]deref|(?:memory|resource|refcount|reference|clock|irq) leaks?|leaks? (?:the|a|an|memory)\b|deadlocks?|dead[- ]lock|lockups?|race condition|(?:is|are|be|a|this) racy|out[- ]of[- ]bounds|buffer overflow|integer overflow|stack corruption|data corruption|memory corruption|infinite loop|(?:an?|the|this) (?:\S+ ){0,2}bug\b(?! ?fix)|buggy|(?:stale|dangling)(?:\/\w+)? (?:\S+ )?pointer|introduc\w+ (?:\w+ )?(?:bugs|leaks|races))/i,
    words: ["after", "double", "dangling", "stale", "introduc", "null", "leak", "deadlock", "dead", "lockup", "race", "racy", "bounds", "overflow", "corruption", "infinite", "bug"],
  },
  // a regression or breakage named as such
  {
    name: "concern:regression",
    where: "both",
    confidence: 0.8,
    re: /\b(?:(?:causes?|caused|introduced?s?|introducing|is|a|this|the following|see(?:ing)?) (?:a |the )?(?:following |serious |boot |performance )?regressions?|regress(?:es|ed)\b|(?:broke|breaks|has broken|have broken|did break)\b(?! (?:down|up|out|into|the (?:patch|series|change) (?:up|into)))|(?:is|are|was|got|became|seems|now) (?:completely |totally |badly )?broken|breakage|no longer (?:boots?|works?|loads?|detect(?:s|ed)?|probes?|functions?|builds?|compiles?|(?:be )?(?:found|detected|usable|accessible)))\b/i,
    words: ["regress", "broke", "breaks", "broken", "breakage", "no longer", "did break"],
  },
  // hangs, stalls, crashes, timeouts seen
  {
    name: "concern:failure",
    where: "both",
    confidence: 0.7,
    re: /\b(?:hangs?|hung|hanging(?! around)|stalls?|stalled|crash(?:es|ed)?|oops(?:es)?|panics?|timeouts? (?:(?:always|still|sometimes|often|randomly) )?(?:occurs?|happens?|errors?)|(?:errors?|failures?|warnings?) (?:(?:is|are|was|were) )?(?:observed|seen|reported|triggered)|the (?:problem|issue|bug|regression|failure) (?:starts|started|appears|appeared|occurs|occurred|happens|happened|shows up|showed up)|(?:you will|you'll|will|would) see (?:\w+ )?(?:errors|warnings|failures)|(?:won't|will not|cannot|can't|doesn't|does not|no longer) (?:initiali[sz]e|boot|probe|resume|get detected|be detected|compile|build)|but (?:linux|the kernel|the driver|it) fails\b|times? out|timed out|(?:waits?|waiting|stuck|spins?|loops?) (?:forever|indefinitely)|(?:gets?|is|are|be|being) stuck|error -\d+ (?:whilst|while|when|doing|on)|(?:fails?|failed|failing) (?:to (?:initiali[sz]e|probe|boot|detect|build|compile|link|resume|suspend|tune|load|mount|work)|completely|permanently|randomly|(?:again|with|during|on (?:boot|resume|suspend)))|(?:compile|compilation|build|link(?:er)?) (?:errors?|failures?|breakage|warnings?)|fails? to (?:compile|build))\b/i,
    words: ["hang", "hung", "stall", "observed", "seen", "reported", "triggered", "the problem", "the issue", "the bug", "the regression", "the failure", "see ", "initiali", "boot", "probe", "resume", "detected", "compile", "crash", "oops", "panic", "timeout", "time", "timed out", "forever", "indefinitely", "stuck", "error -", "fail", "compil", "build", "link"],
  },
  // does not fix / still there (a tester's report on the patch)
  {
    name: "concern:not-fixed",
    where: "reply",
    confidence: 0.75,
    re: /\b(?:(?:does|did|do)(?:n't| not) (?:fix|solve|resolve|help with) (?:the|this|my|that|these|those|any)|(?:the |this |that |these )?(?:issues?|problems?|errors?|failures?) (?:is|are) still (?:there|present|happening|occurring|seen)|still (?:fails|hangs|crashes|breaks|showed up|shows up|happens|occurs|see (?:the|this|a)|get (?:the|this|a))|makes? no difference|unfortunately,? (?:this|the|your) (?:patch|change|series|commit) (?:causes|breaks|introduces|results|leads|does(?:n't| not)|fails))\b/i,
    words: ["fix", "solve", "resolve", "help with", "still", "no difference", "unfortunately"],
  },
  // "X is wrong", "the condition will always be false", "this misses the … case"
  {
    name: "concern:wrong",
    where: "reply",
    confidence: 0.65,
    re: /\b(?:(?:chunk|hunk|check|condition|logic|calculation|computation|offset|mask|value|order|loop|test|comparison|assignment|return value|error path|error handling|cleanup|locking) (?:is|looks|seems) (?:\w+ )?(?:wrong|incorrect|broken|bogus|inverted|reversed)|(?:will|would|can) (?:always|never) be (?:true|false|zero|null|reached|taken|set|called)|(?:is|are) (?:obviously |clearly )?not (?:correct|right)\b(?! (?:approach|way|place|solution|thing))|(?:this|it|that) (?:misses|ignores|forgets|doesn't handle|does not handle|doesn't cover|does not cover) (?:the )?\S+ (?:case|path|error)|missing (?:error check|error handling|check for|\w+ check|unlock|(?:a |the )?call to|release|free|put)|(?:is|are) (?:never|not) (?:released|freed|unlocked|checked|handled|put|called)|(?:is|are) (?:unused|uninitiali[sz]ed|used uninitiali[sz]ed|never used)\b)/i,
    words: ["wrong", "incorrect", "broken", "bogus", "inverted", "reversed", "always", "never", "not correct", "not right", "misses", "ignores", "forgets", "handle", "cover", "missing", "released", "freed", "unlocked", "checked", "handled", "put", "called", "unused", "uninitiali", "never used"],
  },
  // "my concern is …", "I'm worried that …", "could damage the card"
  {
    name: "concern:worry",
    where: "reply",
    confidence: 0.6,
    re: /\b(?:my (?:main |only |biggest )?concern (?:is|here|with)|I(?:'m| am) (?:a bit |slightly |somewhat )?(?:worried|concerned) (?:that|about)|(?:could|can|may|might|would) (?:damage|brick|corrupt|destroy) (?:the|a|your)|(?:is|are|was|were) not (?:tested|covered))\b/i,
    words: ["concern", "worried", "concerned", "damage", "brick", "corrupt", "destroy", "tested", "covered"],
  },
  // a patch's problem statement: the code as it is does wrong
  {
    name: "concern:statement",
    where: "statement",
    confidence: 0.7,
    re: /\b(?:(?:does|do|did)(?:n't| not) (?:handle|check|propagate|take into account|account for|work|support|release|free|restore|save|clear|reset|wait)|(?:is|are) not (?:checked|handled|propagated|released|freed|restored|saved|cleared|reset|taken into account)|(?:without|never) (?:checking|handling|releasing|freeing)|(?:may|can|might|could) (?:fail|hang|stall|crash|overflow|deadlock|race|leak)\b|(?:results?|resulting) in (?:an? |the )?(?:\w+ )?(?:leaks?|errors?|failures?|crash|hang|oops|warning|corruption|timeouts?)|(?:leads?|leading) to (?:an? |the )?(?:\w+ )?(?:leaks?|errors?|failures?|crash|hang|oops|warning|corruption|timeouts?|problems?|issues?)|(?:causes?|causing|caused) (?:an? |the )?(?:\w+ )?(?:errors?|failures?|crash|hang|oops|warning|corruption|timeouts?|problems?|issues?)|(?:is|was) no longer (?:feasible|possible|correct|valid|enough|sufficient)|wrongly|incorrectly|erroneously|(?:is|are) (?:wrong|incorrect|broken)|overrides? the (?:error|return)|instead of (?:the )?deferred probing|fail(?:s|ed)? the probe|(?:must|have to|has to) be accessed|appears? (?:to be )?broken|(?:not|cannot|can't|can not) (?:\S+ ){0,6}(?:properly|correctly)|(?:may|might|can|could|will) (?:trigger|cause|result in|lead to)|(?:^|[.!?]\s+)otherwise,? [^.!?]*\b(?:may|might|will|would|could)\b|prevents? (?:\S+ ){1,5}from being (?:built|used|probed|loaded|detected)|(?:an? |the |this |quite a )?(?:common|known|long[- ]standing|serious|real) (?:issue|problem|bug))\b/i,
    words: ["handle", "check", "propagat", "take into account", "account for", "work", "support", "release", "free", "restore", "save", "clear", "reset", "wait", "checking", "handling", "releasing", "freeing", "fail", "hang", "stall", "crash", "overflow", "deadlock", "race", "leak", "result", "lead", "caus", "no longer", "wrongly", "incorrectly", "erroneously", "wrong", "incorrect", "broken", "overrid", "deferred probing", "accessed", "properly", "correctly", "trigger", "otherwise", "from being", "issue", "problem", "bug"],
  },
];

/** The cues whose words occur in this text (one scan); exported for the prefilter test. */
export const concernCuesIn: (text: string) => ConcernCue[] = cueScanner(CONCERN_CUES, (c) => c.words);

// a sentence that states the fix or the change, not the problem
const FIX_SENTENCE = /^(?:(?:so|hence|thus|therefore|to (?:fix|solve|address|avoid|resolve|handle|prevent|work around) (?:this|that|it|these|the \w+)|in order to \w+|(?:this|the) (?:patch|commit|change|series|patchset)(?:es)?(?!\s+(?:did |has |have )?(?:broke|breaks|break|caused|causes|introduced|regress))|with this (?:patch|change|series)|after (?:applying )?this|let's|we (?:now |also )?(?:add|fix|use|make|move|drop|convert|introduce|switch|change|remove)|i(?:'ve| have)? (?:add|fix|use|made|move|drop|convert|introduce|switch|change|remove)\w*),?\s|(?:fix|add|use|convert|switch|introduce|remove|drop|replace|move|make|set|return|check|propagate|document|enable|disable|export|implement|rework|refactor|update|avoid|handle|ensure|call|allow|let|mark|rename|split|limit|skip|reset|restore|revert|clean)\b)/i;

// sentences that only discuss testing, the changelog or other versions
const NOT_PROBLEM = /^(?:v\d+(?:\s*(?:->|→|:|changes?\b))|changes?\b|changed in|tested|compile[- ]tested|build[- ]tested|only compile|note:?\s+(?:this|that) (?:is|was) (?:compile|build)|\[\s*upstream)/i;

/** Lines ending the commit message or the cover's own prose. */
const STATEMENT_END = /^(?:---\s*$|-- $|base-commit:|change-id:|[A-Z][A-Za-z]*(?:-[A-Za-z]+)*-by:\s|Fixes:\s|Link:\s|Cc:\s|Changes? (?:since|in|from|for) v?\d|Changed in v\d|v\d+\s*(?:->|→|changes|:)|Change ?log:?\s*$|\S.* \(\d+\):\s*$)/i;

const LOGLINE = /^\s*(?:\[\s*\d+\.\d+\]|\[\s*[\d.]+\s*\]|\[[0-9a-f]{8,}\]|<\d>|[a-z]+\d*: |mmc\d|Call trace|\w+\+0x)|\b(?:Internal error|Unable to handle kernel|Hardware name|CPU: \d+ PID|pc : |lr : |sp : |x\d+ : )|\b[0-9a-f]{16}\b|0x[0-9a-f]{8,}/i;

/** "if it fails", "when the card hangs": a condition, not a report */
function conditional(s: string, re: RegExp): boolean {
  const m = re.exec(s);
  if (!m) return false;
  const clause = s.slice(0, m.index).split(/[,;:]/).pop() ?? "";
  return /\b(?:if|unless|whether|in case|could it be|would it be|is it possible)\b/i.test(clause);
}

function isBoilerplate(p: Paragraph): boolean {
  return p.text.length < 40 && /^(?:hi|hello|hey|dear|thanks|thank you|cheers|regards|best regards|br)\b/i.test(p.text);
}

function concernOf(kind: "concern", lines: [number, number], method: string, confidence: number, quote: string, text: string): Idea {
  return { kind, summary: firstSentence(quote), text, keywords: identifiers(text), lines, method, confidence, quote };
}

/** Concerns in a person's own text: the problem a patch or cover states, or defects a reply points out. */
export function findConcerns(input: MessageText, opts: ConcernOptions = {}): Idea[] {
  const subj = opts.subject !== undefined ? parseSubject(opts.subject) : null;
  const isReply = opts.isReply ?? subj?.isReply ?? false;
  const statement = !isReply && (!!subj?.isPatch || !!opts.isCover || !!subj?.isCoverSubject);
  const paras = paragraphs(input.ownLines);
  if (!paras.length) return [];
  const cues = concernCuesIn(paras.map((p) => p.text).join("\n")).filter((c) => c.where === "both" || c.where === (statement ? "statement" : "reply"));
  if (!cues.length) return [];

  const out: Idea[] = [];
  const max = statement ? 3 : 6;
  // statements: prose with no problem in it since the last concern (a problem told over two
  // paragraphs split by a log, a "Fixes:" line or a heading is one concern)
  let prose = true;
  for (const p of paras) {
    if (out.length >= max) break;
    if (statement && STATEMENT_END.test(p.lines[0].text.trim())) {
      // the commit message / cover prose ends here (trailers, changelog, shortlog)
      if (!/^(?:Fixes|Cc|Link):/i.test(p.lines[0].text.trim())) break;
      continue;
    }
    if (isBoilerplate(p)) continue;
    if (statement && (p.item && p.item.number === null)) continue; // changelog-style bullets
    if (/^\s*\[/.test(p.lines[0].text)) continue; // "[ Upstream commit … ]", "[[ NOTE: … ]]", log lines
    if (p.lines.filter((l) => LOGLINE.test(l.text)).length * 2 >= p.lines.length) continue; // a pasted log
    const pc = cues.filter((c) => c.re.test(p.text));
    const isProse = /^[A-Z][a-z]/.test(p.text) && /(?:\b[a-z]+\b[\s,]+){4}/.test(p.text) && !p.text.endsWith(":");
    if (!pc.length) {
      if (isProse) prose = true;
      continue;
    }
    const before = out.length;
    const ss = sentences(p);
    for (let i = 0; i < ss.length; i++) {
      const s = ss[i].text;
      if (statement && (FIX_SENTENCE.test(s) || NOT_PROBLEM.test(s))) continue;
      if (!statement && NOT_PROBLEM.test(s)) continue;
      let best: ConcernCue | null = null;
      for (const c of pc) if (c.re.test(s) && !conditional(s, c.re) && (!best || c.confidence > best.confidence)) best = c;
      if (!best) continue;
      // the passage: this sentence to the end of the paragraph (a problem statement), or the
      // sentence alone in a reply (the next sentence may be another point)
      let last = statement ? ss.length - 1 : i;
      if (statement) {
        for (let k = i + 1; k < ss.length; k++) if (FIX_SENTENCE.test(ss[k].text)) { last = k - 1; break; }
      }
      const text = ss.slice(i, last + 1).map((x) => x.text).join(" ");
      const prev = out[out.length - 1];
      if (statement && prev && !prose) {
        prev.lines = [prev.lines[0], ss[last].end];
        prev.text += "\n\n" + text;
      } else out.push(concernOf("concern", [ss[i].start, ss[last].end], best.name, best.confidence, s, text));
      prose = false;
      break; // one concern per paragraph
    }
    if (out.length === before && isProse) prose = true;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// robot build reports

// "drivers/mmc/host/foo.c:12:3: error: …", "foo.c:12: warning: …" (kernel-doc), "… sparse: sparse: …",
// smatch "foo.c:12 func() warn: …"
const DIAG = /^(?:>>|<<)?\s*((?:[\w.+-]+\/)*[\w.+-]+\.[a-zA-Z]{1,4}):(\d+)(?::(\d+))?:?\s+(?:[\w]+\(\)\s+)?(fatal error|error|warning|warn|sparse)\s*:\s+(?:sparse:\s+)?(\S.*)$/;
// linker: "foo.c:(.text+0x1): undefined reference to `bar'", "multiple definition of `bar'", lld "error: undefined symbol: bar"
const LINK = /(?:undefined reference to|multiple definition of|undefined symbol:?)\s+[`'"]?([\w.$]+)/;
const MODPOST = /^(?:>>|<<)?\s*ERROR:\s+modpost:\s+(.*)$/;
/** a necessary condition of DIAG, LINK and MODPOST matching a line (lib/knowledge/prefilter.test.ts) */
export const ROBOT_PRE = /error|warn|sparse|definition|undefined/i;
/** exported for lib/knowledge/prefilter.test.ts */
export const ROBOT_PATTERNS = { DIAG, LINK, MODPOST } as const;

/** The diagnostic with its location and option noise dropped: what makes two lines the same concern. */
function diagKey(msg: string): string {
  return msg
    .replace(/\s*\[-W[^\]]*\]\s*$/, "")
    .replace(/;\s*(?:did you mean|ISO C99|have ')[^]*$/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/**
 * One concern per distinct diagnostic of a robot's build report, at its first line; one concern
 * for a performance report's headline regression. `report` is what reportOf() found.
 */
export function robotConcerns(input: MessageText, report: RobotReport): Idea[] {
  if (report.kind === "performance") {
    if (report.direction !== "regression" || !report.lines[0]) return [];
    return [concernOf("concern", report.lines, "robot:regression", 0.9, report.quote, report.quote)];
  }
  if (report.kind === "build-summary" || report.kind === "runtime") return [];
  const out: Idea[] = [];
  const seen = new Set<string>();
  const lines = input.text.split("\n");
  let skip = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i];
    if (t === "-- " || /^-- $/.test(t)) break;
    // the source context ("vim +607 drivers/…") and the Kconfig section are not diagnostics
    if (/^(?:vim \+|Kconfig warnings:|\s*reproduce)/.test(t)) {
      skip = /^(?:vim \+|Kconfig warnings:)/.test(t);
      continue;
    }
    if (skip) {
      if (/^(?:All (?:errors|warnings)|(?:sparse|smatch|cocci(?:nelle)?) warnings:|\S.*(?:errors|warnings) \(new ones prefixed)/.test(t)) skip = false;
      else continue;
    }
    if (t.length < 12 || !ROBOT_PRE.test(t)) continue;
    let key: string | null = null;
    let what = "";
    const d = DIAG.exec(t);
    if (d && !/^note\b/.test(d[4])) {
      const msg = d[5];
      // "sparse:     expected struct x *", continuation lines of the message before
      if (d[4] === "sparse" && /^(?:expected|got)\s/.test(msg) && /sparse:\s{2,}/.test(t)) continue;
      const l = LINK.exec(msg);
      key = l ? `link ${/multiple/.test(msg) ? "multiple" : "undefined"} ${l[1]}` : `${d[4] === "fatal error" ? "error" : d[4]} ${diagKey(msg)}`;
      what = msg;
    } else {
      const m = MODPOST.exec(t);
      if (m) {
        key = `modpost ${diagKey(m[1].replace(/\s*\[[^\]]*\]/, ""))}`;
        what = m[1];
      } else if (!/\bin function\b/.test(t) || /undefined reference|multiple definition/.test(t)) {
        const l = LINK.exec(t);
        if (l && /(?:\(\.\w[^)]*\)|ld(?:\.lld|\.bfd)?:|^\s*(?:>>)?\s*[\w.-]+\.[co]:)/.test(t)) {
          key = `link ${/multiple definition/.test(t) ? "multiple" : "undefined"} ${l[1]}`;
          what = t.replace(/^(?:>>)?\s*/, "");
        }
      }
    }
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const quote = t.trim().replace(/^>>\s*/, "");
    out.push(concernOf("concern", [i + 1, i + 1], /^>>/.test(t) ? "robot:diagnostic-new" : "robot:diagnostic", /^>>/.test(t) ? 0.95 : 0.85, quote, what || quote));
  }
  return out;
}
