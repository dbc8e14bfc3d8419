// Decision formats on small invented mails, and what must not count.
import { describe, expect, it } from "vitest";
import { findDecisions, type Decision } from "./decisions";
import { messageText } from "./text";

function decide(body: string, from = "Maint Ainer <maint@example.org>"): Decision[] {
  return findDecisions(messageText(body), { from });
}

const QUOTE = "On Mon, 1 Jan 2024 10:00:00 +0100, Jane Doe <jane@example.org> wrote:\n> This series adds a queue.\n\n";

describe("applied / queued / merged", () => {
  const cases: [string, Partial<Decision>][] = [
    ["Applied to mm-unstable, thanks.", { kind: "applied", tree: "mm-unstable", method: "applied" }],
    ["Applied, thanks!", { kind: "applied", method: "applied" }],
    ["Thanks, applied to mmc-next", { kind: "applied", tree: "mmc-next" }],
    ["Applied for next, thanks!", { kind: "applied", tree: "next" }],
    ["Applied for fixes and by adding a stable tag, thanks!", { kind: "applied", tree: "fixes" }],
    ["Applied to git.kernel.org/pub/scm/utils/mmc/mmc-utils.git master, thanks!", { kind: "applied", tree: "git.kernel.org/pub/scm/utils/mmc/mmc-utils.git", branch: "master" }],
    ["Queued for 6.8, thanks.", { kind: "queued", release: "6.8" }],
    ["Queued for v5.20 on the devel branch, thanks!", { kind: "queued", release: "v5.20", tree: "devel" }],
    ["Patch 1 is also queued in mm-hotfixes-unstable so it can go in now.", { kind: "queued", tree: "mm-hotfixes-unstable", patch: { index: 1, total: undefined } }],
    ["Picked up, thanks.", { kind: "applied", method: "picked-up" }],
    ["I have picked this up for next.", { kind: "applied", tree: "next", method: "picked-up" }],
    ["Pulled, thanks.", { kind: "merged", method: "pulled" }],
  ];
  for (const [line, want] of cases) {
    it(line, () => {
      const got = decide(QUOTE + line + "\n");
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ ...want, actor: "Maint Ainer <maint@example.org>", lines: [4, 4], quote: line });
    });
  }

  it("'Applied to' with the tree on the next line", () => {
    const [d] = decide("Applied to\n\n   https://git.kernel.org/pub/scm/linux/kernel/git/broonie/spi.git for-next\n\nThanks!\n");
    expect(d).toMatchObject({ kind: "applied", tree: "https://git.kernel.org/pub/scm/linux/kernel/git/broonie/spi.git", branch: "for-next" });
  });

  it("b4 ty: one decision per patch with its commit", () => {
    const body = `${QUOTE}Applied, thanks!

[1/2] mmc: foo: fix the clock
      commit: 0123456789ab
[2/2] mmc: foo: add a quirk
      commit: ba9876543210

Best regards,
`;
    const got = decide(body);
    expect(got.map((d) => [d.kind, d.commit, d.patch, d.lines, d.method])).toEqual([
      ["applied", "0123456789ab", { index: 1, total: 2, title: "mmc: foo: fix the clock" }, [6, 7], "b4-ty"],
      ["applied", "ba9876543210", { index: 2, total: 2, title: "mmc: foo: add a quirk" }, [8, 9], "b4-ty"],
    ]);
  });

  it("patchwork-bot", () => {
    const body = `Hello:

This series was applied to netdev/net-next.git (main)
by Jakub Kicinski <kuba@kernel.org>:

On Mon, 1 Jan 2024 you wrote:
> [PATCH] net: foo

Here is the summary with links:
  - [net-next,v2,1/2] net: foo: one
    https://git.kernel.org/netdev/net-next/c/0123456789ab
`;
    const got = decide(body, "patchwork-bot+netdevbpf@kernel.org");
    // the per-patch item replaces the series line, keeping its tree and branch
    expect(got.map((d) => [d.kind, d.tree, d.branch, d.commit ?? null, d.patch, d.method])).toEqual([
      ["applied", "netdev/net-next.git", "main", "0123456789ab", { index: 1, total: 2, title: "net: foo: one" }, "patchwork-bot"],
    ]);
    // without items, the series line is the decision
    expect(decide("This patch was applied to netdev/net.git (main):\n")[0]).toMatchObject({ kind: "applied", tree: "netdev/net.git", branch: "main", method: "patchwork-bot" });
  });

  it("pr-tracker-bot", () => {
    const body = `The pull request you sent on Fri, 5 Jan 2024 10:00:00 +0100:

> git://git.kernel.org/pub/scm/linux/kernel/git/ulfh/mmc.git tags/mmc-v6.8

has been merged into torvalds/linux.git:
https://git.kernel.org/torvalds/c/0123456789abcdef0123456789abcdef01234567

Thank you!
`;
    const [d] = decide(body, "pr-tracker-bot@kernel.org");
    expect(d).toMatchObject({ kind: "merged", tree: "torvalds/linux.git", commit: "0123456789abcdef0123456789abcdef01234567", method: "pr-tracker-bot", lines: [5, 6] });
  });
});

