import { describe, expect, it } from "vitest";
import { HAS_VALUES, IS_VALUES, PREFIXES } from "./fields";
import { ALIAS_HELP, DATE_HELP, FACET_HELP, PREFIX_HELP, SEARCH_HELP, SYNTAX_HELP, helpMarkdown } from "./help";
import { isQueryError, parseQuery } from "./query";

const NOW = new Date("2023-11-14T22:13:20Z");

describe("search help", () => {
  it("documents every prefix the parser knows, aliases with their prefix", () => {
    const documented = new Set([...PREFIX_HELP.map((e) => e.prefix), ...PREFIX_HELP.flatMap((e) => e.aliases.map((a) => a.prefix))]);
    for (const p of PREFIXES) expect(documented, p.prefix).toContain(`${p.prefix}:`);
    expect(ALIAS_HELP.map((e) => e.prefix).sort()).toEqual(["dt:", "file:", "func:", "refs:", "tcf:"]);
    expect(PREFIX_HELP.find((e) => e.prefix === "dfn:")!.aliases).toEqual([{ prefix: "file:", lore: false }]);
  });

  it("says which prefixes lore accepts", () => {
    const lore = PREFIX_HELP.filter((e) => e.lore).map((e) => e.prefix.slice(0, -1));
    expect(lore.sort()).toEqual(
      ["s", "f", "t", "c", "tc", "a", "b", "bs", "nq", "q", "n", "l", "m", "mid", "lid", "references", "thread", "dfn", "dfa", "dfb", "dfhh", "dfctx", "dfpre", "dfpost", "dfblob", "patchid", "d", "rt"].sort(),
    );
    const ours = PREFIX_HELP.filter((e) => !e.lore).map((e) => e.prefix);
    expect(ours.sort()).toEqual(["by:", "has:", "is:", "reviewer:", "v:"]);
  });

  it("every example parses", () => {
    for (const e of [...SEARCH_HELP, ...ALIAS_HELP]) {
      const r = parseQuery(e.example, { now: NOW });
      expect(isQueryError(r) ? r.message : "", `${e.prefix}: ${e.example}`).toBe("");
    }
    for (const f of FACET_HELP) {
      expect(isQueryError(parseQuery(f.facet)), f.facet).toBe(false);
      const r = parseQuery(f.example, { now: NOW });
      expect(isQueryError(r) ? r.message : "", `${f.facet}: ${f.example}`).toBe("");
      expect(f.example.split(/\s+/), f.facet).toContain(f.facet);
    }
  });

  it("documents every is: and has: value, the decision facets with an example", () => {
    const facets = FACET_HELP.map((f) => f.facet);
    for (const v of IS_VALUES) expect(facets).toContain(`is:${v}`);
    for (const v of HAS_VALUES) expect(facets).toContain(`has:${v}`);
    for (const f of ["is:decision", "is:nacked", "is:applied", "is:changes-requested"]) {
      const e = FACET_HELP.find((x) => x.facet === f)!;
      expect(e.meaning, f).not.toBe("");
      expect(e.example, f).not.toBe(f);
    }
    expect(PREFIX_HELP.find((e) => e.prefix === "is:")!.meaning).toMatch(/applied, changes-requested/);
  });

  it("every date form it shows is accepted by d:", () => {
    for (const row of DATE_HELP) {
      if (row.form.startsWith("d:")) continue;
      for (const form of row.form.split(", ")) {
        const q = form.endsWith("(no ..)") ? null : `d:${form}`;
        if (!q) continue;
        const r = parseQuery(q, { now: NOW });
        expect(isQueryError(r) ? r.message : "", q).toBe("");
      }
    }
  });

  it("renders Markdown tables for the README", () => {
    const md = helpMarkdown();
    expect(md).toContain("| `dfn:`, `file:` (patchlore) | match a file name in a diff | `dfn:mm/memory.c` | yes |");
    expect(md).toContain("| `is:` |");
    expect(md).toContain("| `is:decision` |");
    expect(md).toMatch(/\| `is:applied` \| .* \| `is:applied is:cover d:last\.year\.\.` \|/);
    expect(md).toContain("| `is:changes-requested` |");
    for (const e of SYNTAX_HELP) expect(md).toContain(`\`${e.prefix}\``);
    expect(md).toMatch(/at most 1000 characters and 64 terms/);
  });
});
