// Concerns on small invented mails: robot build diagnostics, a patch's problem statement, defects
// pointed out in replies, and what must not count.
import { describe, expect, it } from "vitest";
import { analyzeKnowledge } from "./index";
import { findConcerns, robotConcerns } from "./concerns";
import { messageText } from "./text";
import type { RobotReport } from "./benchmarks";

const reply = (text: string) => findConcerns(messageText(`On Mon, Jan 1, 2024, Jane wrote:\n> +\tfoo_enable(host);\n\n${text}\n\nThanks,\nBob\n`), { subject: "Re: [PATCH] mmc: foo: bar" });

describe("concerns in replies", () => {
  const cases: [string, string][] = [
    ["This is a use-after-free: the host is freed before the work is cancelled.", "concern:defect"],
    ["I think there is an of_node_put() bug in the error path here.", "concern:defect"],
    ["This chunk is wrong and causes the following regression on next-20240101:", "concern:regression"],
    ["After this patch my board no longer boots from SD.", "concern:regression"],
    ["With this applied the card gets stuck in busy after resume.", "concern:failure"],
    ["Seems to have compile errors, the variable belongs in the next patch.", "concern:failure"],
    ["Unfortunately it does not fix the issue with my SanDisk card.", "concern:not-fixed"],
    ["The condition will always be false with the && here.", "concern:wrong"],
    ["My concern is that user space could damage the card with this ioctl.", "concern:worry"],
  ];
  for (const [text, method] of cases) {
    it(`${method}: ${text}`, () => {
      const got = reply(text);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ kind: "concern", method, lines: [4, 4], quote: text });
      expect(got[0].confidence).toBeGreaterThan(0.5);
    });
  }

  it("quoted text, conditionals, thanks and plain agreement are not concerns", () => {
    expect(findConcerns(messageText("On Mon, Jane wrote:\n> This is a use-after-free of the host.\n\nAgreed, thanks.\n"), { subject: "Re: [PATCH] x" })).toEqual([]);
    expect(reply("If the card hangs here we retry the command.")).toEqual([]);
    expect(reply("Looks good to me, thanks for fixing the leak!")).toEqual([]);
    expect(reply("Could it be that the CMD13 is hanging when no card is inserted?")).toEqual([]);
    expect(reply("Looks good to me.")).toEqual([]);
  });

  it("a pasted oops is a log, not a concern", () => {
    const log = ["Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010", "Internal error: Oops: 0000000096000004 [#1] PREEMPT SMP", "pc : mmc_blk_put+0x10/0x40", "lr : mmc_blk_release+0x2c/0x50"].join("\n");
    expect(reply(log)).toEqual([]);
  });
});

describe("the problem a patch or cover states", () => {
  const patch = (body: string, subject = "[PATCH] mmc: foo: fix probe") => findConcerns(messageText(body), { subject });

  it("the problem sentence to the end of its paragraph; the fix is not a concern", () => {
    const body = [
      "The driver overrides the error codes returned by platform_get_irq() with",
      "-ENXIO, so on -EPROBE_DEFER the probe fails permanently instead of the deferred probing.",
      "",
      "Fix this by propagating the error code.",
      "",
      "Fixes: 0123456789ab (\"mmc: foo: add driver\")",
      "Signed-off-by: Joe Dev <joe@example.com>",
      "---",
      " drivers/mmc/host/foo.c | 2 +-",
    ].join("\n");
    const got = patch(body);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind: "concern", lines: [1, 2] });
  });

  it("a problem told in two paragraphs around a log is one concern", () => {
    const body = [
      "Commit 0123456789ab broke eMMC access on the Foo board.",
      "",
      "  mmc1: error -110 whilst initialising MMC card",
      "",
      "During probe, several errors are seen before the card is given up.",
      "",
      "Revert it.",
      "",
      "Signed-off-by: Joe Dev <joe@example.com>",
    ].join("\n");
    expect(patch(body, "[PATCH] Revert \"mmc: foo: bar\"").map((c) => c.lines)).toEqual([[1, 5]]);
  });

  it("a cleanup or a new compatible states no problem", () => {
    expect(patch("Use devm_clk_get_enabled() to simplify the code.\n\nSigned-off-by: Joe Dev <joe@example.com>\n")).toEqual([]);
    expect(patch("Add the compatible for the SM8650 SDHCI.\n\nSigned-off-by: Joe Dev <joe@example.com>\n")).toEqual([]);
    // the changelog below the trailers is not the problem statement
    expect(patch("Add runtime PM support.\n\nSigned-off-by: Joe Dev <joe@example.com>\n---\nv2: fix the leak in the error path\n")).toEqual([]);
  });
});