describe("NAK, superseded, withdrawn, rejected", () => {
  it("Nacked-by with the reason above it; the actor is the person named", () => {
    const body = `${QUOTE}Until the accounting is fixed:

Nacked-by: Greta Lindqvist <greta@kernel.example>
`;
    const [d] = decide(body, "Greta Lindqvist <greta@kernel.example>");
    expect(d).toMatchObject({ kind: "nak", actor: "Greta Lindqvist <greta@kernel.example>", reason: "Until the accounting is fixed", method: "trailer:nacked-by", confidence: 0.95, lines: [6, 6] });
  });

  it("NAK as a line or a sentence", () => {
    expect(decide(QUOTE + "NAK\n\nThis breaks the ABI.\n")[0]).toMatchObject({ kind: "nak", method: "nak-line", reason: "This breaks the ABI." });
    expect(decide(QUOTE + "NAK, undocumented ABI.\n")[0]).toMatchObject({ kind: "nak", method: "nak-sentence", reason: "undocumented ABI." });
    expect(decide(QUOTE + "So NAK from me until the locking is explained.\n")[0]).toMatchObject({ kind: "nak" });
  });

  it("superseded and withdrawn", () => {
    expect(decide("This series is superseded by v3.\n")[0]).toMatchObject({ kind: "superseded", method: "superseded-by" });
    expect(decide("Please ignore, v2 coming.\n")[0]).toMatchObject({ kind: "superseded", method: "please-ignore" });
    expect(decide("I'm dropping this in favour of Jane's series.\n")[0]).toMatchObject({ kind: "superseded", method: "in-favour-of", reason: "in favour of Jane's series." });
    expect(decide("I'm withdrawing this series.\n")[0]).toMatchObject({ kind: "withdrawn", method: "withdraw" });
    expect(decide("Ulf, please drop this series, it is broken.\n")[0]).toMatchObject({ kind: "withdrawn" });
    expect(decide("Self-NAK, I sent the wrong branch.\n")[0]).toMatchObject({ kind: "withdrawn", method: "self-nak" });
  });

  it("reasoned rejections", () => {
    expect(decide("We won't take this because the hardware is not upstream.\n")[0]).toMatchObject({ kind: "rejected", reason: "the hardware is not upstream." });
    expect(decide("I'm not going to apply this as is.\n")[0]).toMatchObject({ kind: "rejected" });
    expect(decide("I can't apply it until I get a patch that updates the DT doc too.\n")[0]).toMatchObject({ kind: "rejected", confidence: 0.55 });
  });
});

