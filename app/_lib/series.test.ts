import { describe, expect, it } from "vitest";
import { completenessText, linkText, mboxFilename, versionLabel } from "./series";
import { fileAnchor, hunkAnchor, interdiffUrl, patchUrl, seriesIndexUrl, seriesMboxUrl, seriesUrl, versionLineUrl } from "./urls";

describe("series URLs", () => {
  it("keep Message-IDs in one segment", () => {
    expect(seriesUrl("a/b@x")).toBe("/series/a%2Fb@x/");
    expect(seriesMboxUrl("k@x")).toBe("/series/k@x/mbox");
    expect(patchUrl("demo", "p+1@x")).toBe("/demo/p%2B1@x/patch/");
    expect(interdiffUrl("a@x", "b/c@y")).toBe("/interdiff/a@x/b%2Fc@y/");
    expect(versionLineUrl(7)).toBe("/versions/7/");
  });
  it("put the list's series under /series/ with a query", () => {
    expect(seriesIndexUrl()).toBe("/series/");
    expect(seriesIndexUrl("linux-mm")).toBe("/series/?list=linux-mm");
    expect(seriesIndexUrl("a&b", 3)).toBe("/series/?list=a%26b&page=3");
  });
  it("anchor files and hunks from 1", () => {
    expect(fileAnchor(2)).toBe("f2");
    expect(hunkAnchor(2, 3)).toBe("f2h3");
  });
});

describe("series wording", () => {
  it("labels versions", () => {
    expect(versionLabel({ version: 1, revision: "1", isRfc: true })).toBe("RFC");
    expect(versionLabel({ version: 2, revision: "2", isRfc: true })).toBe("RFC v2");
    expect(versionLabel({ version: 1, revision: "1", isRfc: false })).toBe("v1");
    expect(versionLabel({ version: 5, revision: "5.1", isRfc: false })).toBe("v5.1");
  });
  it("says what is missing", () => {
    expect(completenessText({ complete: true, missing: [], total: 4 })).toBe("complete");
    expect(completenessText({ complete: false, missing: [3, 5], total: 7 })).toBe("missing 3, 5 of 7");
  });
  it("says how versions were linked", () => {
    expect(linkText({ method: "change-id", kind: "new-version", confidence: 1 })).toBe("linked by change-id");
    expect(linkText({ method: "title", kind: "new-version", confidence: 0.6 })).toBe("linked by title, confidence 0.6");
    expect(linkText({ method: "reference", kind: "resend", confidence: 0.9 })).toBe("linked by a reference to the earlier version, confidence 0.9 (resend)");
  });
  it("names the mbox safely", () => {
    expect(mboxFilename({ version: 2, revision: "2", isRfc: false, date: "2023-10-17T09:30:00.000Z", author: "mira@kernel.example", title: "mm/vmscan: batch LRU rotation" })).toBe(
      "v2_20231017_mira_mm-vmscan-batch-lru-rotation.mbox",
    );
    const evil = mboxFilename({ version: 1, revision: "1", isRfc: true, date: null, author: '"; rm -rf /"@x', title: '../../etc/passwd\r\n"; x=<y>' });
    expect(evil).toMatch(/^[A-Za-z0-9._-]+\.mbox$/);
    expect(evil).not.toContain("..");
  });
});
