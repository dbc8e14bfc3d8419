import { describe, expect, it } from "vitest";
import { isStatementTimeout, statementTimeoutMs } from "./timeout";

describe("statement timeouts", () => {
  it("default to 10 s, configurable, 0 for none", () => {
    expect(statementTimeoutMs({})).toBe(10_000);
    expect(statementTimeoutMs({ PATCHLORE_STATEMENT_TIMEOUT_MS: "250" })).toBe(250);
    expect(statementTimeoutMs({ PATCHLORE_STATEMENT_TIMEOUT_MS: "0" })).toBe(0);
    expect(() => statementTimeoutMs({ PATCHLORE_STATEMENT_TIMEOUT_MS: "ten" })).toThrow();
  });
  it("recognises 57014 directly, by message, and wrapped in causes", () => {
    expect(isStatementTimeout(Object.assign(new Error("x"), { code: "57014" }))).toBe(true);
    expect(isStatementTimeout(new Error("canceling statement due to statement timeout"))).toBe(true);
    expect(isStatementTimeout(new Error("wrapped", { cause: Object.assign(new Error("y"), { code: "57014" }) }))).toBe(true);
    expect(isStatementTimeout(Object.assign(new Error("x"), { code: "23505" }))).toBe(false);
    expect(isStatementTimeout(null)).toBe(false);
    expect(isStatementTimeout("57014")).toBe(false);
  });
});
