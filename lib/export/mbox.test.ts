import { describe, expect, it } from "vitest";
import { MBOXRD_FROM_LINE, mboxrd, mboxrdEntry, mboxrdEscape } from "./mbox";

describe("mboxrd", () => {
  it("writes lore's From_ line and quotes /^>*From / lines once more", () => {
    const out = mboxrd([Buffer.from("Subject: a\n\nFrom the start\n>From once\nFromage\n From indented\n")]).toString();
    expect(MBOXRD_FROM_LINE).toBe("From mboxrd@z Thu Jan  1 00:00:00 1970\n");
    expect(out).toBe(MBOXRD_FROM_LINE + "Subject: a\n\n>From the start\n>>From once\nFromage\n From indented\n\n");
  });

  it("ends every message with a line break and a blank line", () => {
    expect(mboxrd([Buffer.from("A: b\n\nno newline"), Buffer.from("A: c\n\nx\n")]).toString()).toBe(
      MBOXRD_FROM_LINE + "A: b\n\nno newline\n\n" + MBOXRD_FROM_LINE + "A: c\n\nx\n\n",
    );
  });

  it("keeps the bytes unless told to turn CRLF into LF", () => {
    const crlf = Buffer.from("A: b\r\n\r\nFrom x\r\n");
    expect(mboxrdEntry(crlf).toString()).toBe(MBOXRD_FROM_LINE + "A: b\r\n\r\n>From x\r\n\n");
    expect(mboxrdEntry(crlf, { lf: true }).toString()).toBe(MBOXRD_FROM_LINE + "A: b\n\n>From x\n\n");
  });

  it("splits lines at LF only, as the reader does: a From after a lone CR is no line start", () => {
    const raw = Buffer.from("x\rFrom y\n");
    expect(mboxrdEscape(raw)).toBe(raw);
    const bytes = Buffer.from([0xe9, 0x0a, 0x46, 0x72, 0x6f, 0x6d, 0x20, 0xff, 0x0a]); // latin1 bytes pass untouched
    expect([...mboxrdEscape(bytes)]).toEqual([0xe9, 0x0a, 0x3e, 0x46, 0x72, 0x6f, 0x6d, 0x20, 0xff, 0x0a]);
  });
});
