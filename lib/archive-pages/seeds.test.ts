// The five seed documents in ../shared/seeds (what the product was created from): each must give
// what the bar says. Skipped when ../shared is absent (the repository holds only what we
// write; the seeds are data, read in place, never copied).

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import type { ParsedMail } from "../mail/types";
import { checkUnifiedDiff } from "./diff-repair";
import { detectPage, parsePage, synthesizePage } from "./index";
import { findReferences } from "../mail/references";
import type { PageParse } from "./types";

const dir = path.resolve(import.meta.dirname, "../../../shared/seeds");
const have = existsSync(dir);
if (!have) console.warn(`lib/archive-pages/seeds.test.ts: ${dir} is absent: the seed checks are skipped`);

function load(name: string): string {
  return readFileSync(path.join(dir, name), "utf8");
}

async function parsedAll(page: PageParse): Promise<{ syn: ReturnType<typeof synthesizePage>; mails: ParsedMail[] }> {
  const syn = synthesizePage(page);
  const mails = await Promise.all(syn.map((s) => parseMail(s.raw)));
  return { syn, mails };
}

describe.skipIf(!have)(have ? "seed documents (../shared/seeds)" : `seed documents: SKIPPED, ${dir} is absent`, () => {
  it("000 mail-archive.com: 6 messages in one thread, authors and days; the patch names the 9 files of its diffstat", async () => {
    const text = load("000_9c97366a8c12c225.txt");
    expect(detectPage(text)?.format).toBe("mail-archive");
    const page = parsePage(text)!;
    expect(page.messages).toHaveLength(6);
    expect(page.messages.map((m) => [m.from.name, m.date?.slice(0, 10)])).toEqual([
      ["Laurent Dufour", "2017-10-11"],
      ["Andrea Arcangeli", "2017-10-26"],
      ["Laurent Dufour", "2017-11-02"],
      ["Laurent Dufour", "2017-11-02"],
      ["Andrea Arcangeli", "2017-11-02"],
      ["Laurent Dufour", "2017-11-06"],
    ]);
    const { mails } = await parsedAll(page);
    // one thread: every reply reaches the first message through its References
    const root = mails[0].msgid;
    for (const m of mails.slice(1)) expect(m.references[0]).toBe(root);
    expect(mails.map((m) => m.date?.slice(0, 10))).toEqual(page.messages.map((m) => m.date?.slice(0, 10)));
    // the patch: the diffstat names nine files
    const patch = mails[0];
    expect(patch.subject).toBe("[PATCH v5 07/22] mm: Protect VMA modifications using VMA sequence count");
    const stat = patch.text.split("\n").filter((l) => /^ \S+\s+\| +\d+/.test(l)).map((l) => l.trim().split(/\s+\|/)[0].trim());
    expect(stat).toEqual([
      "fs/proc/task_mmu.c", "fs/userfaultfd.c", "mm/khugepaged.c", "mm/madvise.c", "mm/mempolicy.c",
      "mm/mlock.c", "mm/mmap.c", "mm/mprotect.c", "mm/mremap.c",
    ]);
    expect(patch.text).toContain(" 9 files changed, 86 insertions(+), 36 deletions(-)");
    // the part of the diff the page kept is a valid diff (3 of the 9 files: the page cut the message)
    const d = checkUnifiedDiff(patch.text);
    expect(d.errors).toEqual([]);
    expect(d.files).toEqual(["fs/proc/task_mmu.c", "fs/userfaultfd.c", "mm/khugepaged.c"]);
    expect(page.messages[0].damaged.join("\n")).toMatch(/3 of the 9 files/);
    // the truncated Message-ID in the second message is found as a reference
    const refs = findReferences(page.messages[1].body);
    expect(refs.some((r) => r.kind === "msgid" && r.truncated && r.value.endsWith("@intel.com"))).toBe(true);
  });

  it("001 collapsed raw message: real ids, 5 References, Jérôme Glisse, 2019-12-09 14:17:54 UTC, decoded body", async () => {
    const text = load("001_2e31f7e4822bec3f.txt");
    expect(detectPage(text)?.format).toBe("collapsed-rfc822");
    const page = parsePage(text)!;
    expect(page.messages).toHaveLength(1);
    const { syn, mails } = await parsedAll(page);
    const m = mails[0];
    expect(m.msgid).toBe("20191209141754.GA6841@redhat.com");
    expect(m.inReplyTo).toBe("20191209033335.GC32169@bombadil.infradead.org");
    expect(m.references).toEqual([
      "20191203222147.GV20752@bombadil.infradead.org",
      "20191205172150.GD5819@redhat.com",
      "20191206051322.GA21007@bombadil.infradead.org",
      "20191206173030.GA3648@redhat.com",
      "20191209033335.GC32169@bombadil.infradead.org",
    ]);
    expect(m.from.name).toBe("Jerome Glisse");
    expect(m.date).toBe("2019-12-09T14:17:54.000Z");
    expect(m.tzOffsetMinutes).toBe(-300);
    expect(m.subject).toBe("Re: Splitting the mmap_sem");
    expect(m.text).toContain("Jérôme");
    expect(m.text).not.toMatch(/=E9|=20\n|= /);
    expect(m.text.split("\n")[0]).toBe("On Sun, Dec 08, 2019 at 07:33:35PM -0800, Matthew Wilcox wrote:");
    expect(m.text).toContain("> > > > > While one thread is calling mmap(MAP_FIXED), two other threads which are\n");
    expect(m.listId).toBeNull(); // the page stripped it
    expect(page.listName).toBe("linux-mm");
    // the absent References come back as ghosts with the quoted text, under their real ids
    const ghosts = syn.filter((s) => s.reconstructed);
    expect(ghosts.map((g) => g.msgid)).toEqual([...m.references].reverse());
    const g1 = mails[syn.indexOf(ghosts[0])];
    expect(g1.from.name).toBe("Matthew Wilcox");
    expect(g1.date).toBe("2019-12-09T03:33:35.000Z");
  });

  it("002 article page: Message-ID, Peter Zijlstra, a patch over 6 files with its hunks", async () => {
    const text = load("002_5f7137928973666e.txt");
    expect(detectPage(text)?.format).toBe("article-table");
    const page = parsePage(text)!;
    expect(page.messages).toHaveLength(1);
    const { mails } = await parsedAll(page);
    const m = mails[0];
    expect(m.msgid).toBe("1227886959.4454.4421.camel@twins");
    expect(m.from).toEqual({ name: "Peter Zijlstra", address: "peterz@infradead.org" });
    expect(m.date).toBe("2008-11-28T15:42:39.000Z");
    expect(m.tzOffsetMinutes).toBe(60);
    expect(m.cc.map((a) => a.address)).toContain("linux-mm@kvack.org");
    const d = checkUnifiedDiff(m.text);
    expect(d.errors).toEqual([]);
    expect(d.files).toEqual(["arch/x86/mm/fault.c", "include/linux/mm.h", "include/linux/mm_types.h", "kernel/fork.c", "mm/memory.c", "mm/mmap.c"]);
    // every hunk header of the page survives, in order
    const pageHunks = [...text.matchAll(/@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/g)].map((x) => x[0]);
    const mailHunks = m.text.split("\n").filter((l) => l.startsWith("@@ ")).map((l) => /^@@ [^@]+ @@/.exec(l)![0]);
    expect(mailHunks).toEqual(pageHunks);
    expect(d.hunks).toBe(pageHunks.length);
    expect(m.text).toContain("\nNOT-Signed-off-by: Peter Zijlstra <a.p.zijlstra@chello.nl>\n---\ndiff --git a/arch/x86/mm/fault.c b/arch/x86/mm/fault.c\n");
    expect(page.messages[0].damaged.join("\n")).toMatch(/joined all lines/);
  });

  it("003 lore thread page: 90 messages, tree equal to the thread overview, 4 patches under the cover letter", async () => {
    const text = load("003_5e583eaf19bbf35a.txt");
    expect(detectPage(text)?.format).toBe("lore-flat");
    const page = parsePage(text)!;
    expect(page.messages).toHaveLength(90);
    expect(page.listName).toBe("linux-mm");
    // the overview, read independently: (date, depth, author) in display order
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.startsWith("Thread overview:"));
    const overview = lines
      .slice(at + 2)
      .filter((l) => /^\d{4}-\d\d-\d\d /.test(l))
      .map((l) => {
        const date = l.slice(0, 16).replace(/ (\d):/, " 0$1:").replace("  ", " ");
        const rest = l.slice(17);
        const m = /^( *)` (.*)$/.exec(rest);
        return { date: date.replace(/^(\d{4}-\d\d-\d\d) +(\d):/, "$1 0$2:"), depth: m ? m[1].length / 2 + 1 : 0, text: m ? m[2] : rest };
      });
    expect(overview).toHaveLength(90);
    // our tree in the same display order: children in overview order = page order among siblings is not
    // guaranteed, so walk the tree by the overview's sibling order through the messages' parentIndex
    const { syn, mails } = await parsedAll(page);
    const byId = new Map(mails.map((m, i) => [m.msgid, i]));
    const parentOf = mails.map((m) => (m.inReplyTo ? byId.get(m.inReplyTo)! : null));
    expect(parentOf).toEqual(page.messages.map((m) => m.parentIndex));
    const depth = (i: number): number => (parentOf[i] === null ? 0 : 1 + depth(parentOf[i]!));
    // match each overview line to its message (date + author suffix) and compare depths and parents
    const used = new Set<number>();
    const stack: number[] = [];
    for (const o of overview) {
      const i = page.messages.findIndex((m, k) => !used.has(k) && m.date!.slice(0, 16).replace("T", " ") === o.date && o.text.endsWith(m.from.name) && depth(k) === o.depth && (o.depth === 0 || parentOf[k] === stack[o.depth - 1]));
      expect(i, `overview line ${o.date} ${o.text}`).toBeGreaterThanOrEqual(0);
      used.add(i);
      stack[o.depth] = i;
      stack.length = o.depth + 1;
    }
    expect(used.size).toBe(90);
    // the series: the cover letter and its 4 patches
    const cover = page.messages.findIndex((m) => m.subject === "[PATCH 0/4] mm: Simplfy cow handling");
    expect(cover).toBe(0);
    expect(parentOf[cover]).toBeNull();
    const patches = page.messages.map((m, i) => ({ m, i })).filter(({ m }) => /^\[PATCH [1-4]\/4\]/.test(m.subject));
    expect(patches.map(({ m }) => m.subject.slice(0, 12))).toEqual(["[PATCH 1/4] ", "[PATCH 2/4] ", "[PATCH 3/4] ", "[PATCH 4/4] "]);
    for (const { i } of patches) expect(parentOf[i]).toBe(cover);
    for (const { i } of patches) expect(checkUnifiedDiff(mails[i].text).errors).toEqual([]);
    // one thread: everything reaches the cover letter
    for (let i = 1; i < 90; i++) expect(mails[i].references[0]).toBe(mails[cover].msgid);
    expect(mails[0].from.address).toBe("peterx@redhat.com"); // from the page's own Signed-off-by lines
    expect(syn.every((s) => s.recovery === "page:lore-flat" && !s.reconstructed)).toBe(true);
  });

  it("004 hypermail page: Suren's reply, its 3 quoted ancestors as ghosts, the RFC patch rebuilt (4 files, +19 -62)", async () => {
    const text = load("004_b0bcf468c8c829d1.txt");
    expect(detectPage(text)?.format).toBe("hypermail");
    const page = parsePage(text)!;
    expect(page.messages).toHaveLength(1);
    const { syn, mails } = await parsedAll(page);
    expect(syn).toHaveLength(4);
    const [reply, ...ghosts] = mails;
    expect(reply.from.name).toBe("Suren Baghdasaryan");
    // "17:19:52 EST" on an August day is the archive's EDT clock: 21:19:52 UTC
    expect(reply.date).toBe("2024-08-08T21:19:52.000Z");
    expect(syn.slice(1).every((s) => s.reconstructed && s.recovery === "quote")).toBe(true);
    expect(ghosts.map((g) => g.from.name)).toEqual(["Mateusz Guzik", "Suren Baghdasaryan", "Mateusz Guzik"]);
    expect(ghosts[0].from.address).toBe("mjguzik@gmail.com"); // "mjguzik@xxxxxxxxx" resolved from his signature
    // threading: reply -> d1 -> d2 -> d3 (the RFC patch)
    expect(reply.inReplyTo).toBe(ghosts[0].msgid);
    expect(ghosts[0].inReplyTo).toBe(ghosts[1].msgid);
    expect(ghosts[1].inReplyTo).toBe(ghosts[2].msgid);
    expect(ghosts[2].inReplyTo).toBeNull();
    expect(ghosts.every((g) => g.headers.some(([k, v]) => k === "x-patchlore-quoted-in" && v.includes(reply.msgid)))).toBe(true);
    const rfc = ghosts[2];
    expect(rfc.subject).toBe("[RFC PATCH] vm: align vma allocation and move the lock back into the struct");
    expect(rfc.text.startsWith("ACHTUNG: this is more of a request for benchmarking")).toBe(true);
    const d = checkUnifiedDiff(rfc.text);
    expect(d.errors).toEqual([]);
    expect(d.files).toEqual(["include/linux/mm.h", "include/linux/mm_types.h", "kernel/fork.c", "mm/userfaultfd.c"]);
    expect([d.insertions, d.deletions]).toEqual([19, 62]);
    expect(rfc.text).toContain(" 4 files changed, 19 insertions(+), 62 deletions(-)");
    // the reference to the earlier series in the RFC text (obfuscated by the archive)
    const refs = findReferences(rfc.text);
    expect(refs.find((r) => r.kind === "lore-link")).toMatchObject({ value: "20230227173632.3292573-34-surenb@xxxxxxxxxx", obfuscated: true });
  });
});
