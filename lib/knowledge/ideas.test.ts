// Design-idea cues on small invented mails, and what must not count.
import { describe, expect, it } from "vitest";
import { findIdeas, type Idea, type IdeaOptions } from "./ideas";
import { messageText, identifiers } from "./text";

function ideas(body: string, opts: IdeaOptions = { subject: "Re: [PATCH] mm: foo" }): Idea[] {
  return findIdeas(messageText(body), opts);
}

describe("cues", () => {
  const cases: [string, string, Idea["kind"]][] = [
    ["How about taking the lock only once per batch?", "cue:how-about", "proposal"],
    ["So how about a per-cpu cache instead?", "cue:how-about", "alternative"],
    ["I wonder if it's possible to drop the sequence count entirely.", "cue:wonder-if-possible", "proposal"],
    ["Could you investigate whether the regression comes from the extra atomic?", "cue:could-you-investigate", "proposal"],
    ["What if we kept the vma lock in the struct?", "cue:what-if", "proposal"],
    ["An alternative would be to use SRCU for the vma lookup.", "cue:alternative", "alternative"],
    ["Instead of adding a new flag, we could reuse VM_LOCKED.", "cue:instead-of", "alternative"],
    ["We could just move the check into do_anonymous_page().", "cue:we-could", "proposal"],
    ["I'd suggest a per-node queue drained by kswapd.", "cue:suggest", "proposal"],
    ["Why not use the existing folio_batch here?", "cue:why-not", "proposal"],
    ["I don't think this is the right approach for the fault path.", "cue:not-right-approach", "objection"],
    ["This breaks userfaultfd on architectures without ARCH_HAS_PTE_SPECIAL.", "cue:breaks", "objection"],
    ["NAK because it reintroduces the mmap_sem inversion.", "cue:nak-because", "objection"],
    ["I'm not convinced the extra complexity is worth it.", "cue:not-convinced", "objection"],
    ["Have you considered a maple tree walk here?", "cue:have-you-considered", "question"],
    ["What happens when the vma is split while we sleep?", "cue:what-happens", "question"],
  ];
  for (const [text, method, kind] of cases) {
    it(`${method}: ${text}`, () => {
      const got = ideas(`Hi,\n\n${text}\n\nThanks,\nJane\n`, { subject: "Re: mm: rotation queue design" });
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ kind, method, lines: [3, 3], quote: text, summary: text });
      expect(got[0].confidence).toBeGreaterThan(0.4);
    });
  }

  it("the passage runs to the end of the paragraph, and stops at a cue of another kind", () => {
    const body = `On Mon, Jan 1, 2024, Jane wrote:
> This adds a shared queue.

I'm not convinced we need a shared queue at all.  How about a
folio_batch on the stack of shrink_folio_list(), flushed under one
lru_lock acquisition?  That gets most of the batching.
`;
    const got = ideas(body);
    expect(got.map((i) => [i.kind, i.lines])).toEqual([
      ["objection", [4, 4]],
      ["alternative", [4, 6]],
    ]);
    expect(got[0].text).toBe("I'm not convinced we need a shared queue at all.");
    expect(got[1].text).toBe("How about a folio_batch on the stack of shrink_folio_list(), flushed under one lru_lock acquisition? That gets most of the batching.");
    expect(got[1].keywords).toEqual(["folio_batch", "shrink_folio_list", "lru_lock"]);
  });

  it("a lone announcing sentence takes the paragraph after it", () => {
    const got = ideas("I have a more basic objection, and it applies to both variants.\n\nToday a folio is off the LRU for a few instructions; with this series it is off the LRU for as long as it sits on the queue.\n");
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind: "objection", lines: [1, 3] });
    expect(got[0].text).toContain("off the LRU for as long as");
  });

  it("numbered suggestions after an introduction", () => {
    const body = `Could you check if:

1. it's possible to make vm_write_begin a noop when mm_users is 1?

2) RCU freeing of vmas could be done only once a flag is set?
`;
    const got = ideas(body);
    expect(got.map((i) => [i.kind, i.method, i.lines])).toEqual([
      ["proposal", "cue:could-you-investigate", [1, 5]],
      ["proposal", "numbered-list", [3, 3]],
      ["proposal", "numbered-list", [5, 5]],
    ]);
    expect(got[1].keywords).toContain("vm_write_begin");
    expect(got[2].keywords).toContain("RCU");
  });

  it("an uncued list of open questions", () => {
    const got = ideas("Things I'm not sure about:\n\n - Per-node vs. per-lruvec queues.\n - Who drains the queue.\n", { subject: "[PATCH 0/2] mm: foo" });
    expect(got.map((i) => [i.kind, i.summary])).toEqual([
      ["question", "Per-node vs. per-lruvec queues."],
      ["question", "Who drains the queue."],
    ]);
  });
});

