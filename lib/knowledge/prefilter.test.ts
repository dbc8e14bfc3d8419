// The cheap tests lib/knowledge runs before its patterns must never change what it finds: each is a
// necessary condition of a pattern matching. Checked on real text (the demo corpus, the seed pages
// when ../shared is there) and on sentences written to hit each cue.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBlocks } from "../body/blocks";
import { parseMail } from "../mail/parse";
import { parsePage, synthesizePage } from "../archive-pages/index";
import { CUES, CUE_WORDS, cuesIn } from "./ideas";
import { CONCERN_CUES, ROBOT_PATTERNS, ROBOT_PRE, concernCuesIn } from "./concerns";
import { FORMAL_PATTERNS, LINE_GATE, LINE_PATTERNS, PARAGRAPH_GATE, RULES, SENTENCE_GATE } from "./decisions";
import { messageText, paragraphs, sentences } from "./text";

const DEMO = path.resolve(import.meta.dirname, "../../ingest/demo/demo.mbox");
const SEEDS = path.resolve(import.meta.dirname, "../../../shared/seeds");

async function bodies(): Promise<string[]> {
  const demo = readFileSync(DEMO)
    .toString("latin1")
    .split(/^From [^\n]*\n/m)
    .filter((m) => m.trim())
    .map((m) => Buffer.from(m.replace(/^>(>*From )/gm, "$1"), "latin1"));
  const raws: Buffer[] = [...demo];
  if (existsSync(SEEDS)) {
    for (const f of readdirSync(SEEDS)) {
      const page = parsePage(readFileSync(path.join(SEEDS, f), "utf8"));
      if (page) raws.push(...synthesizePage(page).map((s) => s.raw));
    }
  } else console.warn(`lib/knowledge/prefilter.test.ts: ${SEEDS} is absent: checked on the demo corpus only`);
  return Promise.all(raws.map(async (r) => (await parseMail(r)).text));
}

/** a sentence for every cue, so each is exercised even where the corpus has none */
const WRITTEN = [
  "I don't think this is the right approach for the fault path.",
  "I have a more basic objection to the whole series.",
  "NAK because it breaks the accounting.",
  "I'm not convinced we need a shared queue.",
  "This patch breaks hugetlb on arm64.",
  "I really dislike the extra lock.",
  "That is not acceptable for a fast path.",
  "I don't think we should add another knob.",
  "An alternative would be to batch in the caller.",
  "Instead of a new list, we could reuse the LRU.",
  "A simpler approach is to drop the lock early.",
  "So how about a per-cpu cache?",
  "What if we defer the free to RCU?",
  "Why not just use a folio_batch?",
  "I wonder if it's possible to skip the flush.",
  "I'd suggest moving this into mm/internal.h.",
  "Could you investigate the NUMA case?",
  "Can you test this on your arm64 box?",
  "It would be nice if you could run will-it-scale.",
  "It would be better to check the flag first.",
  "I came up with the following idea.",
  "Perhaps we could cache the result.",
  "We could just drop the lock here.",
  "To summarize, the queue stays per node.",
  "Let's use the existing helper.",
  "Have you considered a per-vma lock?",
  "What happens when the memcg goes away?",
  "One open question is who drains.",
  "And what about the offline path?",
  "How does this interact with compaction?",
  "I wonder whether the fast path still needs it.",
  "Is there a reason to keep the old API?",
  "This change is not necessary.",
  "A sleep here isn't the right solution.",
  "No, the IRQ is disabled before this runs.",
  "We could move it to the host, but that would require new ops.",
  "Wouldn't a threshold make more sense?",
  "Please use devm_clk_get_enabled() here.",
  "Why is this needed only for SDR104?",
  "Do you need the second clock?",
  "Can sdhci_foo_remove() run before probe completes?",
];

