import { describe, expect, it } from "vitest";
import { decodeWordsSafe, headerSlice, loneCrToLf, scanHeaders, usesLoneCr } from "./headers";

describe("scanHeaders", () => {
  it("skips leading blank lines and an mbox From line, folds continuation lines, finds the body", () => {
    const raw = Buffer.from("\n\nFrom jane Mon Jan  1 00:00:00 2024\nSubject: a\n  b\nX-Empty:\n\nbody\n");
    const scan = scanHeaders(raw);
    expect(scan.headers.map((h) => [h.name, raw.toString("latin1", h.vs, h.ve)])).toEqual([
      ["subject", " a\n  b"],
      ["x-empty", ""],
    ]);
    expect(raw.toString("latin1", scan.bodyStart)).toBe("body\n");
    expect(scan.malformedLines).toBe(0);
  });
  it("counts lines that are not headers", () => {
    const scan = scanHeaders(Buffer.from("Subject: a\nnot a header\n\n"));
    expect(scan.headers.map((h) => h.name)).toEqual(["subject"]);
    expect(scan.malformedLines).toBe(1);
  });
});

describe("header text", () => {
  it("headerSlice reads raw 8-bit bytes that are not UTF-8 as windows-1252", () => {
    const raw = Buffer.from([0x61, 0x92, 0x62]);
    expect(headerSlice(raw, "mixed", 0, 3)).toBe("a\u2019b");
    expect(headerSlice(Buffer.from("é", "utf8"), "mixed", 0, 2)).toBe("é");
  });
  it("decodeWordsSafe decodes RFC 2047 words and leaves plain text alone", () => {
    expect(decodeWordsSafe("=?utf-8?q?J=C3=A9r=C3=B4me?=")).toBe("Jérôme");
    expect(decodeWordsSafe("plain")).toBe("plain");
  });
  it("lone CR line endings are detected and turned into LF", () => {
    expect(usesLoneCr(Buffer.from("a: b\rc: d\r\r"))).toBe(true);
    expect(usesLoneCr(Buffer.from("a: b\r\nc: d\r\n"))).toBe(false);
    expect(usesLoneCr(Buffer.from("a: b\r\r\nc: d\r\r\n"))).toBe(false);
    expect(loneCrToLf(Buffer.from("a\rb\r\nc")).toString()).toBe("a\nb\r\nc");
  });
});