describe("negatives", () => {
  it("quoted decisions are earlier ones, not this message's", () => {
    expect(decide("On Mon, Jane wrote:\n> Applied to mm-unstable, thanks.\n> NAK\n> Nacked-by: Joe <joe@example.org>\n\nThanks!\n")).toEqual([]);
  });

  it("words that only look like decisions", () => {
    for (const t of [
      "Have a snack.",
      "The patch applied cleanly on top of next-20240101.",
      "Once applied, the warning goes away.",
      "Does this patch apply to 6.1 as well?",
      "I applied your patch and tested it on my board.",
      "Fix the unevictable case first and I'll drop the NAK on v2.",
      "Withdrawing my NAK from v1:",
      "Folios queued back to back by one reclaimer share the lock.",
      "I picked up Hideo's Tested-by from his reply.",
      "Please ignore the checkpatch warning about the long line.",
      "We can't take empty commits.",
      "Queued for v2, thank you!",
    ]) {
      expect(decide(t + "\n"), t).toEqual([]);
    }
  });

  it("a reviewer's 'please drop this line' asks for a change; it withdraws nothing", () => {
    expect(decide("Please drop this line.\n").map((d) => d.kind)).toEqual(["changes-requested"]);
  });

  it("changelog bullets are history", () => {
    expect(decide("Changes in v2:\n - Picked up Rob's ack.\n - Applied Greta's suggestion to drain early.\n")).toEqual([]);
  });
});

// ---- informal wording (RULES): small invented sentences, one reply each
const who = "Rev Iewer <rev@example.org>";
function one(line: string, opts: { isReply?: boolean; isCover?: boolean } = {}): Decision[] {
  return findDecisions(messageText(QUOTE + line + "\n"), { from: who, ...opts });
}

describe("changes-requested", () => {
  const cases: [string, string][] = [
    ["Please fix the error path and send a v2.", "ask-new-version"],
    ["Please rebase on top of mmc-next and resend.", "ask-new-version"],
    ["I think you could send out a v3 with the renamed helper.", "ask-new-version"],
    ["I suggest you base your series on top of my cleanup.", "ask-new-version"],
    ["Can you split this into two patches?", "ask-split"],
    ["I'd prefer that the whitespace changes go into a separate patch.", "ask-split"],
    ["I would suggest splitting this patch into a binding part and a driver part.", "ask-split"],
    ["Please add a Fixes tag and resend.", "ask-new-version"],
    ["Please add a Fixes tag.", "please-change"],
    ["Could you help to add the same quirk to the other variant?", "can-you-change"],
    ["Fixes tag please.", "noun-please"],
    ["One patch please.", "noun-please"],
    ["Needs a Fixes tag.", "needs-tag"],
    ["This should be part of patch 2/5, not a fix on top.", "should-be-changed"],
    ["These should be dropped.", "should-be-changed"],
    ["Just drop the assigned-clocks from the binding.", "imperative-change"],
  ];
  for (const [line, method] of cases) {
    it(line, () => {
      const got = one(line);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ kind: "changes-requested", method, actor: who, lines: [4, 4], quote: line });
      expect(got[0].confidence).toBeGreaterThan(0.5);
    });
  }

  it("only a reply asks: a patch or a cover letter saying the same asks nothing", () => {
    expect(one("Split this into two patches.", { isReply: false })).toEqual([]);
    expect(one("Please rebase on top of the series above before testing.", { isCover: true })).toEqual([]);
    expect(one("Drop the unused variable.", { isReply: false })).toEqual([]);
  });

  it("agreeing, asking about oneself, about trailers or for a reason is no request", () => {
    for (const t of [
      "Yes, these should be dropped.",
      "Please let me know if I should send a v2.",
      "Please add my Reviewed-by when you resend.",
      "Please explain why the delay is needed.",
      "I'd rather not respin the whole series for a comment.",
      "Can you test this on your board?",
    ]) expect(one(t), t).toEqual([]);
  });
});

