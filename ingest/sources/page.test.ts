import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseMail } from "../../lib/mail/parse";
import { isDeletion, openSource, SourceError, type SourceMessage } from "./index";
import { openPage } from "./page";

const dir = mkdtempSync(path.join(tmpdir(), "patchlore-page-"));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

// small pages written for this test
const HYPERMAIL = [
  "Re: [PATCH] frob: lockless lookups",
  "From: Grace Reviewer",
  "Date: Tue Jul 02 2024 - 10:00:00 EST",
  "On Mon, Jul 1, 2024 at 9:00 AM Heidi Hacker <heidi@xxxxxxxxxxx> wrote:",
  ">",
  "> Lookups take the lock; they do not need to.",
  "Agreed.",
  "",
].join("\n");

const MAIL_ARCHIVE = ["[PATCH] frob: fix", "", "2019-05-02 Thread Carol Coder", "Fix it.", "", "", "Re: [PATCH] frob: fix", "", "2019-05-03 Thread Dave Reviewer", "Looks good.", ""].join("\n");

const LORE = [
  "linux-frob.vger.kernel.org archive mirror",
  "* [PATCH] frob: fix",
  "@ 2021-03-01 10:00 Alice Example",
  "From: Alice Example @ 2021-03-01 10:00 UTC (permalink / raw)",
  "  To: linux-frob",
  "",
  "Fix.",
  "",
  "^ permalink raw reply\t[flat|nested] 1+ messages in thread",
  "",
].join("\n");

async function all(src: Awaited<ReturnType<typeof openSource>>): Promise<SourceMessage[]> {
  const out: SourceMessage[] = [];
  for await (const it of src.items({})) if (!isDeletion(it)) out.push(it);
  return out;
}

describe("page source", () => {
  it("opens a hypermail page: the message and the ghost rebuilt from its quote", async () => {
    const p = file("reply.html.txt", HYPERMAIL);
    const src = await openSource(p);
    expect(src.kind).toBe("page");
    expect(src.location).toBe(p);
    expect(await src.count({})).toBe(2);
    expect(src.suggestedListName()).toBeNull();
    const items = await all(src);
    expect(items.map((i) => [i.ref, i.recovery, i.reconstructed ?? false])).toEqual([
      [`page:${p}#L1-7`, "page:hypermail", false],
      [`page:${p}#L4-6`, "quote", true],
    ]);
    const [reply, ghost] = await Promise.all(items.map((i) => parseMail(i.raw)));
    expect(reply.from.name).toBe("Grace Reviewer");
    expect(reply.date).toBe("2024-07-02T14:00:00.000Z"); // July: the "EST" clock is EDT
    expect(reply.inReplyTo).toBe(ghost.msgid);
    expect(ghost.from.name).toBe("Heidi Hacker");
    expect(ghost.text).toBe("Lookups take the lock; they do not need to.\n");
  });

  it("opens a mail-archive page and a lore page; the lore banner names the list", async () => {
    const ma = await openSource(file("thread.txt", MAIL_ARCHIVE));
    expect(ma.kind).toBe("page");
    const maItems = await all(ma);
    expect(maItems.map((i) => i.recovery)).toEqual(["page:mail-archive", "page:mail-archive"]);
    const lore = await openSource(file("lore.txt", LORE));
    expect(lore.suggestedListName()).toBe("linux-frob");
    expect((await all(lore)).map((i) => i.ref)).toEqual([`page:${path.join(dir, "lore.txt")}#L2-9`]);
  });

  it("yields the same bytes every time (re-ingesting a page changes nothing)", async () => {
    const p = file("again.txt", MAIL_ARCHIVE);
    const a = (await all(await openSource(p))).map((i) => i.raw.toString("hex"));
    const b = (await all(await openSource(p))).map((i) => i.raw.toString("hex"));
    expect(a).toEqual(b);
  });

  it("leaves mbox, eml, gzip and unknown files to the other readers", async () => {
    const mbox = file("list.mbox", "From a@b Mon Jan  1 00:00:00 2001\nFrom: A <a@b.org>\nSubject: x\nMessage-ID: <1@b>\n\n2019-05-02 Thread Carol Coder\n");
    expect((await openSource(mbox)).kind).toBe("mbox");
    expect(await openPage(mbox)).toBeNull();
    const eml = file("one.eml", "From: A <a@b.org>\nSubject: x\nMessage-ID: <1@b>\n\nbody\n");
    expect((await openSource(eml)).kind).toBe("mbox");
    expect(await openPage(file("page.txt.gz", gzipSync(HYPERMAIL)))).toBeNull();
    await expect(openSource(file("notes.txt", "just some notes\nnothing to see\n"))).rejects.toThrow(SourceError);
  });

  it("stops when aborted", async () => {
    const src = await openSource(file("abort.txt", HYPERMAIL));
    const ac = new AbortController();
    ac.abort();
    await expect(async () => {
      for await (const _ of src.items({}, ac.signal)) void _;
    }).rejects.toThrow();
  });
});
