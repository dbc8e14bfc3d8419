import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MailParseError, parseMail } from "./parse";

const msg = (s: string): Buffer => Buffer.from(s, "utf8");
const crlf = (s: string): Buffer => Buffer.from(s.replace(/\r?\n/g, "\r\n"), "utf8");
const codes = (p: { problems: { code: string }[] }) => p.problems.map((x) => x.code);

const KERNEL = `Return-Path: <linux-mmc-owner@vger.kernel.org>
Received: from vger.kernel.org (vger.kernel.org [209.132.180.67])
	by mail.lfdr.de (Postfix) with ESMTP id DCC01DA69
	for <lists+linux-mmc@lfdr.de>; Mon, 29 Apr 2019 04:15:27 +0200 (CEST)
From:   Aisheng Dong <Aisheng.Dong@NXP.com>
To:     BOUGH CHEN <haibo.chen@nxp.com>,
        "ulf.hansson@linaro.org" <ulf.hansson@linaro.org>
CC:     dl-linux-imx <linux-imx@nxp.com>,
        "linux-mmc@vger.kernel.org" <linux-mmc@vger.kernel.org>
Subject: RE: [PATCH 1/3] dt-bindings: mmc: fsl-imx-esdhc: add imx7ulp
 compatible string
Date:   Mon, 29 Apr 2019 02:15:23 +0000
Message-ID: <AM0PR04MB421197C7B6280417B466ABAB80390@AM0PR04MB4211.eurprd04.prod.outlook.com>
References: <20190428082727.3419-1-haibo.chen@nxp.com>
In-Reply-To: <20190428082727.3419-1-haibo.chen@nxp.com>
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit
MIME-Version: 1.0
Sender: linux-mmc-owner@vger.kernel.org
Precedence: bulk
List-ID: <linux-mmc.vger.kernel.org>
X-Mailing-List: linux-mmc@vger.kernel.org

> From: BOUGH CHEN
> Sent: Sunday, April 28, 2019 4:33 PM
>  
> Subject: [PATCH 1/3] dt-bindings: mmc: fsl-imx-esdhc: add imx7ulp
 
Reviewed-by: Dong Aisheng <aisheng.dong@nxp.com>

Regards
Dong Aisheng
`;

