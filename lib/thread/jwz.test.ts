import { describe, expect, it } from "vitest";
import { buildThreadTree, flattenThread, parentOf, type ThreadInput, type ThreadNode } from "./jwz";

const T0 = Date.parse("2024-01-01T00:00:00Z");
const at = (min: number | null): string | null => (min === null ? null : new Date(T0 + min * 60_000).toISOString());
const m = (msgid: string, references: string[], min: number | null, subject = "Re: topic", ghost?: boolean): ThreadInput => ({
  msgid,
  references,
  date: at(min),
  subject,
  ...(ghost === undefined ? {} : { ghost }),
});

/** compact rendering: "A(B(C) D) G:X(E)" — ghosts prefixed with "G:" */
function render(nodes: ThreadNode[]): string {
  return nodes.map((n) => (n.ghost ? "G:" : "") + n.msgid + (n.children.length ? `(${render(n.children)})` : "")).join(" ");
}

function allIds(roots: ThreadNode[]): string[] {
  return flattenThread(roots).map((n) => n.msgid);
}

function checkInvariants(input: ThreadInput[], roots: ThreadNode[]): void {
  const flat = flattenThread(roots);
  const ids = flat.map((n) => n.msgid);
  expect(new Set(ids).size).toBe(ids.length); // nothing twice
  const present = new Set(input.filter((x) => !x.ghost).map((x) => x.msgid));
  for (const id of present) expect(ids).toContain(id); // nothing lost
  for (const n of flat) {
    if (!n.ghost) expect(n.message).not.toBeNull();
    for (const c of n.children) expect(c.depth).toBe(n.depth + 1);
  }
  for (const r of roots) expect(r.depth).toBe(0);
}

const isReplySubjectLike = (subject: string) => /^re:/i.test(subject);

