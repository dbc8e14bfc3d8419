import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSource } from "./index";
import { SourceError, type SourceItem } from "./types";

const root = mkdtempSync(join(tmpdir(), "patchlore-maildir-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const it of items) out.push(it);
  return out;
}

const msg = (n: string, extra = "") => `From: a@example.org\nSubject: ${n}\n${extra}\nbody ${n}\n`;

describe("maildir", () => {
  it("reads every file of cur/ and new/ in file-name order, ignoring tmp/ and dotfiles", async () => {
    const md = join(root, "Maildir");
    for (const d of ["cur", "new", "tmp"]) mkdirSync(join(md, d), { recursive: true });
    writeFileSync(join(md, "cur", "1700000002.M1P1.host:2,S"), msg("b", "List-Id: <dev.lists.example.org>\n"));
    writeFileSync(join(md, "new", "1700000001.M1P1.host"), msg("a"));
    writeFileSync(join(md, "new", "1700000003.M1P1.host"), msg("c"));
    writeFileSync(join(md, "tmp", "1700000000.M1P1.host"), msg("in progress"));
    writeFileSync(join(md, "cur", ".hidden"), msg("hidden"));
    mkdirSync(join(md, "cur", "subdir"));

    const src = await openSource(md);
    expect(src.kind).toBe("maildir");
    expect(src.location).toBe(md);
    expect(await src.count({})).toBe(3);
    const items = await collect(src.items({}));
    expect(items.map((i) => i.raw.toString())).toEqual([msg("a"), msg("b", "List-Id: <dev.lists.example.org>\n"), msg("c")]);
    expect(items.map((i) => i.ref)).toEqual([
      `maildir:${md}/new/1700000001.M1P1.host`,
      `maildir:${md}/cur/1700000002.M1P1.host:2,S`,
      `maildir:${md}/new/1700000003.M1P1.host`,
    ]);
    // "Maildir" is not a list name; no List-Id in the first message
    expect(src.suggestedListName()).toBeNull();
  });

  it("accepts a maildir with only cur/ (empty new/ lost in a copy) and takes the list name from List-Id", async () => {
    const md = join(root, "only-cur");
    mkdirSync(join(md, "cur"), { recursive: true });
    writeFileSync(join(md, "cur", "1"), msg("x", "List-Id: Dev list <dev-list.lists.example.org>\n"));
    const src = await openSource(md);
    expect(src.kind).toBe("maildir");
    expect(src.suggestedListName()).toBe("dev-list");
    expect((await collect(src.items({}))).length).toBe(1);
  });

  it("empty maildir: no messages", async () => {
    const md = join(root, "empty-md");
    for (const d of ["cur", "new", "tmp"]) mkdirSync(join(md, d), { recursive: true });
    const src = await openSource(md);
    expect(await src.count({})).toBe(0);
    expect(await collect(src.items({}))).toEqual([]);
  });

  it("reads a directory of .eml files in natural order, dropping a leading mbox From line", async () => {
    const d = join(root, "linux-foo");
    mkdirSync(d);
    writeFileSync(join(d, "10.eml"), msg("ten"));
    writeFileSync(join(d, "2.eml"), "From someone Mon Jan  1 00:00:00 2001\n" + msg("two"));
    writeFileSync(join(d, "1.EML"), msg("one"));
    writeFileSync(join(d, "notes.txt"), "not a message");
    const src = await openSource(d);
    expect(src.kind).toBe("maildir");
    expect(await src.count({})).toBe(3);
    const items = await collect(src.items({}));
    expect(items.map((i) => i.raw.toString())).toEqual([msg("one"), msg("two"), msg("ten")]);
    expect(items.map((i) => i.ref)).toEqual([`maildir:${d}/1.EML`, `maildir:${d}/2.eml`, `maildir:${d}/10.eml`]);
    expect(src.suggestedListName()).toBe("linux-foo");
  });

  it("stops on AbortSignal", async () => {
    const d = join(root, "abort-eml");
    mkdirSync(d);
    for (let i = 0; i < 5; i++) writeFileSync(join(d, `${i}.eml`), msg(String(i)));
    const src = await openSource(d);
    const ac = new AbortController();
    let n = 0;
    await expect(
      (async () => {
        for await (const _ of src.items({}, ac.signal)) if (++n === 2) ac.abort();
      })(),
    ).rejects.toThrow(/abort/i);
    expect(n).toBe(2);
  });

  it("a directory that is none of the known formats is a SourceError", async () => {
    const d = join(root, "random");
    mkdirSync(d);
    writeFileSync(join(d, "readme.txt"), "hello");
    await expect(openSource(d)).rejects.toThrow(SourceError);
    await expect(openSource(d)).rejects.toThrow(/is not an mbox file, maildir, or public-inbox repository/);
  });

  it("a nonexistent path is a SourceError naming it", async () => {
    const p = join(root, "does", "not", "exist");
    await expect(openSource(p)).rejects.toThrow(SourceError);
    await expect(openSource(p)).rejects.toThrow(p);
  });
});
