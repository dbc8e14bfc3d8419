import { describe, expect, it } from "vitest";
import { formatBytes, offsetString, senderDate, shortDate } from "./format";
import { decodeSegment, encodeSegment, messageUrl, pageParam } from "./urls";

describe("dates", () => {
  it("shows the sender's own time zone when known", () => {
    expect(senderDate("2024-01-02T14:00:00.000Z", -300)).toBe("2024-01-02 09:00:00 -0500");
    expect(senderDate("2024-01-04T06:30:00.000Z", 330)).toBe("2024-01-04 12:00:00 +0530");
    expect(senderDate("2024-01-04T06:30:00.000Z", null)).toBe("2024-01-04 06:30:00 UTC");
    expect(senderDate(null, 60)).toBe("(no date)");
  });
  it("formats offsets and short UTC dates", () => {
    expect(offsetString(0)).toBe("+0000");
    expect(offsetString(-570)).toBe("-0930");
    expect(shortDate("2024-01-02T03:04:59.000Z")).toBe("2024-01-02 03:04");
    expect(shortDate("garbage")).toBe("");
  });
});

describe("urls", () => {
  it("round-trips Message-IDs with / + % = $ through one path segment", () => {
    for (const id of ["a/b+c%d=e$f@weird.example", "x%41y@z", "plain.123@example.org", "sp ace?#@x"]) {
      const s = encodeSegment(id);
      expect(s).not.toContain("/");
      expect(s).not.toMatch(/[?#\s]/);
      expect(decodeSegment(s)).toBe(id);
      // what Next hands over: the segment re-encoded with encodeURIComponent
      expect(decodeSegment(encodeURIComponent(decodeURIComponent(s)))).toBe(id);
    }
    expect(messageUrl("demo", "a@b.c")).toBe("/demo/a@b.c/");
  });
  it("takes a malformed escape literally", () => {
    expect(decodeSegment("%ZZ")).toBe("%ZZ");
  });
  it("parses ?page", () => {
    expect(pageParam(undefined)).toBe(1);
    expect(pageParam("3")).toBe(3);
    expect(pageParam(["2", "5"])).toBe(2);
    expect(pageParam("-1")).toBe(1);
    expect(pageParam("abc")).toBe(1);
    expect(pageParam("2.7")).toBe(2);
  });
  it("sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1024)).toBe("1.0 KiB");
    expect(formatBytes(50 * 1024)).toBe("50 KiB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MiB");
  });
});
