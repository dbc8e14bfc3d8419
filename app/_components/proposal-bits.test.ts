import { describe, expect, it } from "vitest";
import { evidenceText, methodText, proposalsUrl, relationText, spanText } from "./ProposalBits";

describe("proposal page helpers", () => {
  it("says how long a proposal ran", () => {
    expect(spanText("2023-04-12T08:15:00.000Z", "2025-02-04T13:05:00.000Z")).toBe("2023-04-12 → 2025-02-04 (1 year 9 months)");
    expect(spanText("2023-04-12T08:15:00.000Z", "2023-04-20T00:00:00.000Z")).toBe("2023-04-12 → 2023-04-20");
    expect(spanText("2023-04-12T08:15:00.000Z", null)).toBe("2023-04-12");
    expect(spanText(null, null)).toBe("");
  });

  it("turns evidence into one readable line, whatever the method", () => {
    expect(evidenceText("link-trailer", { text: "Closes: https://lore.kernel.org/r/x@y", trailer: "Closes" })).toBe("“Closes: https://lore.kernel.org/r/x@y”");
    expect(evidenceText("version-line", { link: "change-id", from: "a@b" })).toBe("version link by change-id from <a@b>");
    expect(evidenceText("shared-code", { functions: ["mm/a.c::one", "mm/a.c::two"], overlap: 0.6 })).toBe("functions one, two · overlap 0.6");
    expect(evidenceText("text-similarity", { cosine: 0.52, terms: ["rotation", "queue"] })).toBe("cosine 0.52 · words rotation, queue");
    expect(evidenceText("fixes", { text: "Fixes: 1234567 (\"x\")", matchedBy: "subject", similarity: { method: "shared-code", confidence: 0.7 } })).toBe(
      "“Fixes: 1234567 (\"x\")” · matched by subject · also same functions changed 0.70",
    );
    expect(evidenceText("body-ref", null)).toBe("");
    // evidence is data from mail: odd shapes do not throw
    expect(evidenceText("shared-code", { functions: "not a list", terms: [1, "a"] } as never)).toBe("words a");
    expect(methodText("footnote")).toBe("footnote link");
    expect(methodText("something-new")).toBe("something-new");
    expect(relationText("constructor")).toBe("constructor");
  });

  it("builds list URLs with only the filters given", () => {
    expect(proposalsUrl()).toBe("/proposals/");
    expect(proposalsUrl({ list: "linux-mm", q: "a b", page: 2 })).toBe("/proposals/?list=linux-mm&q=a+b&page=2");
  });
});