describe("negatives", () => {
  it("quoted text never counts", () => {
    expect(ideas("On Mon, Jane wrote:\n> How about taking the lock once?\n> I don't think this is the right approach.\n\nAgreed, will do.\n")).toEqual([]);
  });

  it("cue words inside other phrases", () => {
    expect(ideas("I don't know how about this, but it compiles.\n")).toEqual([]);
    expect(ideas("I don't see why not.\n")).toEqual([]);
    expect(ideas("(Replying from the web interface, sorry if this breaks threading.)\n")).toEqual([]);
    expect(ideas("Have a snack.\n")).toEqual([]);
  });

  it("diffs and signatures", () => {
    const body = `Patch below.

diff --git a/mm/x.c b/mm/x.c
--- a/mm/x.c
+++ b/mm/x.c
@@ -1,1 +1,1 @@
-/* how about this? */
+/* I don't think this is the right approach */
-- 
How about lunch?
`;
    expect(ideas(body)).toEqual([]);
  });

  it("greetings and trailers", () => {
    expect(ideas("Hi Jane,\n\nReviewed-by: Joe <joe@example.org>\n")).toEqual([]);
  });
});

describe("RFC cover letters", () => {
  it("the whole proposal, without greeting, shortlog, diffstat and base-commit", () => {
    const body = `Hi all,

This RFC moves the vma lock back into struct vm_area_struct.
The lock was split out to save memory.

What do people think?

Jane Doe (2):
  mm: move the lock
  mm: align vmas

 mm/mmap.c | 4 ++--
 1 file changed, 2 insertions(+), 2 deletions(-)

base-commit: 0123456789abcdef0123456789abcdef01234567
`;
    const got = ideas(body, { subject: "[RFC PATCH 0/2] mm: move the vma lock back into the struct" });
    const rfc = got.find((i) => i.kind === "rfc")!;
    expect(rfc).toMatchObject({ lines: [3, 6], method: "rfc-cover", title: "move the vma lock back into the struct", summary: "This RFC moves the vma lock back into struct vm_area_struct." });
    expect(rfc.text).toBe("This RFC moves the vma lock back into struct vm_area_struct.\nThe lock was split out to save memory.\n\nWhat do people think?");
    expect(rfc.keywords).toEqual(expect.arrayContaining(["vma", "vm_area_struct"]));
  });

  it("a single-patch RFC is its own cover; patch 1/N of an RFC series is not; a reply is not", () => {
    expect(ideas("An idea: mark the vma dead before unmapping it.\n---\n", { subject: "[RFC] another idea" }).map((i) => i.kind)).toContain("rfc");
    expect(ideas("Add the queue.\n", { subject: "[RFC PATCH 1/2] mm: add the queue" }).some((i) => i.kind === "rfc")).toBe(false);
    expect(ideas("Looks fine to me.\n", { subject: "Re: [RFC PATCH 0/2] mm: foo" }).some((i) => i.kind === "rfc")).toBe(false);
  });
});

