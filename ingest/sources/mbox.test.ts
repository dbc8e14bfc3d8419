import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { openSource } from "./index";
import { openMbox, splitMbox } from "./mbox";
import { SourceError, type SourceItem } from "./types";

const dir = mkdtempSync(join(tmpdir(), "patchlore-mbox-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
function file(content: string | Buffer, name = `f${++seq}.mbox`): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const it of items) out.push(it);
  return out;
}

async function readAll(path: string): Promise<string[]> {
  const src = await openSource(path);
  return (await collect(src.items({}))).map((i) => i.raw.toString("latin1"));
}

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

const MSG1 = "From: a@example.org\nSubject: one\n\nhello\n";
const MSG2 = "From: b@example.org\nSubject: two\n\nworld\n";

describe("mbox", () => {
  it("splits messages, drops the separator and the writer's blank line, records offsets", async () => {
    const sep1 = "From a@example.org Mon Jan  1 00:00:00 2001\n";
    const sep2 = "From b@example.org Tue Jan  2 00:00:00 2001\n";
    const content = sep1 + MSG1 + "\n" + sep2 + MSG2 + "\n";
    const p = file(content);
    const src = await openSource(p);
    expect(src.kind).toBe("mbox");
    expect(src.location).toBe(p);
    expect(await src.count({})).toBeNull();
    const items = await collect(src.items({}));
    expect(items.map((i) => i.raw.toString())).toEqual([MSG1, MSG2]);
    expect(items.map((i) => i.ref)).toEqual([`mbox:${p}#0`, `mbox:${p}#${Buffer.byteLength(sep1 + MSG1 + "\n")}`]);
    expect(items[0].cursor).toBeUndefined();
  });

  it("resolves a relative path to an absolute location and ref", async () => {
    const p = file("From a Mon Jan  1 00:00:00 2001\n" + MSG1);
    const src = await openSource(relative(process.cwd(), p));
    expect(src.location).toBe(p);
    expect((await collect(src.items({})))[0].ref).toBe(`mbox:${p}#0`);
  });

  it("mboxrd: removes one '>' from >From and >>From lines", async () => {
    const body =
      "From: a@example.org\nSubject: quoting\n\n" +
      ">From the beginning\n" +
      ">>From a quote\n" +
      ">>>From deeper\n" +
      "> From is not escaped (space)\n" +
      ">Fromage\n";
    const content = "From a@example.org Mon Jan  1 00:00:00 2001\n" + body + "\n";
    expect(await readAll(file(content))).toEqual([
      "From: a@example.org\nSubject: quoting\n\n" +
        "From the beginning\n" +
        ">From a quote\n" +
        ">>From deeper\n" +
        "> From is not escaped (space)\n" +
        ">Fromage\n",
    ]);
  });

  it("mboxo: unescaped From lines inside bodies stay in the body", async () => {
    const m1 =
      "From: a@example.org\nSubject: body from lines\n\n" +
      "text\nFrom here on, no blank line before: not a separator\n" +
      "\nFrom the blank line but no timestamp: body text\n" +
      "\nFrom me to you at 10:30 but no year: body text\n";
    const content =
      "From a@example.org Mon Jan  1 00:00:00 2001\n" + m1 + "\n" + "From b@example.org Tue Jan  2 00:00:00 2001\n" + MSG2;
    expect(await readAll(file(content))).toEqual([m1, MSG2]);
  });

  it("accepts From_ lines in the common variants, and strict ones without a preceding blank line", async () => {
    const content =
      "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n" +
      MSG1 +
      "\nFrom jane at example.org  Mon Jan  1 00:00:00 2001\n" + // pipermail
      MSG2 +
      "\nFrom 1234567890@xxx Sat Jan 01 00:00:00 +0000 2020\n" + // takeout
      MSG1 +
      "From 8f2c1e0 Mon Sep 17 00:00:00 2001\n" + // no blank line before, but a strict From_ line
      MSG2;
    expect(await readAll(file(content))).toEqual([MSG1, MSG2, MSG1, MSG2]);
  });

  it("keeps extra blank lines of a message (only one writer blank line is dropped) and an unterminated last line", async () => {
    const m1 = "Subject: a\n\nbody\n\n\n";
    const m2 = "Subject: b\n\nno newline at end";
    const content = "From x Mon Jan  1 00:00:00 2001\n" + m1 + "\n" + "From y Mon Jan  1 00:00:00 2001\n" + m2;
    expect(await readAll(file(content))).toEqual([m1, m2]);
  });

  it("handles CRLF files", async () => {
    const crlf = (s: string) => s.replace(/\n/g, "\r\n");
    const m1 = crlf("From: a@example.org\nSubject: one\n\n>From quoted\nbody\n");
    const m2 = crlf(MSG2);
    const sep1 = "From a@example.org Mon Jan  1 00:00:00 2001\r\n";
    const content = sep1 + m1 + "\r\n" + "From b@example.org Tue Jan  2 00:00:00 2001\r\n" + m2 + "\r\n";
    const p = file(content);
    const items = await collect((await openSource(p)).items({}));
    expect(items.map((i) => i.raw.toString())).toEqual([m1.replace(">From", "From"), m2]);
    expect(items[1].ref).toBe(`mbox:${p}#${Buffer.byteLength(sep1 + m1 + "\r\n")}`);
  });

  it("reads gzip files detected by magic bytes, whatever the name", async () => {
    const content = "From a Mon Jan  1 00:00:00 2001\n" + MSG1 + "\nFrom b Mon Jan  1 00:00:00 2001\n" + MSG2;
    const gz = gzipSync(Buffer.from(content));
    expect(await readAll(file(gz, "list.mbox.gz"))).toEqual([MSG1, MSG2]);
    expect(await readAll(file(gz, "no-extension"))).toEqual([MSG1, MSG2]);
    // a .gz name that is not gzip is read as plain text
    expect(await readAll(file(content, "plain.gz"))).toEqual([MSG1, MSG2]);
  });

  it("reports corrupt gzip data as a SourceError", async () => {
    const content = "From a Mon Jan  1 00:00:00 2001\n" + MSG1 + "x".repeat(200_000);
    const gz = gzipSync(Buffer.from(content));
    const p = file(gz.subarray(0, gz.length - 40), "truncated.gz");
    const src = await openSource(p);
    await expect(collect(src.items({}))).rejects.toThrow(SourceError);
  });

  it("empty file: no messages", async () => {
    const p = file("", "empty.mbox");
    const src = await openSource(p);
    expect(src.kind).toBe("mbox");
    expect(await src.count({})).toBe(0);
    expect(await collect(src.items({}))).toEqual([]);
    expect(await readAll(file(gzipSync(Buffer.alloc(0)), "empty.gz"))).toEqual([]);
  });

  it("single .eml file: one message, exact bytes", async () => {
    const eml = "Return-Path: <a@example.org>\r\nFrom: a@example.org\r\nSubject: x\r\n  folded\r\n\r\nFrom the body\r\n";
    const p = file(eml, "one.eml");
    const src = await openSource(p);
    expect(await src.count({})).toBe(1);
    const items = await collect(src.items({}));
    expect(items).toHaveLength(1);
    expect(items[0].raw.toString()).toBe(eml);
    expect(items[0].ref).toBe(`mbox:${p}#0`);
  });

  it("garbage file: SourceError naming the file", async () => {
    const p = file("just some notes\nnot mail at all\n", "notes.txt");
    await expect(openSource(p)).rejects.toThrow(SourceError);
    await expect(openSource(p)).rejects.toThrow(/is not an mbox file, maildir, or public-inbox repository/);
    await expect(openSource(p)).rejects.toThrow(p);
    const bin = file(Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0x0a, 0]), "blob.bin");
    await expect(openSource(bin)).rejects.toThrow(SourceError);
    // "Key: value" text without any mail header is not mail either
    await expect(openSource(file("Name: thing\nColor: blue\n", "props.txt"))).rejects.toThrow(SourceError);
  });

  it("gives the same result whatever the chunking (lines and messages split across chunks)", async () => {
    const content = Buffer.from(
      "From a Mon Jan  1 00:00:00 2001\r\n" +
        "Subject: a\r\n\r\n>From x\r\nbody\r\n\r\n" +
        "From b Mon Jan  1 00:00:00 2001\n" +
        MSG1 +
        "\n\n" +
        "From c Mon Jan  1 00:00:00 2001\n" +
        ">>From y\n" +
        "tail",
    );
    const whole: string[] = [];
    const offsets: number[] = [];
    for await (const m of splitMbox(chunked(content, content.length))) {
      whole.push(m.raw.toString());
      offsets.push(m.offset);
    }
    expect(whole).toHaveLength(3);
    expect(whole[1]).toBe(MSG1 + "\n");
    expect(whole[2]).toBe(">From y\ntail");
    for (const size of [1, 2, 3, 5, 7, 13, 64]) {
      const got: string[] = [];
      const offs: number[] = [];
      for await (const m of splitMbox(chunked(content, size))) {
        got.push(m.raw.toString());
        offs.push(m.offset);
      }
      expect(got, `chunk size ${size}`).toEqual(whole);
      expect(offs, `chunk size ${size}`).toEqual(offsets);
    }
  });

  it("streams large files in chunks (messages bigger than a chunk, many messages)", async () => {
    const big = "Subject: big\n\n" + ("x".repeat(99) + "\n").repeat(30_000); // 3 MB
    const parts: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const m = i % 500 === 7 ? big : `Subject: m${i}\n\nbody ${i}\n`;
      expected.push(m);
      parts.push(`From x Mon Jan  1 00:00:00 2001\n${m}\n`);
    }
    const content = parts.join("");
    const p = file(content, "large.mbox");
    const got = await readAll(p);
    expect(got.length).toBe(2000);
    expect(got).toEqual(expected);
  });

  it("suggests a list name from List-Id, else from the file name", async () => {
    const withListId =
      "From a Mon Jan  1 00:00:00 2001\nFrom: a@example.org\nList-Id: Linux MMC\n <linux-mmc.vger.kernel.org>\n\nbody\n";
    expect((await openMbox(file(withListId, "whatever.mbox"))).suggestedListName()).toBe("linux-mmc");
    expect((await openMbox(file("From a Mon Jan  1 00:00:00 2001\n" + MSG1, "dev-list.mbox.gz"))).suggestedListName()).toBe(
      "dev-list",
    );
    expect((await openMbox(file("From a Mon Jan  1 00:00:00 2001\n" + MSG1, "2023-January.txt"))).suggestedListName()).toBeNull();
  });

  it("stops reading when the consumer stops, and honours an AbortSignal", async () => {
    const content = Array.from({ length: 100 }, (_, i) => `From x Mon Jan  1 00:00:00 2001\nSubject: ${i}\n\nb\n\n`).join("");
    const src = await openSource(file(content));
    let n = 0;
    for await (const _ of src.items({})) {
      if (++n === 3) break;
    }
    expect(n).toBe(3);
    const ac = new AbortController();
    const seen: SourceItem[] = [];
    await expect(
      (async () => {
        for await (const it of src.items({}, ac.signal)) {
          seen.push(it);
          if (seen.length === 2) ac.abort();
        }
      })(),
    ).rejects.toThrow(/abort/i);
    expect(seen).toHaveLength(2);
  });
});