describe("parseMail: a typical kernel message", () => {
  it("extracts all fields", async () => {
    const p = await parseMail(msg(KERNEL));
    expect(p.msgid).toBe("AM0PR04MB421197C7B6280417B466ABAB80390@AM0PR04MB4211.eurprd04.prod.outlook.com");
    expect(p.syntheticMsgid).toBe(false);
    expect(p.subject).toBe("RE: [PATCH 1/3] dt-bindings: mmc: fsl-imx-esdhc: add imx7ulp compatible string");
    expect(p.threadSubject).toBe("dt-bindings: mmc: fsl-imx-esdhc: add imx7ulp compatible string");
    expect(p.isReply).toBe(true);
    expect(p.from).toEqual({ address: "aisheng.dong@nxp.com", name: "Aisheng Dong" });
    expect(p.to).toEqual([
      { address: "haibo.chen@nxp.com", name: "BOUGH CHEN" },
      // addressparser drops a display name that merely repeats the address
      { address: "ulf.hansson@linaro.org", name: "" },
    ]);
    expect(p.cc.map((a) => a.address)).toEqual(["linux-imx@nxp.com", "linux-mmc@vger.kernel.org"]);
    expect(p.date).toBe("2019-04-29T02:15:23.000Z");
    expect(p.tzOffsetMinutes).toBe(0);
    expect(p.dateHeader).toBe("Mon, 29 Apr 2019 02:15:23 +0000");
    expect(p.inReplyTo).toBe("20190428082727.3419-1-haibo.chen@nxp.com");
    expect(p.references).toEqual(["20190428082727.3419-1-haibo.chen@nxp.com"]);
    expect(p.listId).toBe("linux-mmc.vger.kernel.org");
    expect(p.headers[0]).toEqual(["return-path", "<linux-mmc-owner@vger.kernel.org>"]);
    expect(p.headers[1][0]).toBe("received");
    expect(p.headers[1][1]).toBe(
      "from vger.kernel.org (vger.kernel.org [209.132.180.67])\tby mail.lfdr.de (Postfix) with ESMTP id DCC01DA69\tfor <lists+linux-mmc@lfdr.de>; Mon, 29 Apr 2019 04:15:27 +0200 (CEST)",
    );
    expect(p.headers.map((h) => h[0])).toContain("x-mailing-list");
    expect(p.headers.length).toBe(17);
    // text kept exactly, including the trailing blanks of "> " and " "
    expect(p.text).toBe(KERNEL.slice(KERNEL.indexOf("\n\n") + 2));
    expect(p.text).toContain(">  \n");
    expect(p.text).toContain("\n \n");
    expect(p.textFromHtml).toBe(false);
    expect(p.attachments).toEqual([]);
    expect(p.size).toBe(Buffer.byteLength(KERNEL));
    expect(p.problems).toEqual([]);
    expect(p.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("CRLF input gives the same text and hash", async () => {
    const a = await parseMail(msg(KERNEL));
    const b = await parseMail(crlf(KERNEL));
    expect(b.text).toBe(a.text);
    expect(b.contentHash).toBe(a.contentHash);
    expect(b.headers).toEqual(a.headers);
    expect(b.subject).toBe(a.subject);
  });
});

describe("contentHash", () => {
  const base = `Message-ID: <a@b>
Subject: hello
From: A <a@example.org>
Date: Mon, 29 Apr 2019 02:15:23 +0000
To: b@example.org

line one
line two  
`;
  it("ignores transport headers, line endings and trailing blanks", async () => {
    const a = await parseMail(msg(base));
    const variant =
      "Received: from x by y; Mon, 29 Apr 2019 02:15:24 +0000\nX-Spam: yes\nList-Id: <l.example.org>\nList-Archive: <https://lore>\n" +
      base.replace("line two  \n", "line two\n\n\n");
    const b = await parseMail(crlf(variant));
    expect(b.contentHash).toBe(a.contentHash);
  });
  it("ignores a missing final line break", async () => {
    const a = await parseMail(msg(base));
    const b = await parseMail(msg(base.replace(/\n$/, "")));
    expect(b.contentHash).toBe(a.contentHash);
  });
  it("is stable against re-folding of identity headers", async () => {
    const a = await parseMail(msg(base.replace("Subject: hello", "Subject: hello world again")));
    const b = await parseMail(msg(base.replace("Subject: hello", "Subject: hello\n world\n\tagain")));
    expect(b.contentHash).toBe(a.contentHash);
  });
  it("changes with the body and with identity headers", async () => {
    const a = await parseMail(msg(base));
    expect((await parseMail(msg(base.replace("line one", "line 1")))).contentHash).not.toBe(a.contentHash);
    expect((await parseMail(msg(base.replace("Subject: hello", "Subject: hello!")))).contentHash).not.toBe(a.contentHash);
    expect((await parseMail(msg(base.replace("To: b@", "To: c@")))).contentHash).not.toBe(a.contentHash);
    // leading whitespace inside a line is significant
    expect((await parseMail(msg(base.replace("line one", " line one")))).contentHash).not.toBe(a.contentHash);
  });
});

describe("Message-ID", () => {
  const body = "Subject: x\nFrom: a@b.c\nDate: Mon, 29 Apr 2019 02:15:23 +0000\n";
  it("synthesizes a deterministic id when missing", async () => {
    const raw = msg(body + "\nhello\n");
    const p = await parseMail(raw);
    const want = `patchlore-${createHash("sha256").update(raw).digest("hex").slice(0, 32)}@synthetic.invalid`;
    expect(p.msgid).toBe(want);
    expect(p.syntheticMsgid).toBe(true);
    expect(codes(p)).toContain("missing-message-id");
    expect((await parseMail(raw)).msgid).toBe(want);
  });
  it("treats empty, whitespace and overlong ids as unusable", async () => {
    for (const v of ["", "<>", "<foo bar@baz>", `<${"x".repeat(990)}@example.org>`, "<a\u0001b@c>"]) {
      const p = await parseMail(msg(`Message-ID: ${v}\n${body}\nx\n`));
      expect(p.syntheticMsgid, v).toBe(true);
      expect(codes(p), v).toContain("bad-message-id");
    }
  });
  it("strips brackets and blanks, keeps case, takes the first well-formed id", async () => {
    expect((await parseMail(msg(`Message-ID:   < Foo.Bar@Example.ORG >  \n${body}\n`))).msgid).toBe("Foo.Bar@Example.ORG");
    expect((await parseMail(msg(`Message-ID: <bad id> <Good@x>\n${body}\n`))).msgid).toBe("Good@x");
    expect((await parseMail(msg(`Message-ID:\n <folded@x>\n${body}\n`))).msgid).toBe("folded@x");
    expect((await parseMail(msg(`Message-ID: bare-id@example.org\n${body}\n`))).msgid).toBe("bare-id@example.org");
    expect((await parseMail(msg(`Message-ID: <ok@x> (comment)\n${body}\n`))).msgid).toBe("ok@x");
  });
});

describe("References / In-Reply-To", () => {
  const head = "Message-ID: <self@x>\nSubject: Re: x\nFrom: a@b.c\nDate: Mon, 29 Apr 2019 02:15:23 +0000\n";
  it("orders References then In-Reply-To, dedups, removes self", async () => {
    const p = await parseMail(
      msg(head + "References: <r1@x> <r2@x>\n <r1@x>\tgarbage <self@x>,<r3@x>\nIn-Reply-To: <r4@x> (Jane's message of \"Mon, 1 Jan 2019\")\n\n"),
    );
    expect(p.references).toEqual(["r1@x", "r2@x", "r3@x", "r4@x"]);
    expect(p.inReplyTo).toBe("r4@x");
  });
  it("does not duplicate In-Reply-To that is already in References", async () => {
    const p = await parseMail(msg(head + "References: <r1@x> <r2@x>\nIn-Reply-To: <r2@x>\n\n"));
    expect(p.references).toEqual(["r1@x", "r2@x"]);
  });
  it("takes only the first In-Reply-To id", async () => {
    const p = await parseMail(msg(head + "In-Reply-To: <r9@x> from \"Jane\" <jane@example.org>\n\n"));
    expect(p.inReplyTo).toBe("r9@x");
    expect(p.references).toEqual(["r9@x"]);
  });
  it("accepts bare ids without brackets", async () => {
    const p = await parseMail(msg(head + "In-Reply-To: r5@x\n\n"));
    expect(p.inReplyTo).toBe("r5@x");
    const q = await parseMail(msg(head + "References: r6@x r7@x\n\n"));
    expect(q.references).toEqual(["r6@x", "r7@x"]);
    const junk = await parseMail(msg(head + "In-Reply-To: your message of Monday\n\n"));
    expect(junk.inReplyTo).toBeNull();
    expect(junk.references).toEqual([]);
  });
  it("joins ids folded in the middle", async () => {
    const p = await parseMail(msg(head + "References: <a-very-long-message-id-that-was\n folded@example.org>\n\n"));
    expect(p.references).toEqual(["a-very-long-message-id-that-wasfolded@example.org"]);
  });
  it("caps at 1000 keeping the first and the most recent ones", async () => {
    const ids = Array.from({ length: 1500 }, (_, i) => `<id${i}@x>`).join("\n ");
    const p = await parseMail(msg(head + `References: ${ids}\n\n`));
    expect(p.references.length).toBe(1000);
    expect(p.references[0]).toBe("id0@x");
    expect(p.references[1]).toBe("id501@x");
    expect(p.references[999]).toBe("id1499@x");
    expect(codes(p)).toContain("references-capped");
  });
  it("is empty without headers", async () => {
    const p = await parseMail(msg(head + "\nbody\n"));
    expect(p.references).toEqual([]);
    expect(p.inReplyTo).toBeNull();
  });
});

describe("dates", () => {
  const head = "Message-ID: <d@x>\nSubject: x\nFrom: a@b.c\n";
  it("parses named zones", async () => {
    const p = await parseMail(msg(head + "Date: Tue, 5 Mar 02 10:00 EST\n\n"));
    expect(p.date).toBe("2002-03-05T15:00:00.000Z");
    expect(p.tzOffsetMinutes).toBe(-300);
  });
  it("keeps absurd dates with a problem", async () => {
    const p = await parseMail(msg(head + "Date: Thu, 01 Jan 1920 00:00:00 +0000\n\n"));
    expect(p.date).toBe("1920-01-01T00:00:00.000Z");
    expect(codes(p)).toContain("absurd-date");
    const f = await parseMail(msg(head + "Date: Thu, 01 Jan 2199 00:00:00 +0000\n\n"));
    expect(f.date).toBe("2199-01-01T00:00:00.000Z");
    expect(codes(f)).toContain("absurd-date");
  });
  it("null + bad-date for garbage", async () => {
    const p = await parseMail(msg(head + "Date: yesterday-ish\n\n"));
    expect(p.date).toBeNull();
    expect(p.tzOffsetMinutes).toBeNull();
    expect(p.dateHeader).toBe("yesterday-ish");
    expect(codes(p)).toContain("bad-date");
  });
  it("missing date", async () => {
    const p = await parseMail(msg(head + "\n"));
    expect(p.date).toBeNull();
    expect(p.dateHeader).toBeNull();
    expect(codes(p)).toContain("missing-date");
  });
});

describe("addresses and encoded words", () => {
  it("decodes RFC 2047 names and subjects", async () => {
    const p = await parseMail(
      msg(
        "Message-ID: <e@x>\n" +
          "From: =?iso-8859-2?q?Micha=B3_Miros=B3aw?= <MIRQ-linux@rere.qmqm.pl>\n" +
          "To: =?UTF-8?B?Q2hyaXN0aWFuIEzDtmhsZQ==?= <CLoehle@hyperstone.com>, \"Doe, John\" <jd@x.org>\n" +
          "Subject: =?UTF-8?Q?Re=3A_=5BPATCH=5D_mmc=3A_f=C3=BCr?=\n =?UTF-8?Q?_alle?=\n" +
          "Date: Mon, 29 Apr 2019 02:15:23 +0000\n\nx\n",
      ),
    );
    expect(p.from).toEqual({ address: "mirq-linux@rere.qmqm.pl", name: "Michał Mirosław" });
    expect(p.to).toEqual([
      { address: "cloehle@hyperstone.com", name: "Christian Löhle" },
      { address: "jd@x.org", name: "Doe, John" },
    ]);
    expect(p.subject).toBe("Re: [PATCH] mmc: für alle");
    expect(p.isReply).toBe(true);
    expect(p.headers.find((h) => h[0] === "from")![1]).toBe("Michał Mirosław <MIRQ-linux@rere.qmqm.pl>");
  });
  it("tolerates groups, empty groups, broken and duplicate addresses", async () => {
    const p = await parseMail(
      msg(
        "Message-ID: <g@x>\nFrom: broken\nTo: undisclosed-recipients:;\n" +
          "Cc: Team: a@x.org, B <b@x.org>;, , <>, a@x.org, \"Only Name\"\nCc: c@x.org\n" +
          "Subject: x\nDate: Mon, 29 Apr 2019 02:15:23 +0000\n\n",
      ),
    );
    expect(p.to).toEqual([]);
    expect(p.cc.map((a) => a.address)).toEqual(["a@x.org", "b@x.org", "c@x.org"]);
    expect(p.from).toEqual({ address: "", name: "broken" });
    expect(codes(p)).toContain("bad-from");
  });
  it("missing From", async () => {
    const p = await parseMail(msg("Message-ID: <nf@x>\nSubject: x\n\n"));
    expect(p.from).toEqual({ address: "", name: "" });
    expect(codes(p)).toContain("missing-from");
  });
  it("reads raw 8-bit latin-1 headers as windows-1252", async () => {
    const raw = Buffer.concat([
      Buffer.from("Message-ID: <l1@x>\nFrom: "),
      Buffer.from([0x4a, 0xf6, 0x72, 0x67]), // "Jörg" in latin-1
      Buffer.from(" <j@x.org>\nSubject: x\n\nbody\n"),
    ]);
    const p = await parseMail(raw);
    expect(p.from).toEqual({ address: "j@x.org", name: "Jörg" });
    expect(codes(p)).toContain("bad-header-charset");
  });
});

describe("body decoding", () => {
  const head = "Message-ID: <b@x>\nSubject: x\nFrom: a@b.c\nDate: Mon, 29 Apr 2019 02:15:23 +0000\nMIME-Version: 1.0\n";
  it("quoted-printable + iso-8859-1", async () => {
    const p = await parseMail(
      msg(head + "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe, a long=\n line=20\n=3D end\n"),
    );
    expect(p.text).toBe("Grüße, a long line \n= end\n");
  });
  it("windows-1252 punctuation", async () => {
    const raw = Buffer.concat([
      Buffer.from(head + "Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\nWhat"),
      Buffer.from([0x92, 0x73, 0x20, 0x80, 0x0a]),
    ]);
    expect((await parseMail(raw)).text).toBe("What’s €\n");
  });
  it("base64 utf-8 with CRLF", async () => {
    const b64 = Buffer.from("diff --git a/x b/x\r\n+trailing  \r\n").toString("base64");
    const p = await parseMail(msg(head + `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${b64}\n`));
    expect(p.text).toBe("diff --git a/x b/x\n+trailing  \n");
  });
  it("format=flowed", async () => {
    const p = await parseMail(msg(head + "Content-Type: text/plain; charset=utf-8; format=flowed\n\nThis is \nflowed.\n>> quoted\n"));
    // libmime.decodeFlowed (what mailparser uses) drops the final line break
    expect(p.text).toBe("This is flowed.\n>> quoted");
  });
  it("undeclared 8-bit latin-1 body falls back to windows-1252", async () => {
    const raw = Buffer.concat([Buffer.from(head + "\nk"), Buffer.from([0xf6]), Buffer.from("nnen\n")]);
    const p = await parseMail(raw);
    expect(p.text).toBe("können\n");
    expect(codes(p)).toContain("bad-charset");
  });
  it("unknown charset is reported and decoded as UTF-8", async () => {
    const p = await parseMail(msg(head + "Content-Type: text/plain; charset=x-no-such-charset\n\nhällo\n"));
    expect(p.text).toBe("hällo\n");
    expect(codes(p)).toContain("bad-charset");
  });
  it("removes NUL bytes", async () => {
    const p = await parseMail(msg(head + "\na\u0000b\n"));
    expect(p.text).toBe("ab\n");
    expect(codes(p)).toContain("nul-bytes");
  });
  it("headers only, no body", async () => {
    const p = await parseMail(msg("Message-ID: <h@x>\nSubject: only headers"));
    expect(p.subject).toBe("only headers");
    expect(p.text).toBe("");
  });
  it("tolerates an mbox From_ line and leading blank lines", async () => {
    const p = await parseMail(msg("\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <m@x>\nSubject: s\n\nbody\n"));
    expect(p.msgid).toBe("m@x");
    expect(p.text).toBe("body\n");
    expect(p.headers[0][0]).toBe("message-id");
  });
  it("ignores malformed header lines with a problem", async () => {
    const p = await parseMail(msg("Message-ID: <mh@x>\nthis is not a header\nSubject: s\n\nbody\n"));
    expect(p.subject).toBe("s");
    expect(codes(p)).toContain("malformed-header-line");
  });
});

describe("MIME via mailparser", () => {
  const head = "Message-ID: <mime@x>\nSubject: [PATCH] x\nFrom: a@b.c\nDate: Mon, 29 Apr 2019 02:15:23 +0000\nMIME-Version: 1.0\n";
  const patch = "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-old \n+new\t\n";

  it("text/x-patch attachment gets its text", async () => {
    const raw = msg(
      head +
        'Content-Type: multipart/mixed; boundary="BB"\n\n--BB\nContent-Type: text/plain; charset=utf-8\n\nSee attached.\n' +
        '--BB\nContent-Type: text/x-patch; charset=utf-8; name="0001-fix.patch"\nContent-Disposition: inline; filename="0001-fix.patch"\nContent-Transfer-Encoding: base64\n\n' +
        Buffer.from(patch).toString("base64") +
        "\n--BB--\n",
    );
    const p = await parseMail(raw);
    expect(p.text).toBe("See attached.");
    expect(p.attachments).toHaveLength(1);
    const a = p.attachments[0];
    expect(a.filename).toBe("0001-fix.patch");
    expect(a.contentType).toBe("text/x-patch");
    expect(a.disposition).toBe("inline");
    expect(a.text).toBe(patch);
    expect(a.size).toBe(Buffer.byteLength(patch));
    expect(a.sha256).toBe(createHash("sha256").update(patch).digest("hex"));
  });

  it("inline text/plain named *.diff moves from text to attachments", async () => {
    const raw = msg(
      head +
        'Content-Type: multipart/mixed; boundary="BB"\n\n--BB\nContent-Type: text/plain; charset=utf-8\n\nHi,\n' +
        '--BB\nContent-Type: text/plain; charset=utf-8\nContent-Disposition: inline; filename="fix.diff"\n\n' +
        patch +
        "--BB--\n",
    );
    const p = await parseMail(raw);
    expect(p.text).toBe("Hi,");
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0].filename).toBe("fix.diff");
    expect(p.attachments[0].text).toBe(patch.replace(/\n$/, ""));
  });

  it("binary attachments have no text", async () => {
    const raw = msg(
      head +
        'Content-Type: multipart/mixed; boundary="BB"\n\n--BB\nContent-Type: text/plain\n\nlog attached\n' +
        '--BB\nContent-Type: application/octet-stream; name="dmesg.bin"\nContent-Disposition: attachment; filename="dmesg.bin"\nContent-Transfer-Encoding: base64\n\nAAECAw==\n--BB--\n',
    );
    const p = await parseMail(raw);
    expect(p.attachments).toEqual([
      {
        filename: "dmesg.bin",
        contentType: "application/octet-stream",
        size: 4,
        sha256: createHash("sha256").update(Buffer.from([0, 1, 2, 3])).digest("hex"),
        text: null,
        disposition: "attachment",
      },
    ]);
  });

  it("multipart/alternative prefers text/plain", async () => {
    const raw = msg(
      head +
        'Content-Type: multipart/alternative; boundary="AA"\n\n--AA\nContent-Type: text/plain; charset=utf-8\n\nplain text\n' +
        "--AA\nContent-Type: text/html; charset=utf-8\n\n<p>html <b>text</b></p>\n--AA--\n",
    );
    const p = await parseMail(raw);
    expect(p.text).toBe("plain text");
    expect(p.textFromHtml).toBe(false);
  });

  it("HTML-only mail gets text from HTML", async () => {
    const p = await parseMail(msg(head + "Content-Type: text/html; charset=utf-8\n\n<html><body><p>Hello <b>world</b></p><p>Second</p></body></html>\n"));
    expect(p.textFromHtml).toBe(true);
    expect(p.text).toContain("Hello world");
    expect(p.text).toContain("Second");
  });

  it("HTML alternative whose text/plain is only an attachment still gets text", async () => {
    const raw = msg(
      head +
        'Content-Type: multipart/mixed; boundary="CC"\n\n--CC\nContent-Type: text/html\n\n<p>only html</p>\n' +
        '--CC\nContent-Type: text/plain\nContent-Disposition: attachment; filename="notes.txt"\n\nnotes\n--CC--\n',
    );
    const p = await parseMail(raw);
    expect(p.textFromHtml).toBe(true);
    expect(p.text).toContain("only html");
  });

  it("multipart/signed", async () => {
    const raw = msg(
      head +
        'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="SS"\n\n' +
        "--SS\nContent-Type: text/plain; charset=us-ascii\nContent-Disposition: inline\n\nsigned body  \n\n" +
        '--SS\nContent-Type: application/pgp-signature; name="signature.asc"\n\n-----BEGIN PGP SIGNATURE-----\nxx\n-----END PGP SIGNATURE-----\n--SS--\n',
    );
    const p = await parseMail(raw);
    expect(p.text).toBe("signed body  \n");
    expect(p.attachments.map((a) => a.contentType)).toEqual(["application/pgp-signature"]);
  });

  it("multipart after an mbox From_ line", async () => {
    const raw = msg(
      "From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
        head +
        'Content-Type: multipart/mixed; boundary="BB"\n\n--BB\nContent-Type: text/plain\n\nhello\n--BB--\n',
    );
    const p = await parseMail(raw);
    expect(p.text).toBe("hello");
    expect(p.msgid).toBe("mime@x");
  });

  it("broken multipart (no boundary) does not throw", async () => {
    const p = await parseMail(msg(head + "Content-Type: multipart/mixed\n\nwhatever\n"));
    expect(typeof p.text).toBe("string");
  });
});

describe("limits and errors", () => {
  it("caps headers and header values", async () => {
    const many = Array.from({ length: 2100 }, (_, i) => `X-H${i}: v`).join("\n");
    const p = await parseMail(msg(`Message-ID: <cap@x>\nX-Big: ${"y".repeat(70 * 1024)}\n${many}\n\nb\n`));
    expect(p.headers.length).toBe(2000);
    expect(p.headers[1][1].length).toBe(64 * 1024);
    expect(codes(p)).toEqual(expect.arrayContaining(["headers-capped", "header-value-capped"]));
  });
  it("throws MailParseError for non-messages", async () => {
    await expect(parseMail(Buffer.alloc(0))).rejects.toBeInstanceOf(MailParseError);
    await expect(parseMail(msg("just some text\nwithout any header\n\nat all\n"))).rejects.toMatchObject({ code: "no-headers" });
    await expect(parseMail(msg("\n\n\n"))).rejects.toMatchObject({ code: "no-headers" });
  });
  it("never throws for junk after a header", async () => {
    const junk = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    const p = await parseMail(Buffer.concat([Buffer.from("Subject: junk\nContent-Type: multipart/mixed; boundary=x\n\n"), junk]));
    expect(p.subject).toBe("junk");
    expect(p.syntheticMsgid).toBe(true);
  });
  it("listId is null without List-Id, lower-cased otherwise", async () => {
    expect((await parseMail(msg("Message-ID: <l@x>\n\n"))).listId).toBeNull();
    expect((await parseMail(msg("Message-ID: <l@x>\nList-Id: Linux MMC <Linux-MMC.vger.kernel.org>\n\n"))).listId).toBe("linux-mmc.vger.kernel.org");
    expect((await parseMail(msg("Message-ID: <l@x>\nList-Id: linux-mmc.vger.kernel.org\n\n"))).listId).toBe("linux-mmc.vger.kernel.org");
  });
  it("result is structured-clone safe", async () => {
    const p = await parseMail(msg(KERNEL));
    expect(structuredClone(p)).toEqual(p);
  });
});

// Regressions from the hostile corpus (test/hostile/, issue 8): each of these broke an ingest run
// (PostgreSQL rejected the batch) or lost data silently.
describe("hostile input (issue 8)", () => {
  const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const hasLone = (p: unknown): boolean => {
    let found = false;
    JSON.stringify(p, (_k, v) => {
      if (typeof v === "string" && LONE.test(v)) found = true;
      return v;
    });
    return found;
  };
  const base = "Message-ID: <h@x>\nFrom: A <a@x.org>\nDate: Mon, 29 Apr 2019 02:15:23 +0000\n";

  it("never returns lone surrogates (utf-7 / utf-32 bodies, utf-16 encoded words)", async () => {
    // PostgreSQL's json parser rejects "\ud83d" written by JSON.stringify: the whole batch failed
    const utf7 = await parseMail(msg(base + "Subject: =?utf-7?q?lone_+2D0-_half?=\nContent-Type: text/plain; charset=utf-7\n\nlone +2D0- surrogate\n"));
    expect(hasLone(utf7)).toBe(false);
    expect(utf7.text).toBe("lone \ufffd surrogate\n");
    expect(utf7.subject).toBe("lone \ufffd half");
    const utf32 = await parseMail(Buffer.concat([msg(base + "Content-Type: text/plain; charset=utf-32le\nContent-Transfer-Encoding: base64\n\n"), Buffer.from(Buffer.from([0x41, 0, 0, 0, 0, 0xd8, 0, 0]).toString("base64") + "\n")]));
    expect(hasLone(utf32)).toBe(false);
    const utf16 = await parseMail(msg("Message-ID: <h@x>\nFrom: =?utf-16be?b?2D0=?= <u@x.org>\nSubject: =?utf-16be?b?2D0=?= x\n\nb\n"));
    expect(hasLone(utf16)).toBe(false);
    expect(utf16.from.address).toBe("u@x.org");
    // pairs stay pairs
    const ok = await parseMail(msg(base + "Subject: =?utf-8?b?8J+YgA==?=\n\n\u{1F600}\n"));
    expect(ok.subject).toBe("\u{1F600}");
    expect(ok.text).toBe("\u{1F600}\n");
  });

  it("drops dates after the year 9999 (PostgreSQL cannot read +010000-...) and flags the epoch", async () => {
    const far = await parseMail(msg("Message-ID: <d@x>\nDate: Sat, 01 Jan 10000 00:00:00 +0000\n\nb\n"));
    expect(far.date).toBeNull();
    expect(far.tzOffsetMinutes).toBeNull();
    expect(far.dateHeader).toBe("Sat, 01 Jan 10000 00:00:00 +0000");
    expect(codes(far)).toContain("absurd-date");
    const y9999 = await parseMail(msg("Message-ID: <d@x>\nDate: Fri, 31 Dec 9999 23:59:59 +0000\n\nb\n"));
    expect(y9999.date).toBe("9999-12-31T23:59:59.000Z");
    const epoch = await parseMail(msg("Message-ID: <d@x>\nDate: Thu, 1 Jan 1970 00:00:00 +0000\n\nb\n"));
    expect(epoch.date).toBe("1970-01-01T00:00:00.000Z");
    expect(codes(epoch)).toContain("absurd-date");
  });

  it("limits Message-IDs and references by UTF-8 bytes, not characters", async () => {
    // 990 astral characters = 3,960 bytes: over PostgreSQL's 2,704-byte btree entry limit of the
    // unique index on message.msgid ("index row size exceeds btree maximum")
    const big = "\u{10400}".repeat(990);
    const p = await parseMail(msg(`Message-ID: <${big}>\nReferences: <${big}> <ok@x>\n\nb\n`));
    expect(p.syntheticMsgid).toBe(true);
    expect(codes(p)).toContain("bad-message-id");
    expect(p.references).toEqual(["ok@x"]);
    const over = "é".repeat(497) + "@x"; // 499 characters, 996 bytes: too long
    expect((await parseMail(msg(`Message-ID: <${over}>\n\nb\n`))).syntheticMsgid).toBe(true);
    const fits = "é".repeat(496) + "@x"; // 994 bytes
    expect((await parseMail(msg(`Message-ID: <${fits}>\n\nb\n`))).msgid).toBe(fits);
  });

  it("caps the subject, and the thread subject key by bytes (btree-indexed)", async () => {
    const long = "\u{10400}".repeat(25_000);
    const p = await parseMail(msg(`${base}Subject: ${long}\n\nb\n`));
    expect([...p.subject].length).toBe(500); // 1000 UTF-16 units
    expect(p.subject.length).toBe(1000);
    expect(Buffer.byteLength(p.threadSubject)).toBeLessThanOrEqual(1000);
    expect(hasLone(p)).toBe(false);
    expect(codes(p)).toContain("subject-capped");
    const ascii = await parseMail(msg(`${base}Subject: ${"word ".repeat(20_000)}\n\nb\n`));
    expect(ascii.subject.length).toBeLessThanOrEqual(1000);
    expect(ascii.headers.find(([n]) => n === "subject")![1].length).toBeGreaterThan(1000); // full value kept there
  });

  it("refuses addresses that are too long or have no local part / domain", async () => {
    const p = await parseMail(msg(`Message-ID: <a@x>\nFrom: Long <${"\u{10400}".repeat(3000)}@x.org>\nTo: <${"b".repeat(300)}@x.org>, ok@x.org, <@x.org>, <y@>\n\nb\n`));
    expect(p.from).toEqual({ address: "", name: "Long" });
    expect(codes(p)).toContain("bad-from");
    expect(p.to.map((a) => a.address)).toEqual(["ok@x.org"]);
    expect((await parseMail(msg("Message-ID: <a@x>\nFrom: @\n\nb\n"))).from.address).toBe("");
    expect((await parseMail(msg(`Message-ID: <a@x>\nFrom: <${"a".repeat(64)}@${"d".repeat(189)}>\n\nb\n`))).from.address).toHaveLength(254);
  });

  it("reads CR-only line endings", async () => {
    const lf = "Message-ID: <cr@x>\nFrom: A <a@x.org>\nSubject: old mac\nDate: Mon, 29 Apr 2019 02:15:23 +0000\n\nline one\nline two\n";
    const p = await parseMail(msg(lf.replace(/\n/g, "\r")));
    expect(p.msgid).toBe("cr@x");
    expect(p.subject).toBe("old mac");
    expect(p.from.address).toBe("a@x.org");
    expect(p.text).toBe("line one\nline two\n");
    expect(codes(p)).toContain("cr-line-endings");
    expect(p.size).toBe(Buffer.byteLength(lf));
    expect(p.contentHash).toBe((await parseMail(msg(lf))).contentHash);
    // CRLF converted twice ("\r\r\n") is not CR-only
    const twice = await parseMail(msg(lf.replace(/\n/g, "\r\r\n")));
    expect(codes(twice)).not.toContain("cr-line-endings");
    expect(twice.subject).toBe("old mac");
    expect(twice.from.address).toBe("a@x.org");
    expect(twice.text).toMatch(/^line one\r?\nline two/); // the empty "\r\r\n" line ended the header block
    // a lone CR inside an LF message is left alone
    const mixed = await parseMail(msg(lf.replace("line one", "line\rone")));
    expect(codes(mixed)).not.toContain("cr-line-endings");
    expect(mixed.text).toBe("line\rone\nline two\n");
  });

  it("decoded header values never contain line breaks or NUL (header injection)", async () => {
    const p = await parseMail(msg(`${base}Subject: =?utf-8?q?a=0D=0ABcc:_victim@x.org=0D=0A=0D=0Abody?=\nX-N: =?utf-8?q?n=00ul?=\n\nb\n`));
    for (const [, v] of p.headers) expect(v).not.toMatch(/[\r\n\0]/);
    expect(p.headers.find(([n]) => n === "subject")![1]).toBe("a Bcc: victim@x.org body");
    expect(p.subject).toBe("a Bcc: victim@x.org body");
  });

  it("keeps the body as raw text when no MIME part can be read", async () => {
    for (const ct of ["multipart/mixed", 'multipart/mixed; boundary=""', 'multipart/mixed; boundary="never"']) {
      const p = await parseMail(msg(`${base}MIME-Version: 1.0\nContent-Type: ${ct}\n\n--\nContent-Type: text/plain\n\nthe words\n----\n`));
      expect(p.text, ct).toContain("the words");
      expect(codes(p), ct).toContain("mime-fallback");
    }
    const parts = Array.from({ length: 5000 }, (_, i) => `--p\nContent-Type: text/plain\n\npart ${i}\n`).join("") + "--p--\n";
    const many = await parseMail(msg(`${base}Content-Type: multipart/mixed; boundary="p"\n\n${parts}`));
    expect(many.text).toContain("part 4999");
    // an empty multipart body stays empty, without a problem
    const empty = await parseMail(msg(`${base}Content-Type: multipart/mixed; boundary="e"\n\n\n`));
    expect(empty.text).toBe("");
    expect(codes(empty)).not.toContain("mime-fallback");
  });

  it("strips deeply nested or huge HTML instead of converting it (stack overflow, seconds per message)", async () => {
    const t0 = Date.now();
    const deep = await parseMail(msg(`${base}Content-Type: text/html\n\n${"<div>".repeat(50_000)}deep <b>text</b>${"</div>".repeat(50_000)}\n`));
    expect(deep.text).toBe("deep text");
    expect(deep.textFromHtml).toBe(true);
    expect(codes(deep)).toContain("html-too-deep");
    const scripts = await parseMail(msg(`${base}Content-Type: text/html\n\n${"<i>".repeat(2000)}<script>alert(1)</script><style>p{}</style><!-- c -->a &amp; b &#x263A;<p>next\n`));
    expect(scripts.text).toBe("a & b \u263a\nnext");
    const huge = await parseMail(msg(`${base}Content-Type: text/html\n\n<p>${"x".repeat(5 * 1024 * 1024)}</p>\n`));
    expect(huge.text.length).toBe(5 * 1024 * 1024);
    expect(codes(huge)).toContain("html-too-long");
    expect(Date.now() - t0).toBeLessThan(5000);
    // ordinary HTML still goes through html-to-text
    const normal = await parseMail(msg(`${base}Content-Type: text/html\n\n<p>Hello <a href="https://x.org">there</a></p>\n`));
    expect(codes(normal)).toEqual([]);
    expect(normal.text).toContain("Hello");
  });
});

describe("format=flowed", () => {
  it("joins soft breaks only within one quote depth, so a trailer under a quote stays unquoted", async () => {
    const { decodeFlowed } = await import("./parse");
    expect(decodeFlowed("> quoted line ends in a space \nReviewed-by: A <a@example.org>\n", false)).toBe(
      "> quoted line ends in a space \nReviewed-by: A <a@example.org>",
    );
    expect(decodeFlowed("one \ntwo\n>> a \n>> b\n-- \nsig", false)).toBe("one two\n>> a b\n-- \nsig");
    expect(decodeFlowed("one \ntwo", true)).toBe("onetwo");
    expect(decodeFlowed(" From space-stuffed", false)).toBe("From space-stuffed");
  });
});