describe("deferred", () => {
  const cases: [string, string][] = [
    ["Let's wait for the binding to be reviewed.", "wait"],
    ["Let's hold this until the regression is understood.", "wait"],
    ["I am fine with the series, but will wait a bit for others to comment.", "wait"],
    ["Tagging it for stable makes sense, but let's see what happens with patch 2/2 first.", "wait"],
    ["I need acks from the DT maintainers first.", "needs-ack"],
    ["In that case I need an ack for the wifi driver patches.", "needs-ack"],
    ["Patch 3 still needs an ack from Rob.", "needs-ack"],
    ["Too late for this cycle, I'll pick it for the next one.", "later"],
    ["I'll look at this after the merge window.", "later"],
  ];
  for (const [line, method] of cases) {
    it(line, () => {
      const got = one(line);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ kind: "deferred", lines: [4, 4] });
      expect([method, "needs-ack", "wait", "later"]).toContain(got[0].method);
    });
  }

  it("a wait in the code is not a deferral", () => {
    for (const t of ["CMD13 is quick, we should only wait for a few us.", "The second thread will wait for the lock to be released.", "I can't wait to see this merged."]) expect(one(t), t).toEqual([]);
  });

  it("a conditional promise to take it waits: deferred", () => {
    expect(one("I'll take it via the soc tree once Rob acks the binding.")[0]).toMatchObject({ kind: "deferred" });
  });

  it("'Applied patch 1, patch 2 needs an ack' is two decisions", () => {
    const got = decide("Thanks, applied patch 1.\n\nPatch 2 needs an ack from Rob.\n");
    expect(got.map((d) => d.kind)).toEqual(["applied", "deferred"]);
  });
});

describe("informal applied / queued / superseded / withdrawn / rejected", () => {
  it("applied in a later clause", () => {
    expect(one("I don't care enough to argue, so I've applied this anyway.")[0]).toMatchObject({ kind: "applied", method: "applied" });
    expect(one("Along with the fix for the other driver, this one applied too, for next, thanks!")[0]).toMatchObject({ kind: "applied", tree: "next" });
    expect(one("So I applied this on my board and it boots fine.")).toEqual([]);
  });

  it("queued: promised into a tree", () => {
    expect(one("I'll add this to mmc-next.")[0]).toMatchObject({ kind: "queued", method: "will-queue", tree: "mmc-next" });
    expect(one("I will pick it up via the soc tree.")[0]).toMatchObject({ kind: "queued", method: "will-queue" });
    expect(one("Will queue this up after -rc1.")[0]).toMatchObject({ kind: "queued" });
    expect(one("Queued up, thanks!")[0]).toMatchObject({ kind: "queued" });
    expect(one("I'll add this to the driver's probe path.")).toEqual([]);
  });

  it("superseded: sent or announced a newer version", () => {
    expect(one("I just sent v2.")[0]).toMatchObject({ kind: "superseded", method: "sent-new-version" });
    expect(one("I have found the time, see the v2 series here:")[0]).toMatchObject({ kind: "superseded", method: "sent-new-version" });
    expect(one("I failed to address the review on v2; I will address those in a v4.")[0]).toMatchObject({ kind: "superseded", method: "next-version" });
    expect(one("FYI, v3, which I'll wait a bit before posting, will also convert the other callers.")[0]).toMatchObject({ kind: "superseded" });
    expect(one("Please ignore this, v3 is coming.")[0]).toMatchObject({ kind: "superseded" });
    expect(one("Dropping this in favour of the generic helper series.")[0]).toMatchObject({ kind: "superseded", method: "in-favour-of" });
  });

  it("accepting a review point with 'in v2' is not the fate of the patch, nor is a v2 in an identifier", () => {
    for (const t of ["Sure, I'll fix it in v2.", "Fine, I'll do it in my next version.", "The operating-points-v2 property is coming from dtschema."]) expect(one(t), t).toEqual([]);
  });

  it("withdrawn: the author drops it", () => {
    expect(one("Will drop this patch, the core handles it now.")[0]).toMatchObject({ kind: "withdrawn", method: "will-drop" });
    expect(one("It works without it, so I'm willing to drop it completely.")[0]).toMatchObject({ kind: "withdrawn", method: "will-drop" });
    expect(one("You're right, I'll drop it.")).toEqual([]);
  });

  it("a bare 'please ignore' takes back a comment, not the patch", () => {
    expect(one("Got confused. This comment is wrong, please ignore")).toEqual([]);
    expect(one("That was my misunderstanding. Please ignore it...")).toEqual([]);
  });

  it("rejected: a standing policy", () => {
    expect(one("Sorry, we don't accept module parameters for this.")[0]).toMatchObject({ kind: "rejected", method: "policy-refusal" });
  });
});
