// The review bar on the seed documents in ../shared/seeds (read in place, never copied):
//  * 003, a lore thread page: the review replies on patch 1/4 anchor to lines of mm/memory.c in
//    do_wp_page(), and the answers to them join their discussions;
//  * 004, a hypermail page whose RFC patch exists only inside quotes: lib/archive-pages rebuilds it, and
//    the replies anchor to the rebuilt patch like to any other.
// Skipped, with a message, when ../shared/seeds is absent.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import type { ParsedMail } from "../mail/types";
import { parseDiff } from "../patch/diff";
import { parsePage, synthesizePage } from "../archive-pages/index";
import { analyzeReply, sameAnchor, type DiffAnchor, type InlineComment } from "./index";

const dir = path.resolve(import.meta.dirname, "../../../shared/seeds");
const have = existsSync(dir);
if (!have) console.warn(`lib/review/seeds.test.ts: ${dir} is absent: the seed review checks are skipped`);

async function mailsOf(name: string): Promise<ParsedMail[]> {
  const page = parsePage(readFileSync(path.join(dir, name), "utf8"))!;
  return Promise.all(synthesizePage(page).map((s) => parseMail(s.raw)));
}

describe.skipIf(!have)(have ? "review on the seed documents (../shared/seeds)" : `review on the seed documents: SKIPPED, ${dir} is absent`, () => {
  it("003: the review replies on patch 1/4 anchor to mm/memory.c in do_wp_page(), answers join their discussions", async () => {
    const mails = await mailsOf("003_5e583eaf19bbf35a.txt");
    const p1 = mails.find((m) => m.subject.startsWith("[PATCH 1/4] mm: Trial do_wp_page() simplification"))!;
    expect(p1).toBeDefined();
    const patch = { body: p1.text, diff: parseDiff(p1.text) };
    expect(patch.diff.files.map((f) => f.path)).toEqual(["mm/memory.c"]);
    const hunk = patch.diff.files[0].hunks[0];
    expect(hunk.heading).toContain("do_wp_page(");

    // every message below patch 1/4, each analysed against the patch and its parent's comments
    const byId = new Map(mails.map((m) => [m.msgid, m]));
    const comments = new Map<string, InlineComment[]>();
    const below = mails.filter((m) => m.references.includes(p1.msgid));
    for (const m of below) {
      const parent = m.inReplyTo && m.inReplyTo !== p1.msgid ? (comments.get(m.inReplyTo) ?? null) : null;
      const r = analyzeReply(m.text, { from: m.from, patch, parentComments: parent, date: m.date });
      comments.set(m.msgid, r.comments);
    }

    // the direct reviews of the patch: Kirill Tkhai and Oleg Nesterov comment on code lines
    const direct = below.filter((m) => m.inReplyTo === p1.msgid);
    const anchored = direct.flatMap((m) => comments.get(m.msgid)!.filter((c) => c.anchor?.part === "diff").map((c) => ({ who: m.from.name, c, a: c.anchor as DiffAnchor })));
    expect(anchored.map((x) => x.who).sort()).toEqual(["Kirill Tkhai", "Oleg Nesterov"]);
    for (const { a } of anchored) {
      expect(a.file).toBe("mm/memory.c");
      expect(a.heading).toBe("static vm_fault_t do_wp_page(struct vm_fault *vmf)");
      expect(a.method).toBe("exact");
      expect(a.confidence).toBe(1);
      // inside the hunk: old 2927..2976, new 2927..2951
      if (a.side === "new") expect(a.newLine! >= hunk.newStart && a.newLine! < hunk.newStart + hunk.newLines).toBe(true);
      else expect(a.oldLine! >= hunk.oldStart && a.oldLine! < hunk.oldStart + hunk.oldLines).toBe(true);
    }
    const kirill = anchored.find((x) => x.who === "Kirill Tkhai")!;
    expect(kirill.c.text).toMatch(/^No, this is wrong\. PageKSM\(\) always raises refcount\./);
    expect(kirill.a).toMatchObject({ side: "new", newLine: 2932, oldLine: null, patchText: "+\t\t/* PageKsm() doesn't necessarily raise the page refcount */" });
    const oleg = anchored.find((x) => x.who === "Oleg Nesterov")!;
    expect(oleg.c.text).toMatch(/^It seems that nobody else calls reuse_swap_page\(\)/);
    expect(oleg.a).toMatchObject({ side: "old", oldLine: 2958, newLine: null });
    expect(oleg.a.patchText).toMatch(/^-\t\tif \(reuse_swap_page\(vmf->page, &total_map_swapcount\)\) \{$/);
    // Jason Gunthorpe's regression report quotes only the commit message and diffstat: a message comment
    const jason = direct.find((m) => m.from.name === "Jason Gunthorpe")!;
    expect(comments.get(jason.msgid)![0].anchor).toMatchObject({ part: "message" });

    // Jan Kara answers Kirill: his comments join Kirill's discussion on the same line
    const jan = below.find((m) => m.from.name === "Jan Kara" && byId.get(m.inReplyTo!)?.from.name === "Kirill Tkhai")!;
    const janComments = comments.get(jan.msgid)!;
    expect(janComments.length).toBeGreaterThan(0);
    for (const c of janComments) {
      expect(c.inReplyTo).toBe(0);
      expect(sameAnchor(c.anchor, kirill.c.anchor)).toBe(true);
    }
    // and Kirill's answer to Jan carries the discussion one level further down
    const kirill2 = below.find((m) => m.from.name === "Kirill Tkhai" && m.inReplyTo === jan.msgid)!;
    expect(comments.get(kirill2.msgid)!.some((c) => sameAnchor(c.anchor, kirill.c.anchor))).toBe(true);
    // Peter Xu's answer to Oleg: same line
    const peter = below.find((m) => m.from.name === "Peter Xu" && byId.get(m.inReplyTo!)?.from.name === "Oleg Nesterov")!;
    expect(comments.get(peter.msgid)!.some((c) => sameAnchor(c.anchor, oleg.c.anchor))).toBe(true);
  });

  it("004: the RFC patch rebuilt from quotes is reviewable: replies anchor to its commit message", async () => {
    const mails = await mailsOf("004_b0bcf468c8c829d1.txt");
    const rfc = mails.find((m) => m.subject === "[RFC PATCH] vm: align vma allocation and move the lock back into the struct")!;
    const diff = parseDiff(rfc.text);
    expect(diff.files.map((f) => f.path)).toEqual(["include/linux/mm.h", "include/linux/mm_types.h", "kernel/fork.c", "mm/userfaultfd.c"]);
    // Suren's answer to the RFC (itself a ghost rebuilt from quotes) sits under the RFC's last paragraph
    const suren = mails.find((m) => m.from.name === "Suren Baghdasaryan" && m.inReplyTo === rfc.msgid)!;
    const r = analyzeReply(suren.text, { from: suren.from, patch: { body: rfc.text, diff } });
    expect(r.comments[0].text).toMatch(/^Sure, I'll give it a spin/);
    expect(r.comments[0].anchor).toMatchObject({ part: "message", patchText: "this out with your test rig.", method: "exact", confidence: 1 });
    expect(rfc.text.split("\n")[(r.comments[0].anchor as { line: number }).line]).toBe("this out with your test rig.");
  });
});
