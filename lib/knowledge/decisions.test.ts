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
      "Please drop this line.",
      "Please ignore the checkpatch warning about the long line.",
      "We can't take empty commits.",
      "Queued for v2, thank you!",
    ]) {
      expect(decide(t + "\n"), t).toEqual([]);
    }
  });

  it("changelog bullets are history", () => {
    expect(decide("Changes in v2:\n - Picked up Rob's ack.\n - Applied Greta's suggestion to drain early.\n")).toEqual([]);
  });
});
