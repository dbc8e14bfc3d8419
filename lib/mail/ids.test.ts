import { describe, expect, it } from "vitest";
import { extractIds, syntheticMsgid } from "./ids";

describe("extractIds", () => {
  it("takes <...> tokens in order, unfolding ids folded mid-token", () => {
    expect(extractIds("<a@b>\n <c@\n d> junk").ids).toEqual(["a@b", "c@d"]);
  });
  it("rejects empty and blank-containing ids", () => {
    expect(extractIds("<> <a b@c> <ok@x>")).toEqual({ ids: ["ok@x"], rejected: 2 });
  });
  it("bare tokens: one token, or several that all hold an @", () => {
    expect(extractIds("one-token").ids).toEqual(["one-token"]);
    expect(extractIds("a@b, c@d").ids).toEqual(["a@b", "c@d"]);
    expect(extractIds("a@b and more")).toEqual({ ids: [], rejected: 1 });
  });
});

describe("syntheticMsgid", () => {
  it("is derived from the bytes", () => {
    const id = syntheticMsgid(Buffer.from("x"));
    expect(id).toMatch(/^patchlore-[0-9a-f]{32}@synthetic\.invalid$/);
    expect(syntheticMsgid(Buffer.from("x"))).toBe(id);
  });
});