describe("identifiers", () => {
  it("functions, snake_case, fields, macros, acronyms and kernel nouns", () => {
    expect(identifiers("mm->mmap_sem is taken by do_page_fault() before we look up the vmas under srcu; HWCACHE_ALIGN and PG_lru too. NAK, IMHO.")).toEqual([
      "mmap_sem",
      "do_page_fault",
      "vma",
      "SRCU",
      "HWCACHE_ALIGN",
      "PG_lru",
    ]);
  });
});

describe("patches, covers and review replies (GUIDE §3)", () => {
  const patch = (msg: string) => `${msg}\n\nSigned-off-by: Joe Dev <joe@example.com>\n---\n drivers/mmc/host/sdhci-foo.c | 2 +-\n\ndiff --git a/drivers/mmc/host/sdhci-foo.c b/drivers/mmc/host/sdhci-foo.c\n--- a/drivers/mmc/host/sdhci-foo.c\n+++ b/drivers/mmc/host/sdhci-foo.c\n@@ -1,1 +1,1 @@\n-a\n+b\n`;

  it("a patch's own proposal is the sentence that says what it does, not the problem before it", () => {
    const got = ideas(patch("The foo controller loses its tuning state when the clock is\ngated, and the next request fails.\n\nFix this by re-running tuning in the runtime resume callback."), { subject: "[PATCH] mmc: sdhci-foo: retune after runtime resume" });
    expect(got.map((i) => [i.kind, i.method, i.lines])).toEqual([["proposal", "commit-proposal", [4, 4]]]);
  });

  it("a one-line patch without an imperative is its own proposal; a problem-only first paragraph is not", () => {
    expect(ideas(patch("SD card slot is available on the Foo board."), { subject: "[PATCH] arm64: dts: foo: enable sd" }).map((i) => i.method)).toEqual(["commit-first-paragraph"]);
    expect(ideas(patch("dma_ops->init() may fail, we should check the return value."), { subject: "[PATCH] mmc: dw: check init" }).map((i) => [i.method, i.lines])).toEqual([["commit-should", [1, 1]]]);
  });

  it("a cover letter's approach, not its changelog or base", () => {
    const got = ideas("This series is based on mmc-next.\n\nThis series adds a host cap that lets hosts skip CMD1 polling.\n\nChanges in v2:\n - rename the cap\n", { subject: "[PATCH v2 0/3] mmc: core: skip CMD1 polling" });
    expect(got.map((i) => [i.kind, i.method, i.lines])).toEqual([["proposal", "cover-proposal", [3, 3]]]);
  });

  it("RFC prefixes the subject parser misses", () => {
    const got = ideas("This converts the bindings to a schema.\n", { subject: "[PATCH/RFC v4 0/4] mmc: convert bindings" });
    expect(got.map((i) => i.kind)).toEqual(["rfc"]);
  });

  it("a reviewer's suggestion answering a patch is an alternative; objections and questions without the old cue phrases", () => {
    const got = ideas("> +\tmsleep(10);\n\nA sleep here isn't the right solution.\n\nPlease use readl_poll_timeout() instead.\n\nWhy is this needed only for SDR104?\n\nNo, the CD IRQ is disabled in mmc_suspend_host() before this runs.\n");
    expect(got.map((i) => [i.kind, i.method, i.lines])).toEqual([
      ["objection", "cue:not-right-thing", [3, 3]],
      ["alternative", "cue:please-use", [5, 5]],
      ["question", "cue:why", [7, 7]],
      ["objection", "cue:no-because", [9, 9]],
    ]);
  });

  it("changelog, tag and process requests, a defended status quo and worries", () => {
    expect(ideas("Please use a better commit message.\n\nI'd suggest splitting this patch into two.\n\nCan you please resend with the DT maintainers on Cc?\n")).toEqual([]);
    expect(ideas("I suggest keeping the hibernate parameter, the spec defines it.\n").map((i) => i.kind)).toEqual(["objection"]);
    expect(ideas("My concern is that we might allow user space to reset the card.\n")).toEqual([]);
    expect(ideas("Did you consider this?\n")).toEqual([]);
    expect(ideas("Have you considered moving these into a shared helper?\n").map((i) => i.kind)).toEqual(["alternative"]);
  });
});
