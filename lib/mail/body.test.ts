import { describe, expect, it } from "vitest";
import { decodeTransfer, hasVisibleBytes } from "./body";

describe("decodeTransfer", () => {
  it("quoted-printable: escapes, soft line breaks, a literal '=' kept", () => {
    expect(decodeTransfer(Buffer.from("caf=C3=A9 =\nsoft=\r\nbreak a=b =zz"), "quoted-printable").toString("utf8")).toBe("café softbreak a=b =zz");
  });
  it("base64, and identity for 7bit/8bit", () => {
    expect(decodeTransfer(Buffer.from("aGVsbG8=\n"), "base64").toString()).toBe("hello");
    expect(decodeTransfer(Buffer.from("as is"), "8bit").toString()).toBe("as is");
  });
});

describe("hasVisibleBytes", () => {
  it("is false for blanks and line breaks only", () => {
    expect(hasVisibleBytes(Buffer.from("h: v\n\n \t\r\n"), 5)).toBe(false);
    expect(hasVisibleBytes(Buffer.from("h: v\n\n x"), 5)).toBe(true);
  });
});
