import { describe, expect, it } from "vitest";
import { analyzeMessage } from "../analyze/message";
import type { ParsedMail } from "../mail/types";
import { buildSearchDocument, columnOf, codesOf, receivedTime } from "./document";

function mail(over: Partial<ParsedMail>): ParsedMail {
  return {
    msgid: "x@example.org",
    syntheticMsgid: false,
    subject: "",
    threadSubject: "",
    isReply: false,
    from: { name: "Ann Author", address: "ann@example.org" },
    to: [],
    cc: [],
    date: "2023-03-07T09:12:00.000Z",
    tzOffsetMinutes: 60,
    dateHeader: null,
    inReplyTo: null,
    references: [],
    listId: null,
    headers: [],
    text: "",
    textFromHtml: false,
    attachments: [],
    contentHash: "h",
    size: 0,
    problems: [],
    ...over,
  };
}

/** lexeme -> positions text, from the text form of both vectors */
function lexemes(p: ParsedMail): Map<string, string> {
  const doc = buildSearchDocument(p, analyzeMessage(p));
  const t = doc.text();
  const out = new Map<string, string>();
  for (const m of `${t.head} ${t.body}`.matchAll(/'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g)) out.set(m[1].replace(/''/g, "'").replace(/\\\\/g, "\\"), m[2] ?? "");
  return out;
}

const PATCH = `Add the helper.

Signed-off-by: Ann Author <ann@example.org>
---
 mm/memory.c | 3 ++-
 1 file changed, 2 insertions(+), 1 deletion(-)

diff --git a/mm/memory.c b/mm/memory.c
index 3a4b5c6d7e8f..9f8e7d6c5b4a 100644
--- a/mm/memory.c
+++ b/mm/memory.c
@@ -10,7 +10,8 @@ static vm_fault_t do_wp_page(struct vm_fault *vmf)
 	spin_lock(&vmf->ptl);
-	old_call(vma);
+	vm_write_begin(vma);
+	__GFP_NOWARN;
 	spin_unlock(&vmf->ptl);
--
2.39.0
`;

describe("buildSearchDocument", () => {
  it("puts each field under its prefix, identifiers whole, with positions and weights", () => {
    const lx = lexemes(mail({ subject: "[PATCH] mm: add vm_write_begin helper", text: PATCH }));
    expect(lx.get("Svm_write_begin")).toBe("4A"); // subject words weigh A
    expect(lx.has("Pvm_write_begin")).toBe(true); // added line
    expect(lx.has("P__gfp_nowarn")).toBe(true);
    expect(lx.has("Rold_call")).toBe(true); // removed line
    expect(lx.has("Xspin_lock")).toBe(true); // context
    expect(lx.has("Hdo_wp_page")).toBe(true); // hunk heading
    expect(lx.has("Hpage")).toBe(false); // do_wp_page stays one word
    expect([lx.get("Fmm"), lx.get("Fmemory"), lx.get("Fc")]).toEqual(["1B", "2B", "3B"]); // dfn positions: a phrase
    expect(lx.has("pre=3a4b5c6d7e8f")).toBe(true);
    expect(lx.has("post=9f8e7d6c5b4a")).toBe(true);
    expect(lx.has("has=diff")).toBe(true);
    expect([...lx.keys()].some((k) => k.startsWith("pid="))).toBe(true);
    // the commit message and the diffstat are unquoted text, the diff itself is not
    expect(lx.has("Bhelper")).toBe(true);
    expect(lx.has("Bvm_write_begin")).toBe(false);
    expect(lx.has("Bold_call")).toBe(false);
  });

  it("a reply quoting a patch has quoted text, no diff terms", () => {
    const text = `On Tue, Ann wrote:\n${PATCH.split("\n").map((l) => "> " + l).join("\n")}\nLooks fine.\n`;
    const lx = lexemes(mail({ subject: "Re: [PATCH] mm: add vm_write_begin helper", text, references: ["p@example.org"] }));
    expect(lx.has("Qvm_write_begin")).toBe(true);
    expect(lx.has("Qdo_wp_page")).toBe(true);
    expect([...lx.keys()].filter((k) => /^[FRPHX]/.test(k) || /^(pre|post|pid)=/.test(k))).toEqual([]);
    expect(lx.has("has=diff")).toBe(false);
    expect(lx.has("Blooks")).toBe(true);
    expect(lx.has("ref=p@example.org")).toBe(true);
    expect(lx.has("has=parent")).toBe(true);
  });

  it("indexes headers: addresses, Message-ID words, attachment names, exact ids", () => {
    const lx = lexemes(
      mail({
        msgid: "20230101.abc-1@Example.ORG",
        to: [{ name: "Linux MM", address: "linux-mm@kvack.org" }],
        cc: [{ name: "", address: "stable@vger.kernel.org" }],
        attachments: [{ filename: "config.gz", contentType: "application/gzip", size: 1, sha256: "", text: null, disposition: "attachment" }],
      }),
    );
    expect(lx.has("Aann")).toBe(true);
    expect(lx.has("Tkvack")).toBe(true);
    expect(lx.has("Cstable")).toBe(true);
    expect(lx.has("Nconfig")).toBe(true);
    expect(lx.has("M20230101")).toBe(true);
    expect(lx.has("mid=20230101.abc-1@Example.ORG")).toBe(true); // exact: case kept
    expect(lx.has("has=attachment")).toBe(true);
  });

  it("skips words over 64 characters but keeps their position", () => {
    const long = "x".repeat(65);
    const lx = lexemes(mail({ text: `alpha ${long} beta` }));
    expect(lx.has("B" + long)).toBe(false);
    expect(lx.get("Balpha")).toBe("1C");
    expect(lx.get("Bbeta")).toBe("3C");
  });

  it("escapes quotes and backslashes in exact lexemes", () => {
    const lx = lexemes(mail({ msgid: "it's\\odd@x" }));
    expect(lx.has("mid=it's\\odd@x")).toBe(true);
  });

  it("routes fields to the two vectors", () => {
    expect(codesOf("s")!.map(columnOf)).toEqual(["head"]);
    expect(codesOf("dfb")!.map(columnOf)).toEqual(["body"]);
    expect(new Set(codesOf(null)!.map(columnOf))).toEqual(new Set(["head", "body"]));
    expect(codesOf("by")).toBeNull();
  });
});

describe("receivedTime", () => {
  it("reads the first Received: header's date", () => {
    const p = mail({
      headers: [
        ["received", "from mx.example.org by lists.example.org; Tue, 7 Mar 2023 10:12:00 +0100 (CET)"],
        ["received", "from a by b; Tue, 7 Mar 2023 08:00:00 +0000"],
      ],
    });
    expect(receivedTime(p)).toBe("2023-03-07T09:12:00.000Z");
    expect(receivedTime(mail({}))).toBeNull();
  });
});