describe("a message over the size limit", () => {
  it("is not assembled: its bytes are counted, not kept, and its neighbours come through whole", async () => {
    const small = (n: number) => `From a@b Mon Jan  1 00:00:00 2024\nMessage-ID: <m${n}@x>\nSubject: s${n}\n\nbody ${n}\n\n`;
    // a 40 MB message fed as 1 MB chunks that are made on demand: nothing here holds 40 MB at once
    const line = "y".repeat(1023) + "\n";
    const chunk = Buffer.from(line.repeat(1024));
    const huge = 40;
    async function* chunks() {
      yield Buffer.from(small(1) + "From a@b Mon Jan  1 00:00:00 2024\nMessage-ID: <big@x>\n\n");
      for (let i = 0; i < huge; i++) yield chunk;
      yield Buffer.from("\n" + small(2));
    }
    const got = [];
    for await (const m of splitMbox(chunks(), undefined, 1024 * 1024)) got.push(m);
    expect(got.map((m) => m.raw.toString().match(/Message-ID: <(\w+)@x>/)?.[1] ?? `${m.raw.length}+${m.size}`)).toEqual(["m1", "0+" + (huge * chunk.length + "Message-ID: <big@x>\n\n".length), "m2"]);
    expect(got[0].size).toBeUndefined();
    expect(got[1].raw.length).toBe(0);
  });

  it("is refused as too-large by the mbox source with its real size", async () => {
    const big = "x".repeat(5000);
    const p = file(`From a@b Mon Jan  1 00:00:00 2024\nMessage-ID: <ok@x>\n\nhi\n\nFrom a@b Mon Jan  1 00:00:00 2024\nMessage-ID: <big@x>\n\n${big}\n`);
    const src = await openMbox(p);
    const items = [];
    for await (const it of src.items({}, undefined, { maxMessageBytes: 1000 })) items.push(it);
    expect(items).toHaveLength(2);
    expect("size" in items[0] ? items[0].size : undefined).toBeUndefined();
    expect(items[1].raw.length).toBe(0);
    expect("size" in items[1] && items[1].size).toBeGreaterThan(5000);
  });
});