describe("robot reports", () => {
  const report = (kind: RobotReport["kind"]): RobotReport => ({ robot: "kernel test robot", kind, lines: [0, 0], method: "robot:from", confidence: 0.98, quote: "" });
  const body = [
    "Hi Joe,",
    "",
    "kernel test robot noticed the following build errors:",
    "",
    "All errors (new ones prefixed by >>):",
    "",
    "   drivers/mmc/host/foo.c:64:6: warning: no previous prototype for function 'foo_a' [-Wmissing-prototypes]",
    "      64 | void foo_a(struct sdhci_host *host)",
    "   drivers/mmc/host/foo.c:64:1: note: declare 'static' if the function is not intended to be used outside",
    ">> drivers/mmc/host/foo.c:607:18: error: call to undeclared function 'FIELD_GET'; ISO C99 and later do not support implicit function declarations [-Wimplicit-function-declaration]",
    "   drivers/mmc/host/foo.c:700:18: error: call to undeclared function 'FIELD_GET'; ISO C99 and later do not support implicit function declarations [-Wimplicit-function-declaration]",
    ">> foo.c:(.text+0x3b0e): multiple definition of `foo_b'; drivers/x.o:x.c:(.text+0x1114): first defined here",
    ">> ERROR: modpost: \"of_update_property\" [drivers/mtd/parsers/ofpart.ko] undefined!",
    ">> drivers/mmc/host/foo.c:237:17: sparse: sparse: incorrect type in initializer (different modifiers)",
    "   drivers/mmc/host/foo.c:237:17: sparse:     expected struct sdhci_ops *ops",
    "",
    "vim +/FIELD_GET +607 drivers/mmc/host/foo.c",
    "",
    "   606\t",
    " > 607\t\thost->max_clk = FIELD_GET(MASK, host->caps); // error: not a diagnostic",
    "",
    "-- ",
    "0-DAY CI Kernel Test Service",
  ].join("\n");

  it("one concern per distinct diagnostic, at its first line", () => {
    const got = robotConcerns(messageText(body), report("build-error"));
    expect(got.map((c) => c.lines[0])).toEqual([7, 10, 12, 13, 14]);
    expect(got.every((c) => c.kind === "concern")).toBe(true);
    expect(got[1]).toMatchObject({ method: "robot:diagnostic-new" });
    expect(got[0]).toMatchObject({ method: "robot:diagnostic" });
  });

  it("a performance report: one concern for a regression, none for an improvement", () => {
    const r = { ...report("performance"), lines: [3, 3] as [number, number], quote: "kernel test robot noticed a -64.5% regression of fsmark.files_per_sec", direction: "regression" as const };
    expect(robotConcerns(messageText("Hi\n\n" + r.quote + "\n"), r)).toHaveLength(1);
    expect(robotConcerns(messageText("Hi\n\n" + r.quote + "\n"), { ...r, direction: "improvement" })).toEqual([]);
  });

  it("analyzeKnowledge gives a robot report's diagnostics as its ideas", () => {
    const k = analyzeKnowledge({ subject: "Re: [PATCH] mmc: foo: add driver", from: "kernel test robot <lkp@intel.com>", body });
    expect(k.report).not.toBeNull();
    expect(k.ideas.map((i) => i.kind)).toEqual(["concern", "concern", "concern", "concern", "concern"]);
  });
});
