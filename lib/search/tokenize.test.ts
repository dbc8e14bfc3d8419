import { describe, expect, it } from "vitest";
import { eachWord, isCodeWord, queryWords, wordTokens, words } from "./tokenize";

describe("words", () => {
  it("keeps code identifiers whole (Xapian counts _ as a word character too)", () => {
    expect(words("vm_write_begin")).toEqual(["vm_write_begin"]);
    expect(words("__GFP_NOWARN")).toEqual(["__gfp_nowarn"]);
    expect(words("0x1f")).toEqual(["0x1f"]);
    expect(words("x86_64")).toEqual(["x86_64"]);
    expect(words("do_wp_page(vmf)")).toEqual(["do_wp_page", "vmf"]);
  });

  it("keeps a dot between digits, like Xapian: versions stay whole", () => {
    expect(words("v5.10 and 6.1.3")).toEqual(["v5.10", "and", "6.1.3"]);
    expect(words("memory.c")).toEqual(["memory", "c"]);
    expect(words("end of sentence 42.")).toEqual(["end", "of", "sentence", "42"]);
  });

  it("cuts paths, hyphens, arrows and addresses into their parts (searched as phrases)", () => {
    expect(queryWords("mm/memory.c")).toEqual(["mm", "memory", "c"]);
    expect(queryWords("foo-bar")).toEqual(["foo", "bar"]);
    expect(queryWords("vma->vm_flags")).toEqual(["vma", "vm_flags"]);
    expect(queryWords("akpm@linux-foundation.org")).toEqual(["akpm", "linux", "foundation", "org"]);
  });

  it("a hunk header holds the function as one word", () => {
    const hh = "static vm_fault_t do_wp_page(struct vm_fault *vmf)";
    expect(words(hh)).toContain("do_wp_page");
    expect(words(hh)).not.toContain("page");
  });

  it("gives offsets and consecutive positions", () => {
    expect(wordTokens("Hello, vm_write_begin!")).toEqual([
      { word: "hello", offset: 0, length: 5, position: 0 },
      { word: "vm_write_begin", offset: 7, length: 14, position: 1 },
    ]);
  });

  it("handles non-ASCII letters", () => {
    expect(words("Łukasz Müller")).toEqual(["łukasz", "müller"]);
  });
});

describe("isCodeWord", () => {
  it("tells code from English", () => {
    expect(isCodeWord("vm_write_begin")).toBe(true);
    expect(isCodeWord("__GFP_NOWARN")).toBe(true);
    expect(isCodeWord("0x1f")).toBe(true);
    expect(isCodeWord("PAGE")).toBe(true);
    expect(isCodeWord("running")).toBe(false);
    expect(isCodeWord("Linux")).toBe(false);
  });
});

describe("eachWord", () => {
  const collect = (t: string) => {
    const out: string[] = [];
    eachWord(t, (w) => out.push(w));
    return out;
  };
  it("gives exactly the words of wordTokens", () => {
    const samples = [
      "vm_write_begin(mm/memory.c) v5.10 6.1.3. 42. x.5 5.x 1..2 1.2.3.4 a.b ..9.9..",
      "Łukasz Müller ٣.٤ 𝟙.𝟚 𝐀𝐁𝐂 emoji😀word İstanbul ΣΑΣ straße",
      "-\t+ret = foo_init(dev); /* 0x1f */ __GFP_NOWARN|GFP_KERNEL",
      "",
      "...",
      "end9.",
    ];
    for (const s of samples) expect(collect(s), s).toEqual(words(s));
    // random strings over a mixed alphabet
    const alphabet = ["a", "Z", "_", "0", "9", ".", " ", "-", "é", "٣", "𝟙", "😀", "/", "\n"];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
    for (let k = 0; k < 2000; k++) {
      let s = "";
      const len = Math.floor(rnd() * 20);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(collect(s), JSON.stringify(s)).toEqual(words(s));
    }
  });
});