/** a sentence for every concern cue */
const CONCERN_WRITTEN = [
  "This is a use-after-free when the card is removed.",
  "This patch causes a regression on the Foo board.",
  "The card gets stuck in busy after resume.",
  "Unfortunately it does not fix the issue on my board.",
  "The condition will always be false here.",
  "My concern is that user space can trigger resets too easily.",
  "The driver does not check the return value of clk_prepare_enable().",
];
const ROBOT_WRITTEN = [
  ">> drivers/mmc/host/foo.c:12:3: error: implicit declaration of function 'bar'",
  "   drivers/mmc/host/foo.c:12: warning: Function parameter or member 'x' not described in 'y'",
  ">> drivers/mmc/host/foo.c:237:17: sparse: sparse: cast to restricted __le64",
  "   foo.c:(.text+0x3b0e): multiple definition of `bar'; x.o:x.c:(.text+0x1): first defined here",
  ">> ERROR: modpost: \"bar\" [drivers/mmc/host/foo.ko] undefined!",
];

/** a sentence for every decision rule (RULES), so each gate is checked where the corpus has none */
const DECIDING: [string, string][] = [
  ["will-queue", "I'll add this to mmc-next."],
  ["will-queue", "I will pick it up via the soc tree."],
  ["sent-new-version", "I just sent v2 with the fix."],
  ["sent-new-version", "v3 has been posted, see the new thread."],
  ["next-version", "Please hold on, v3 is coming."],
  ["next-version", "I will address these in a v4 after the weekend."],
  ["next-version", "OK then, will fold the fix in and resend."],
  ["will-drop", "Will drop this patch, the core now handles it."],
  ["will-drop", "I'm happy to drop it completely."],
  ["ask-new-version", "Please fix the typo and send a v2."],
  ["ask-new-version", "Could you rebase on mmc-next and resend?"],
  ["ask-new-version", "I suggest you build this series on top of my cleanup."],
  ["ask-split", "Can you split this into two patches?"],
  ["ask-split", "I'd prefer the rename to go into a separate patch."],
  ["please-change", "Please add a Fixes tag."],
  ["can-you-change", "Could you use devm_clk_get_enabled() here instead?"],
  ["noun-please", "Separate patch please."],
  ["needs-tag", "Needs a Fixes tag."],
  ["should-be-changed", "This should be squashed into the previous patch."],
  ["imperative-change", "Just drop the quirk from this patch."],
  ["policy-refusal", "Sorry, we don't accept module parameters for this."],
  ["needs-ack", "I need an ack from the DT maintainers first."],
  ["needs-ack", "Patch 2 still needs an ack from Rob."],
  ["wait", "Let's wait for the binding to be reviewed."],
  ["wait", "I'd rather hold this until the regression is understood."],
  ["later", "Too late for this cycle, I'll pick it for the next one."],
  ["later", "I'll look at this after the merge window."],
];