function shuffle<T>(arr: T[], seed: number): T[] {
  const a = [...arr];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

describe("parentOf", () => {
  it("is the last reference that is not the message itself", () => {
    expect(parentOf({ msgid: "c", references: ["a", "b"] })).toBe("b");
    expect(parentOf({ msgid: "c", references: ["a", "c"] })).toBe("a");
    expect(parentOf({ msgid: "c", references: ["c"] })).toBeNull();
    expect(parentOf({ msgid: "c", references: [] })).toBeNull();
    expect(parentOf({ msgid: "c", references: ["a", ""] })).toBe("a");
  });
});

describe("buildThreadTree", () => {
  it("builds a normal patch-series thread", () => {
    const input = [
      m("cover", [], 0, "[PATCH 0/2] mmc: things"),
      m("p1", ["cover"], 1, "[PATCH 1/2] mmc: one"),
      m("p2", ["cover"], 2, "[PATCH 2/2] mmc: two"),
      m("r1", ["cover", "p1"], 10),
      m("r2", ["cover", "p1", "r1"], 20),
      m("r3", ["cover", "p2"], 5),
      m("r0", ["cover"], 3),
    ];
    const roots = buildThreadTree(input);
    expect(render(roots)).toBe("cover(p1(r1(r2)) p2(r3) r0)");
    checkInvariants(input, roots);
    const flat = flattenThread(roots);
    expect(flat.map((n) => `${n.depth}${n.msgid}`)).toEqual(["0cover", "1p1", "2r1", "3r2", "1p2", "2r3", "1r0"]);
  });

  it("gives the same tree for any input order", () => {
    const input = [
      m("a", [], 0),
      m("b", ["a"], 1),
      m("c", ["a", "b"], 2),
      m("d", ["a", "b"], 3),
      m("e", ["a", "b", "c"], 4),
      m("f", ["x"], 5),
      m("g", ["a", "missing", "f"], 6),
    ];
    const want = render(buildThreadTree(input));
    for (let seed = 1; seed < 30; seed++) expect(render(buildThreadTree(shuffle(input, seed)))).toBe(want);
  });

  it("shows an absent root as a ghost", () => {
    const input = [m("b", ["a"], 1), m("c", ["a"], 2)];
    const roots = buildThreadTree(input);
    expect(render(roots)).toBe("G:a(b c)");
    expect(roots[0].message).toBeNull();
    expect(roots[0].ghost).toBe(true);
  });

  it("keeps a missing direct parent between present messages", () => {
    const input = [m("a", [], 0), m("c", ["a", "x"], 2)];
    expect(render(buildThreadTree(input))).toBe("a(G:x(c))");
  });

  it("collapses chains of ghosts to the one nearest the present message", () => {
    expect(render(buildThreadTree([m("a", [], 0), m("d", ["a", "x1", "x2", "x3"], 3)]))).toBe("a(G:x3(d))");
    expect(render(buildThreadTree([m("d", ["g1", "g2", "g3"], 3)]))).toBe("G:g3(d)");
  });

  it("keeps a root ghost with several ghost children so the thread stays one tree", () => {
    const input = [m("b", ["root", "x"], 1), m("c", ["root", "y"], 2)];
    expect(render(buildThreadTree(input))).toBe("G:root(G:x(b) G:y(c))");
  });

  it("drops ghosts with nothing under them", () => {
    const input = [m("a", [], 0), m("b", ["a"], 1)];
    // "a" is referenced and present; no ghost appears
    expect(render(buildThreadTree(input))).toBe("a(b)");
    // a ghost placeholder entry without children is dropped too
    expect(render(buildThreadTree([...input, m("zz", [], null, "", true)]))).toBe("a(b)");
  });

  it("keeps ghost placeholder inputs that have children, with their data", () => {
    const ghost = m("a", [], null, "", true);
    const roots = buildThreadTree([ghost, m("b", ["a"], 1)]);
    expect(render(roots)).toBe("G:a(b)");
    expect(roots[0].message).toBe(ghost);
  });

  it("prefers a real message over a ghost placeholder with the same id", () => {
    const roots = buildThreadTree([m("a", [], null, "", true), m("a", [], 0, "real"), m("b", ["a"], 1)]);
    expect(render(roots)).toBe("a(b)");
    expect(roots[0].message!.subject).toBe("real");
  });

  it("uses the message's own last reference over a presumed parent (JWZ 1C)", () => {
    // x claims q is r's parent; r itself says its parent is s
    const input = [m("p", [], 0), m("s", [], 1), m("r", ["s"], 2), m("x", ["p", "q", "r"], 3)];
    expect(render(buildThreadTree(input))).toBe("p s(r(x))");
    // same when x is seen first (r's presumed parent q is dropped when r is processed)
    const early = [m("x", ["p", "q", "r"], 0), m("p", [], 1), m("s", [], 2), m("r", ["s"], 3)];
    expect(render(buildThreadTree(early))).toBe("p s(r(x))");
  });

  it("a message without references becomes a root even if others presumed a parent", () => {
    const input = [m("x", ["a", "b"], 0), m("b", [], 1)];
    expect(render(buildThreadTree(input))).toBe("b(x)");
  });

  it("never re-parents a present message because of someone else's References", () => {
    // "a" has no References (a new thread); b's References list claims z came before it
    const input = [m("z", [], 0, "z"), m("a", [], 1, "a"), m("b", ["z", "a"], 2)];
    expect(render(buildThreadTree(input))).toBe("z a(b)");
    // ...but an absent message is positioned by such chains
    expect(render(buildThreadTree([m("z", [], 0, "z"), m("b", ["z", "gone"], 2)]))).toBe("z(G:gone(b))");
  });

  it("survives mutual references", () => {
    const input = [m("a", ["b"], 0), m("b", ["a"], 1)];
    const roots = buildThreadTree(input);
    checkInvariants(input, roots);
    expect(allIds(roots).sort()).toEqual(["a", "b"]);
  });

  it("survives self references", () => {
    const input = [m("a", ["a"], 0), m("b", ["a", "b"], 1), m("c", ["c", "c"], 2)];
    const roots = buildThreadTree(input);
    expect(render(roots)).toBe("a(b) c");
  });

  it("survives a references list that contains a descendant", () => {
    const input = [m("a", [], 0), m("b", ["a"], 1), m("c", ["a", "b"], 2), m("a", ["c"], 3), m("d", ["c", "a", "b"], 4)];
    const roots = buildThreadTree(input);
    checkInvariants(input, roots);
    expect(allIds(roots).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("survives longer cycles and contradicting chains", () => {
    const input = [m("a", ["c", "b"], 0), m("b", ["a", "c"], 1), m("c", ["b", "a"], 2), m("d", ["a", "b", "c", "a", "d"], 3)];
    for (let seed = 1; seed < 20; seed++) {
      const shuffled = shuffle(input, seed);
      const roots = buildThreadTree(shuffled);
      checkInvariants(shuffled, roots);
      expect(allIds(roots).sort()).toEqual(["a", "b", "c", "d"]);
    }
  });

  it("de-duplicates input", () => {
    const input = [m("a", [], 0), m("b", ["a"], 1), m("b", ["a"], 1), m("a", [], 0)];
    const roots = buildThreadTree(input);
    expect(render(roots)).toBe("a(b)");
  });

  it("sorts children by date, null dates last, ties by msgid", () => {
    const input = [m("r", [], 0), m("n2", ["r"], null), m("n1", ["r"], null), m("late", ["r"], 9), m("t2", ["r"], 5), m("t1", ["r"], 5)];
    expect(render(buildThreadTree(input))).toBe("r(t1 t2 late n1 n2)");
  });

  it("sorts roots by date, ghost roots by their earliest descendant", () => {
    const input = [m("late", [], 50), m("b", ["ghost"], 10), m("early", [], 20), m("nodate", [], null)];
    expect(render(buildThreadTree(input))).toBe("G:ghost(b) early late nodate");
  });

  it("hangs a reference-less reply under the root with the same subject", () => {
    const input = [
      m("orig", [], 0, "[PATCH] mmc: fix the thing"),
      m("reply", [], 5, "Re: [PATCH] mmc: fix the thing"),
      m("other", [], 6, "Re: something else"),
      m("v2", [], 7, "[PATCH v2] mmc: fix the thing"),
    ];
    expect(render(buildThreadTree(input))).toBe("orig(reply) other v2");
  });

  it("handles empty input and junk entries", () => {
    expect(buildThreadTree([])).toEqual([]);
    const input = [m("", [], 0), m("a", ["", "a"], 1)];
    expect(render(buildThreadTree(input))).toBe("a");
  });

  it("handles a 10,000 message deep chain quickly", () => {
    const n = 10_000;
    const input: ThreadInput[] = [];
    for (let i = 0; i < n; i++) {
      const refs: string[] = [];
      for (let j = Math.max(0, i - 20); j < i; j++) refs.push(`m${j}`);
      input.push(m(`m${i}`, refs, i));
    }
    const t = performance.now();
    const roots = buildThreadTree(shuffle(input, 7));
    const flat = flattenThread(roots);
    const ms = performance.now() - t;
    expect(flat.length).toBe(n);
    expect(flat[n - 1].depth).toBe(n - 1);
    expect(ms).toBeLessThan(2000);
  });

  it("handles a 10,000 message wide thread quickly", () => {
    const n = 10_000;
    const input: ThreadInput[] = [m("root", [], 0, "[PATCH] big")];
    for (let i = 1; i < n; i++) {
      const parent = i < 100 ? "root" : `m${1 + (i % 99)}`;
      input.push(m(`m${i}`, parent === "root" ? ["root"] : ["root", parent], i));
    }
    const t = performance.now();
    const roots = buildThreadTree(input.reverse());
    const ms = performance.now() - t;
    expect(roots.length).toBe(1);
    expect(flattenThread(roots).length).toBe(n);
    expect(ms).toBeLessThan(1000);
  });

  it("never loses or duplicates a message on random garbage (fuzz)", () => {
    let s = 12345;
    const rnd = (k: number) => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return s % k;
    };
    for (let round = 0; round < 300; round++) {
      const size = 1 + rnd(30);
      const pool = Array.from({ length: size + 5 }, (_, i) => `id${i}`);
      const input: ThreadInput[] = [];
      for (let i = 0; i < size; i++) {
        const refs = Array.from({ length: rnd(6) }, () => pool[rnd(pool.length)]);
        input.push(m(pool[rnd(size)], refs, rnd(4) === 0 ? null : rnd(100), rnd(3) ? "Re: x" : "x", rnd(10) === 0 ? true : undefined));
      }
      const roots = buildThreadTree(input);
      checkInvariants(input, roots);
      // the display parent agrees with parentOf() unless that link was refused because the
      // stored parent is a descendant (a loop), or the message has no references (subject rule)
      const chosen = new Map<string, ThreadInput>();
      for (const x of input) if (!chosen.has(x.msgid) || (chosen.get(x.msgid)!.ghost && !x.ghost)) chosen.set(x.msgid, x);
      const parentInTree = new Map<string, string | null>();
      const walk = (nodes: ThreadNode[], parent: string | null) => {
        for (const n of nodes) {
          parentInTree.set(n.msgid, parent);
          walk(n.children, n.msgid);
        }
      };
      walk(roots, null);
      const isAncestor = (anc: string, id: string): boolean => {
        for (let c = parentInTree.get(id); c; c = parentInTree.get(c)) if (c === anc) return true;
        return false;
      };
      for (const [id, msg] of chosen) {
        if (msg.ghost) continue;
        const shown = parentInTree.get(id) ?? null;
        const stored = parentOf(msg);
        if (shown === stored) continue;
        if (stored === null) {
          expect(isReplySubjectLike(msg.subject), `${id} shown under ${shown}`).toBe(true); // attached by subject
          continue;
        }
        // the stored parent is below the message (a loop), or it is an absent message that was
        // pruned because no present message hangs under it
        const storedPresent = chosen.has(stored) && !chosen.get(stored)!.ghost;
        if (!parentInTree.has(stored)) expect(storedPresent, `${id}: stored ${stored} vanished`).toBe(false);
        else expect(isAncestor(id, stored), `${id}: shown ${shown}, stored ${stored}`).toBe(true);
      }
    }
  });

  it("display parent equals parentOf() for well-formed threads", () => {
    const input = [
      m("a", [], 0),
      m("b", ["a"], 1),
      m("c", ["a", "b"], 2),
      m("d", ["a", "gone"], 3),
      m("e", ["a", "b", "c"], 4),
    ];
    const roots = buildThreadTree(input);
    const parent = new Map<string, string | null>();
    const walk = (nodes: ThreadNode[], p: string | null) => nodes.forEach((n) => (parent.set(n.msgid, p), walk(n.children, n.msgid)));
    walk(roots, null);
    for (const x of input) expect(parent.get(x.msgid)).toBe(parentOf(x));
  });
});

describe("flattenThread", () => {
  it("is depth-first with depth set, roots in order", () => {
    const roots = buildThreadTree([m("a", [], 0), m("b", ["a"], 1), m("c", ["a", "b"], 2), m("d", ["a"], 3), m("z", [], 10)]);
    // tamper depths: flatten must recompute them
    roots[0].children[0].depth = 42;
    expect(flattenThread(roots).map((n) => [n.msgid, n.depth])).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 2],
      ["d", 1],
      ["z", 0],
    ]);
    expect(flattenThread([])).toEqual([]);
  });
});
