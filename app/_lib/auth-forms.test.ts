import { describe, expect, it } from "vitest";
import { readForm, safeNext } from "./auth-forms";

describe("safeNext: where to go after signing in", () => {
  it("keeps local paths", () => {
    expect(safeNext("/account")).toBe("/account");
    expect(safeNext("/demo/x@y/T/?a=1#m2")).toBe("/demo/x@y/T/?a=1#m2");
  });
  it("refuses anything that could leave the site", () => {
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/\t/evil.example", "/\n/evil.example", "evil", "", null, undefined, "/" + "a".repeat(3000)]) {
      expect(safeNext(bad), String(bad)).toBe("/account");
    }
  });
});

describe("readForm", () => {
  const post = (body: string, type = "application/x-www-form-urlencoded") => new Request("http://x/", { method: "POST", body, headers: { "content-type": type } });
  it("reads urlencoded forms up to a size", async () => {
    const f = await readForm(post("email=a%40b&password=x+y"));
    expect(f instanceof URLSearchParams && f.get("email")).toBe("a@b");
    expect(((await readForm(post("x=" + "a".repeat(100)), 50)) as Response).status).toBe(413);
    expect(((await readForm(post("{}", "application/json"))) as Response).status).toBe(415);
  });
});