describe("lib/knowledge prefilters", () => {
  it("every cue has words, and each of the sentences written for them hits its cue", () => {
    for (const c of CUES) expect(CUE_WORDS[c.name]?.length, c.name).toBeGreaterThan(0);
    for (const c of CUES) expect(WRITTEN.some((s) => c.re.test(s)), c.name).toBe(true);
  });

  it("a cue whose pattern matches a sentence has one of its words there, and the paragraph scan offers it", async () => {
    const texts = [...(await bodies()), WRITTEN.join("\n\n")];
    let matched = 0;
    for (const body of texts) {
      const paras = paragraphs(messageText(body).ownLines);
      const offered = new Set(cuesIn(paras).map((c) => c.name));
      for (const p of paras) {
        for (const s of sentences(p)) {
          for (const c of CUES) {
            if (!c.re.test(s.text)) continue;
            matched++;
            expect(CUE_WORDS[c.name].some((w) => s.text.toLowerCase().includes(w)), `${c.name}: ${s.text}`).toBe(true);
            expect(offered.has(c.name), `${c.name} not offered for: ${s.text}`).toBe(true);
            if (c.pre) expect(c.pre.test(p.text), `${c.name} pre on: ${p.text}`).toBe(true);
          }
        }
      }
    }
    expect(matched).toBeGreaterThan(WRITTEN.length);
  });

  it("a concern cue whose pattern matches a sentence has one of its words there, and the one-pass scan offers it", async () => {
    const texts = [...(await bodies()), CONCERN_WRITTEN.join("\n\n")];
    for (const c of CONCERN_CUES) expect(CONCERN_WRITTEN.some((s) => c.re.test(s)), c.name).toBe(true);
    let matched = 0;
    for (const body of texts) {
      const paras = paragraphs(messageText(body).ownLines);
      const offered = new Set(concernCuesIn(paras.map((p) => p.text).join("\n")).map((c) => c.name));
      for (const p of paras) {
        for (const s of sentences(p)) {
          for (const c of CONCERN_CUES) {
            if (!c.re.test(s.text)) continue;
            matched++;
            expect(c.words.some((w) => s.text.toLowerCase().includes(w)), `${c.name}: ${s.text}`).toBe(true);
            expect(offered.has(c.name), `${c.name} not offered for: ${s.text}`).toBe(true);
            // the paragraph test that runs before sentences are cut
            expect(c.re.test(p.text), `${c.name} on paragraph: ${p.text}`).toBe(true);
          }
        }
      }
    }
    expect(matched).toBeGreaterThanOrEqual(CONCERN_WRITTEN.length);
  });

  it("a robot diagnostic line always passes the cheap line test", async () => {
    const lines = [...(await bodies()), ROBOT_WRITTEN.join("\n")].flatMap((b) => b.split("\n"));
    let matched = 0;
    for (const l of lines) {
      for (const re of Object.values(ROBOT_PATTERNS)) {
        if (!re.test(l)) continue;
        matched++;
        expect(ROBOT_PRE.test(l), l).toBe(true);
      }
    }
    expect(matched).toBeGreaterThanOrEqual(ROBOT_WRITTEN.length);
  });

  it("parseBlocks without quote parsing gives the same top-level blocks", async () => {
    for (const body of await bodies()) {
      const deep = parseBlocks(body).map((b) => [b.type, b.position.start, b.position.end, b.type === "quote" ? b.quotedLines : 0]);
      const flat = parseBlocks(body, { quotes: false }).map((b) => [b.type, b.position.start, b.position.end, b.type === "quote" ? b.quotedLines : 0]);
      expect(flat).toEqual(deep);
    }
  });

  it("each decision rule's sentence written for it matches it (and its gate)", () => {
    for (const r of RULES) expect(DECIDING.some(([n]) => n === r.name), `no sentence for ${r.name}`).toBe(true);
    for (const [name, text] of DECIDING) {
      const r = RULES.find((x) => x.name === name)!;
      expect(r.re.test(text), `${name}: ${text}`).toBe(true);
      expect(r.gate.test(text), `${name} gate: ${text}`).toBe(true);
    }
  });

  it("a decision pattern that matches a sentence or line has its gate there, and the paragraph gate passes", async () => {
    const texts = [...(await bodies()), DECIDING.map(([, s]) => s).join("\n\n"), WRITTEN.join("\n\n")];
    let matched = 0;
    for (const body of texts) {
      const own = messageText(body).ownLines;
      for (const l of own) {
        for (const [name, re] of Object.entries(LINE_PATTERNS)) {
          if (!re.test(l.text)) continue;
          matched++;
          expect(LINE_GATE.test(l.text), `${name} line gate on: ${l.text}`).toBe(true);
        }
      }
      for (const p of paragraphs(own)) {
        for (const s of sentences(p)) {
          const t = s.text.replace(/^[-*>\s]+/, "");
          for (const [name, re] of Object.entries(FORMAL_PATTERNS)) {
            if (!re.test(t)) continue;
            matched++;
            expect(SENTENCE_GATE.test(t), `${name} sentence gate on: ${t}`).toBe(true);
            expect(PARAGRAPH_GATE.test(p.text), `${name} paragraph gate on: ${p.text}`).toBe(true);
          }
          for (const r of RULES) {
            if (!r.re.test(t)) continue;
            matched++;
            expect(r.gate.test(t), `${r.name} gate on: ${t}`).toBe(true);
            expect(PARAGRAPH_GATE.test(p.text), `${r.name} paragraph gate on: ${p.text}`).toBe(true);
          }
        }
      }
    }
    expect(matched).toBeGreaterThan(DECIDING.length);
  });
});
