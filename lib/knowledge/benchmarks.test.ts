// Benchmark parsers on small invented mails: one per format, plus negatives.
import { describe, expect, it } from "vitest";
import { betterWhen, findBenchmarks, parseLkpRow, parseNumber, reportOf, type Benchmark } from "./benchmarks";
import { messageText } from "./text";

function bench(body: string, subject?: string): Benchmark[] {
  return findBenchmarks(messageText(body), { subject });
}

const LKP = `Hello,

kernel test robot noticed a -8.3% regression of will-it-scale.per_thread_ops on:


commit: 0123456789abcdef0123456789abcdef01234567 ("mm: make page faults faster")
https://git.kernel.org/cgit/linux/kernel/git/next/linux-next.git master

testcase: will-it-scale
test machine: 104 threads 2 sockets (Skylake) with 192G memory
parameters:

\tnr_task: 100%
\tmode: thread
\ttest: page_fault3
\tcpufreq_governor: performance


If you fix the issue in a separate patch/commit (i.e. not just a new version of
the same patch/commit), kindly add following tags
| Reported-by: kernel test robot <oliver.sang@intel.com>
| Closes: https://lore.kernel.org/oe-lkp/202401020304.abcdef12-oliver.sang@intel.com


Details are as below:
-------------------------------------------------------------------------------------------------->

=========================================================================================
compiler/cpufreq_governor/kconfig/mode/nr_task/rootfs/tbox_group/test/testcase:
  gcc-12/performance/x86_64-rhel-8.3/thread/100%/debian-12-x86_64-20240206.cgz/lkp-skl-fpga01/page_fault3/will-it-scale

commit: 
  fedcba9876 ("mm: prepare")
  0123456789 ("mm: make page faults faster")

fedcba9876543210 0123456789abcdef0123456789a 
---------------- --------------------------- 
         %stddev     %change         %stddev
             \\          |                \\  
   5120000 ±  1%      -8.3%    4695040 ±  2%  will-it-scale.104.threads
     49231            -8.3%      45144        will-it-scale.per_thread_ops
     12.50 ±  3%      +2.1       14.60        perf-profile.self.cycles-pp.clear_page_erms
    301.22            +1.2%     304.83        will-it-scale.time.elapsed_time
`;

describe("LKP / kernel test robot", () => {
  it("the subject headline, filled from the table row, with the commits and the parameters", () => {
    const bs = bench(LKP, "[linux-next:master] [mm]  0123456789: will-it-scale.per_thread_ops -8.3% regression");
    const h = bs.find((b) => b.role === "headline")!;
    expect(h).toMatchObject({
      suite: "will-it-scale",
      metric: "per_thread_ops",
      test: "page_fault3",
      change: -8.3,
      direction: "regression",
      baseline: 49231,
      value: 45144,
      commitBase: "fedcba9876543210",
      commitNew: "0123456789abcdef0123456789abcdef01234567",
      machine: "104 threads 2 sockets (Skylake) with 192G memory",
      method: "lkp-subject",
      lines: [3, 3],
    });
    expect(h.config).toMatchObject({ nr_task: "100%", mode: "thread", test: "page_fault3", tbox_group: "lkp-skl-fpga01", compiler: "gcc-12" });
  });

  it("every table row: percent changes, absolute deltas, stddevs, roles", () => {
    const rows = bench(LKP, "x").filter((b) => b.method === "lkp-table");
    expect(rows.map((r) => [r.suite, r.metric, r.change ?? null, r.delta ?? null, r.role])).toEqual([
      ["will-it-scale", "104.threads", -8.3, null, "result"],
      ["will-it-scale", "per_thread_ops", -8.3, null, "result"],
      ["perf-profile", "self.cycles-pp.clear_page_erms", null, 2.1, "monitor"],
      ["will-it-scale", "time.elapsed_time", 1.2, null, "result"],
    ]);
    expect(rows[0]).toMatchObject({ baseline: 5120000, baselineStddev: 1, value: 4695040, stddev: 2 });
    expect(rows[1].direction).toBe("regression"); // ops went down
    expect(rows[3].direction).toBe("regression"); // elapsed time went up
    expect(rows[2].direction).toBeNull(); // monitors say nothing
  });

  it("the 'noticed' sentence is the headline when there is no subject", () => {
    const h = bench(LKP).find((b) => b.role === "headline")!;
    expect(h).toMatchObject({ suite: "will-it-scale", metric: "per_thread_ops", change: -8.3, method: "lkp-noticed" });
  });

  it("a reply quoting the report yields nothing from its quote or its subject", () => {
    const reply = `On Tue, Jan 02, 2024, kernel test robot wrote:\n${LKP.split("\n").map((l) => "> " + l).join("\n")}\n\nThanks, I'll look into it.\n`;
    expect(bench(reply, "Re: [linux-next:master] [mm]  0123456789: will-it-scale.per_thread_ops -8.3% regression")).toEqual([]);
  });

  it("the 'significant impact on the following tests' box", () => {
    const body = `In addition to that, the commit also has significant impact on the following tests:

+------------------+-------------------------------------------------------------+
| testcase: change | stress-ng: stress-ng.mmap.ops_per_sec 15.2% improvement     |
| test machine     | 64 threads 2 sockets (Ice Lake) with 256G memory            |
| test parameters  | cpufreq_governor=performance                                |
|                  | test=mmap                                                   |
+------------------+-------------------------------------------------------------+
`;
    const [b] = bench(body);
    expect(b).toMatchObject({ suite: "stress-ng", metric: "mmap.ops_per_sec", change: 15.2, direction: "improvement", method: "lkp-impact", test: "mmap", machine: "64 threads 2 sockets (Ice Lake) with 256G memory", lines: [4, 8] });
    expect(b.config).toEqual({ cpufreq_governor: "performance", test: "mmap" });
  });

  it("old-format tables ('change' column, testcase/testparams/testbox rows, GEO-MEAN)", () => {
    const body = `06c4d00466eb3748  d369f9be1ad1e22da4e8f03557  testcase/testparams/testbox
----------------  --------------------------  ---------------------------
         %stddev      change         %stddev
             \\          |                \\  
     50000             50%      75000        will-it-scale/performance-process-16-read2/lkp-ivb-d02
     50000             50%      75000        GEO-MEAN will-it-scale.per_process_ops
`;
    const rows = bench(body);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ suite: "will-it-scale", metric: "per_process_ops", statistic: "GEO-MEAN", change: 50, baseline: 50000, value: 75000, commitBase: "06c4d00466eb3748", commitNew: "d369f9be1ad1e22da4e8f03557", direction: "improvement" });
    expect(rows[0]).toMatchObject({ suite: "will-it-scale", test: "performance-process-16-read2", machine: "lkp-ivb-d02", change: 50 });
  });

  it("± as decoded from a mis-declared charset (Â±, U+FFFD) and multiple compared commits", () => {
    expect(parseLkpRow("  4177 Â±  2%     -64.7%       1475            -1.1%       4130        fsmark.files_per_sec")).toEqual({
      base: 4177,
      baseStddev: 2,
      cols: [
        { value: 1475, stddev: undefined, change: -64.7, delta: undefined },
        { value: 4130, stddev: undefined, change: -1.1, delta: undefined },
      ],
      metric: "fsmark.files_per_sec",
    });
    expect(parseLkpRow("   21945319 \uFFFD  2%     -40.4%   13076160        cpuidle..usage")?.baseStddev).toBe(2);
    expect(parseLkpRow("this is not a row")).toBeNull();
  });

  it("reportOf: performance vs build reports, the commit, the patch it tested", () => {
    const perf = reportOf({ subject: "[linux-next:master] [mm]  0123456789: will-it-scale.per_thread_ops -8.3% regression", from: { name: "kernel test robot", address: "oliver.sang@intel.com" }, body: LKP });
    expect(perf).toMatchObject({ kind: "performance", commit: "0123456789abcdef0123456789abcdef01234567", commitTitle: "mm: make page faults faster", tree: "linux-next:master", suite: "will-it-scale", metric: "per_thread_ops", change: -8.3, direction: "regression", reportId: "202401020304.abcdef12-oliver.sang@intel.com" });
    const build = reportOf({
      subject: "Re: [PATCH v2 3/4] mmc: foo: add bar",
      from: "kernel test robot <lkp@intel.com>",
      body: `Hi Jane,

kernel test robot noticed the following build errors:

[auto build test ERROR on ulf-hansson-mmc-mirror/next]

url:    https://github.com/intel-lab-lkp/linux/commits/Jane-Doe/mmc-foo/20240101-010101
base:   https://git.kernel.org/pub/scm/linux/kernel/git/ulfh/mmc.git next
patch link:    https://lore.kernel.org/r/20240101000000.1234-4-jane%40example.org
patch subject: [PATCH v2 3/4] mmc: foo: add bar
config: arm-randconfig-001

All errors (new ones prefixed by >>):

>> drivers/mmc/host/foo.c:12:2: error: implicit declaration of function 'bar'
`,
    });
    expect(build).toMatchObject({ kind: "build-error", patchMsgid: "20240101000000.1234-4-jane@example.org", base: "https://git.kernel.org/pub/scm/linux/kernel/git/ulfh/mmc.git next" });
    expect(reportOf({ subject: "[linux-next:master] BUILD REGRESSION 8c9660f6515396aba78d1168d2e17951d653ebf2", from: "kernel test robot <lkp@intel.com>", body: "tree/branch: …\n" })).toMatchObject({ kind: "build-summary", commit: "8c9660f6515396aba78d1168d2e17951d653ebf2" });
    expect(reportOf({ subject: "Re: [PATCH] foo", from: "Jane Doe <jane@example.org>", body: "Looks good.\n" })).toBeNull();
  });
});

describe("robot reports: tables anywhere in the robot's own message, signed headlines", () => {
  // the robot's template put the details after its "-- " signature, and a "---" footer after them
  const SIGNED_OFF = LKP.replace("Details are as below:", "-- \n0-DAY CI Kernel Test Service\nhttps://github.com/intel/lkp-tests/wiki\n\nDetails are as below:") +
    `\n***************************************************************************************************
lkp-csl-2sp3: 96 threads 2 sockets Intel(R) Xeon(R) Platinum 8260L CPU @ 2.40GHz with 128G memory
=========================================================================================
compiler/cpufreq_governor/kconfig/rootfs/runtime/tbox_group/test/testcase:
  gcc-12/performance/x86_64-rhel-8.3/debian-12-x86_64-20240206.cgz/300s/lkp-csl-2sp3/mmap-pread-seq/vm-scalability

commit: 
  fedcba9876 ("mm: prepare")
  0123456789 ("mm: make page faults faster")

fedcba9876543210 0123456789abcdef0123456789a 
---------------- --------------------------- 
       fail:runs  %reproduction    fail:runs
           |             |             |    
          1:4          -25%            :4     dmesg.WARNING:at#for_ip_interrupt_entry/0x
         %stddev     %change         %stddev
             \\          |                \\  
    283019            +23.2%     348627        vm-scalability.throughput
    302.67            -11.5%     267.90        vm-scalability.time.elapsed_time

---
0DAY/LKP+ Test Infrastructure                   Open Source Technology Center
`;

  it("reads every table row after the '-- ' and '---' lines, and nothing of the template", () => {
    const mt = messageText(SIGNED_OFF);
    expect(mt.ownLines.some((l) => l.text.includes("vm-scalability.throughput"))).toBe(false); // the tree stops at "-- "
    const bs = findBenchmarks(mt, { subject: "[linux-next:master] [mm]  0123456789: will-it-scale.per_thread_ops -8.3% regression", robot: true });
    const rows = bs.filter((b) => b.method === "lkp-table");
    expect(rows.map((r) => `${r.suite}.${r.metric} ${r.change ?? r.delta}`)).toEqual([
      "will-it-scale.104.threads -8.3",
      "will-it-scale.per_thread_ops -8.3",
      "perf-profile.self.cycles-pp.clear_page_erms 2.1",
      "will-it-scale.time.elapsed_time 1.2",
      "vm-scalability.throughput 23.2",
      "vm-scalability.time.elapsed_time -11.5",
    ]);
    expect(rows[4]).toMatchObject({ machine: "96 threads 2 sockets Intel(R) Xeon(R) Platinum 8260L CPU @ 2.40GHz with 128G memory", baseline: 283019, value: 348627, direction: "improvement" });
    expect(bs.filter((b) => !b.method.startsWith("lkp"))).toEqual([]);
    // told from the body without the flag, and reportOf sees the tables too
    expect(findBenchmarks(mt).filter((b) => b.method === "lkp-table")).toHaveLength(6);
    const r = reportOf({ subject: "[linux-next:master]", from: "kernel test robot <oliver.sang@intel.com>", body: SIGNED_OFF.replace(/^.*noticed.*$/m, "Hello") });
    expect(r?.kind).toBe("performance");
  });

  it("a quoted report stays unread even when a reply is flagged as the robot's", () => {
    const reply = `Thanks.\n\n${LKP.split("\n").map((l) => "> " + l).join("\n")}\n`;
    expect(findBenchmarks(messageText(reply), { robot: true })).toEqual([]);
  });

  it("an unsigned headline takes the sign its word and metric imply, and the table's when there is one", () => {
    const noTable = "Hello,\n\nkernel test robot noticed a 64.5% regression of fsmark.files_per_sec on:\n\ncommit: 0123456789abcdef0123456789abcdef01234567\n";
    expect(bench(noTable).find((b) => b.role === "headline")).toMatchObject({ change: -64.5, direction: "regression" });
    expect(bench("kernel test robot noticed a 23.2% improvement of vm-scalability.throughput on:\n")[0]).toMatchObject({ change: 23.2, direction: "improvement" });
    // a regression of a lower-is-better metric went up; an improvement of one went down
    expect(bench("kernel test robot noticed a 12.1% regression of hackbench.time.elapsed_time on:\n")[0].change).toBe(12.1);
    expect(bench("kernel test robot noticed a 9.5% improvement of fio.write_clat_mean_us on:\n")[0].change).toBe(-9.5);
    // the subject's unsigned change, and the impact box's
    const subj = bench(noTable.replace(/^kernel.*$/m, "Hello"), "[mmc]  0123456789: fsmark.files_per_sec 64.5% regression");
    expect(subj[0]).toMatchObject({ method: "lkp-subject", change: -64.5 });
    const box = bench("| testcase: change | fsmark: fsmark.files_per_sec 54.0% regression |\n| test machine     | 96 threads |\n");
    expect(box[0]).toMatchObject({ method: "lkp-impact", change: -54 });
    // the table's sign wins over the subject's missing one
    const h = bench(LKP.replace("-8.3% regression of", "8.3% regression of")).find((b) => b.role === "headline")!;
    expect(h.change).toBe(-8.3);
    const rep = reportOf({ subject: "[mmc]  0123456789: fsmark.files_per_sec 64.5% regression", from: "kernel test robot <lkp@intel.com>", body: noTable });
    expect(rep).toMatchObject({ kind: "performance", change: -64.5, direction: "regression" });
  });

  it("a 'noticed' sentence or a change wrapped across lines", () => {
    const a = bench("kernel test robot noticed a -64.5% regression of\nfsmark.files_per_sec due to commit:\n")[0];
    expect(a).toMatchObject({ suite: "fsmark", metric: "files_per_sec", change: -64.5, lines: [1, 2] });
    const b = bench("FYI, we noticed a +23.2\n% improvement of vm-scalability.throughput due to commit:\n")[0];
    expect(b).toMatchObject({ suite: "vm-scalability", metric: "throughput", change: 23.2 });
    const r = reportOf({ subject: "x", from: "kernel test robot <lkp@intel.com>", body: "kernel test robot noticed a -64.5% regression of\nfsmark.files_per_sec on:\n" });
    expect(r).toMatchObject({ kind: "performance", suite: "fsmark", metric: "files_per_sec", change: -64.5, lines: [1, 2] });
    // in a person's prose
    const c = bench("With the series, fio randread IOPS improve by +23.2\n% on my eMMC.\n")[0];
    expect(c).toMatchObject({ change: 23.2, lines: [1, 2] });
    const d = bench("This gives a +23.2%\nimprovement in fio randread IOPS.\n")[0];
    expect(d).toMatchObject({ change: 23.2, direction: "improvement", lines: [1, 2] });
  });
});

describe("before/after runs in a person's mail", () => {
  it("time(1) before and after: three figures, each with its baseline and change", () => {
    const one = bench("Some numbers on my board:\n\nbefore: real 0m10.2s user 0m0.1s sys 0m9.8s\nafter:  real 0m7.1s user 0m0.1s sys 0m6.9s\n");
    expect(one.map((b) => [b.metric, b.value, b.baseline, b.change, b.unit, b.lines])).toEqual([
      ["elapsed", 7.1, 10.2, -30.3922, "s", [3, 4]],
      ["user", 0.1, 0.1, 0, "s", [3, 4]],
      ["system", 6.9, 9.8, -29.5918, "s", [3, 4]],
    ]);
    expect(one[0]).toMatchObject({ direction: "improvement", method: "time", baselineVariant: "before", variant: "after" });
    const three = bench("Before:\n\n$ time cat /dev/mmcblk0 > /dev/null\nreal\t0m10.200s\nuser\t0m0.100s\nsys\t0m9.800s\n\nAfter:\n\n$ time cat /dev/mmcblk0 > /dev/null\nreal\t0m7.100s\nuser\t0m0.100s\nsys\t0m6.900s\n");
    expect(three.map((b) => [b.metric, b.value, b.baseline])).toEqual([
      ["elapsed", 7.1, 10.2],
      ["user", 0.1, 0.1],
      ["system", 6.9, 9.8],
    ]);
    expect(three[0].lines).toEqual([4, 13]);
    // two runs without labels stay two runs
    expect(bench("real\t0m10.200s\nuser\t0m0.100s\nsys\t0m9.800s\n\nreal\t0m7.100s\nuser\t0m0.100s\nsys\t0m6.900s\n")).toHaveLength(6);
  });
});

describe("figures in a person's mail (GUIDE §6)", () => {
  const one = (body: string) => bench(body).map((b) => ({ metric: b.metric, value: b.value, baseline: b.baseline, unit: b.unit, change: b.change, direction: b.direction, lines: b.lines, method: b.method }));
  it("from-to, arrows, before/after in prose: value, baseline, unit and signed change", () => {
    expect(one("With this patch the sequential read goes from 85 MB/s to 170 MB/s on my\nRK3399 board.\n")).toEqual([{ metric: "sequential read", value: 170, baseline: 85, unit: "MB/s", change: 100, direction: "improvement", lines: [1, 2], method: "prose:from-to" }]);
    expect(one("Boot time is reduced by about 120ms (from 1.9s to 1.78s).\n")[0]).toMatchObject({ metric: "Boot time", value: 1.78, baseline: 1.9, unit: "s", change: -6.3158, direction: "improvement" });
    expect(one("boot time 1.9 s -> 1.78 s\n")[0]).toMatchObject({ metric: "boot time", value: 1.78, baseline: 1.9, unit: "s", method: "prose:arrow" });
    expect(one("Sequential read on my RK3399:\nBefore: 85 MB/s\nAfter: 170 MB/s\n")[0]).toMatchObject({ metric: "Sequential read", value: 170, baseline: 85, unit: "MB/s", change: 100, lines: [1, 3] });
    expect(one("Resume time without the patch: 120 ms, with the patch: 45 ms.\n")[0]).toMatchObject({ value: 45, baseline: 120, unit: "ms", change: -62.5, direction: "improvement" });
    expect(one("Power consumption in suspend drops from 12 mA to 3 mA.\n")[0]).toMatchObject({ value: 3, baseline: 12, unit: "mA", direction: "improvement" });
  });

  it("no figures from settings, versions, addresses, logs or sizes", () => {
    for (const body of [
      "This increases the timeout from 10 s to 20 s.\n",
      "Upgrading from 4.19 to 5.10 fixes it.\n",
      "The region goes from 0x1000 to 0x2000.\n",
      "[    1.234567] mmc0: new HS200 MMC card at address 0001\n[    1.300000] mmcblk0: mmc0:0001 8GTF4R 7.28 GiB\n",
      "Set the clock from 50 MHz to 200 MHz -> works.\n",
      "Default is 512 KB; change it to 1 MB if needed.\n",
      "I tested before and after the change and saw no difference.\n",
      "> Before: 85 MB/s\n> After: 170 MB/s\n\nNice numbers.\n",
    ]) expect(bench(body), body).toEqual([]);
  });

  it("fio and dd runs before and after: one figure per quantity", () => {
    const f = bench(`fio results before the patch:

randread: (groupid=0, jobs=1): err= 0: pid=100: Mon Jan  1 00:00:00 2024
  read: IOPS=4300, BW=16.8MiB/s (17.6MB/s)(1008MiB/60001msec)
    clat (usec): min=50, max=4000, avg=231.10, stdev=20.00

and after the patch:

randread: (groupid=0, jobs=1): err= 0: pid=101: Mon Jan  1 00:10:00 2024
  read: IOPS=5120, BW=20.0MiB/s (20.9MB/s)(1200MiB/60001msec)
    clat (usec): min=40, max=3000, avg=194.20, stdev=18.00
`);
    expect(f.map((b) => [b.metric, b.value, b.baseline, b.unit, b.change, b.direction, b.lines])).toEqual([
      ["read.iops", 5120, 4300, "IOPS", 19.0698, "improvement", [4, 10]],
      ["read.bw", 20, 16.8, "MiB/s", 19.0476, "improvement", [4, 10]],
      ["read.clat", 194.2, 231.1, "us", -15.9671, "improvement", [5, 11]],
    ]);
    const d = bench(`Before:
# dd if=/dev/mmcblk0 of=/dev/null bs=1M count=1000
1000+0 records in
1000+0 records out
1048576000 bytes (1.0 GB, 1000 MiB) copied, 12.3 s, 85.2 MB/s

After:
# dd if=/dev/mmcblk0 of=/dev/null bs=1M count=1000
1000+0 records in
1000+0 records out
1048576000 bytes (1.0 GB, 1000 MiB) copied, 6.2 s, 170 MB/s
`);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ suite: "dd", metric: "dd read rate", value: 170, baseline: 85.2, unit: "MB/s", direction: "improvement", method: "dd", lines: [5, 11] });
  });

  it("a hand-made before/after table", () => {
    const t = bench("Results (4k random, 3 runs):\n\n                  before      after\nrandread IOPS     4300        5120\nrandwrite IOPS    1200        1260\n");
    expect(t.map((b) => [b.metric, b.baseline, b.value, b.direction, b.baselineVariant, b.variant])).toEqual([
      ["randread IOPS", 4300, 5120, "improvement", "before", "after"],
      ["randwrite IOPS", 1200, 1260, "improvement", "before", "after"],
    ]);
  });
});

describe("mmtests compare-kernels", () => {
  it("Amean rows with mmtests' gain, the column names, the test named above", () => {
    const body = `pft-threads from mmtests on a 2-socket machine:

                             6.10.0-rc1             6.10.0-rc1
                                vanilla                patched
Hmean     faults/cpu-1    412345.67 (   0.00%)   431234.12 *   4.58%*
Hmean     faults/sec-4   1623456.78 (   0.00%)  1598765.43 (  -1.52%)
Amean     system-1            12.34 (   0.00%)       11.92 *   3.40%*
`;
    const bs = bench(body);
    expect(bs).toHaveLength(3);
    expect(bs[0]).toMatchObject({ suite: "mmtests", test: "pft-threads", metric: "faults/cpu-1", statistic: "Hmean", baseline: 412345.67, value: 431234.12, direction: "improvement", significant: true, variant: "6.10.0-rc1 patched", baselineVariant: "6.10.0-rc1 vanilla", method: "mmtests", lines: [5, 5] });
    expect(bs[0].change).toBeCloseTo(4.58, 1);
    expect(bs[1]).toMatchObject({ direction: "regression", significant: false });
    // mmtests prints a gain: time went down 3.4% and that is an improvement
    expect(bs[2]).toMatchObject({ metric: "system-1", direction: "improvement" });
    expect(bs[2].change).toBeCloseTo(-3.4, 1);
  });

  it("Duration rows without percentages", () => {
    const body = `Amean     fault-both-1      2323.03 (   0.00%)     2204.09 *   5.12%*
Duration User         1234.56     1200.01
Duration System       4321.00     4000.50
`;
    const bs = bench(body);
    expect(bs.map((b) => b.metric)).toEqual(["fault-both-1", "Duration User", "Duration System"]);
    expect(bs[2]).toMatchObject({ baseline: 4321, value: 4000.5, direction: "improvement" });
  });
});

describe("time(1)", () => {
  it("bash real/user/sys with the command above", () => {
    const bs = bench("$ time make -j64 vmlinux\n\nreal\t1m2.500s\nuser\t30m10.000s\nsys\t2m0.250s\n");
    expect(bs.map((b) => [b.metric, b.value, b.unit])).toEqual([
      ["elapsed", 62.5, "s"],
      ["user", 1810, "s"],
      ["system", 120.25, "s"],
    ]);
    expect(bs[0]).toMatchObject({ suite: "time", method: "time", config: { command: "time make -j64 vmlinux" }, lines: [3, 5] });
  });

  it("GNU time default and -v", () => {
    const d = bench("1.23user 0.45system 0:02.50elapsed 67%CPU (0avgtext+0avgdata 5120maxresident)k\n");
    expect(d.map((b) => [b.metric, b.value])).toEqual([
      ["user", 1.23],
      ["system", 0.45],
      ["elapsed", 2.5],
      ["cpu", 67],
      ["maxrss", 5120],
    ]);
    const v = bench(`\tCommand being timed: "./stress 16"
\tUser time (seconds): 10.50
\tSystem time (seconds): 3.25
\tPercent of CPU this job got: 350%
\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:05.00
\tMaximum resident set size (kbytes): 20480
\tExit status: 0
`);
    expect(v.map((b) => [b.metric, b.value])).toEqual([
      ["user", 10.5],
      ["system", 3.25],
      ["cpu", 350],
      ["elapsed", 65],
      ["maxrss", 20480],
    ]);
    expect(v[0]).toMatchObject({ method: "time-v", config: { command: "./stress 16" } });
  });

  it("zsh's one-line format, and the mmtests config it ran", () => {
    const bs = bench("./run-mmtests.sh --config configs/config-workload-pft-threads\n\n12.00s user 34.50s system 200% cpu 23.25s (0:23.25) total\n");
    expect(bs.map((b) => [b.suite, b.test, b.metric, b.value])).toEqual([
      ["mmtests", "pft-threads", "user", 12],
      ["mmtests", "pft-threads", "system", 34.5],
      ["mmtests", "pft-threads", "cpu", 200],
      ["mmtests", "pft-threads", "elapsed", 23.25],
    ]);
  });
});

describe("other suites", () => {
  it("will-it-scale result lines and runtest.py CSV", () => {
    const a = bench("page_fault3_threads 16 2345678 ops\n");
    expect(a[0]).toMatchObject({ suite: "will-it-scale", test: "page_fault3", metric: "per_thread_ops", value: 2345678, config: { mode: "threads", nr_task: "16" } });
    const b = bench("brk1:\ntasks,processes,processes_idle,threads,threads_idle,linear\n0,0,100,0,100,0\n1,100000,95.0,90000,95.1,100000\n2,190000,90.0,170000,90.1,200000\n");
    expect(b.map((x) => [x.test, x.metric, x.value, x.config?.nr_task])).toEqual([
      ["brk1", "per_process_ops", 100000, "1"],
      ["brk1", "per_thread_ops", 90000, "1"],
      ["brk1", "per_process_ops", 190000, "2"],
      ["brk1", "per_thread_ops", 170000, "2"],
    ]);
  });

  it("stress-ng metrics lines", () => {
    const bs = bench(`stress-ng: info:  [4242] stressor       bogo ops real time  usr time  sys time   bogo ops/s     bogo ops/s
stress-ng: info:  [4242]                           (secs)    (secs)    (secs)   (real time) (usr+sys time)
stress-ng: info:  [4242] vm                 120000     60.00     10.00     50.00      2000.00        2000.00
`);
    expect(bs.map((b) => [b.suite, b.test, b.metric, b.value])).toEqual([
      ["stress-ng", "vm", "bogo-ops/s", 2000],
      ["stress-ng", "vm", "bogo-ops", 120000],
    ]);
  });

  it("pft's classic table", () => {
    const bs = bench(`  Gb  Rep Thr CLine  User      System     Wall   flt/cpu/s fault/wsec
   1   5   8   1    0.05s      2.10s    0.40s  60000.123 250000.456
`);
    expect(bs.map((b) => [b.metric, b.value])).toEqual([
      ["User", 0.05],
      ["System", 2.1],
      ["Wall", 0.4],
      ["flt/cpu/s", 60000.123],
      ["fault/wsec", 250000.456],
    ]);
    expect(bs[3]).toMatchObject({ suite: "pft", config: { gb: "1", rep: "5", thr: "8", cline: "1" } });
  });

  it("kernbench averages, with and without a second column", () => {
    const bs = bench(`Average Optimal load -j 32 Run (std deviation):
Elapsed Time 100.50 (0.80)
User Time 2500.10 (4.20)
Elapsed Time  120.0 (1.0)  100.0 (0.5)
`);
    expect(bs[0]).toMatchObject({ suite: "kernbench", metric: "elapsed time", value: 100.5, stddevAbs: 0.8, unit: "s", config: { load: "optimal", jobs: "32" } });
    expect(bs[2]).toMatchObject({ baseline: 120, value: 100, direction: "improvement" });
    expect(bs[2].change).toBeCloseTo(-16.667, 2);
  });

  it("fio job output", () => {
    const bs = bench(`randread: (groupid=0, jobs=4): err= 0: pid=1234: Mon Jan  1 00:00:00 2024
  read: IOPS=45.6k, BW=178MiB/s (187MB/s)(10.4GiB/60001msec)
    clat (usec): min=12, max=4567, avg=87.65, stdev=21.09
`);
    expect(bs.map((b) => [b.test, b.metric, b.value, b.unit])).toEqual([
      ["randread", "read.iops", 45600, "IOPS"],
      ["randread", "read.bw", 178, "MiB/s"],
      ["randread", "read.clat", 87.65, "us"],
    ]);
    expect(bs[2].stddevAbs).toBe(21.09);
  });

  it("a hand-made comparison table under a sentence naming the workload", () => {
    const bs = bench(`Results with vm-scalability, 3 runs each:

                     base      patched
  throughput (MB/s)  1000      1100 (+10.0%)
  sys time (s)       50.0      45.0
`);
    expect(bs.map((b) => [b.suite, b.metric, b.baseline, b.value, b.change, b.unit, b.direction, b.variant])).toEqual([
      ["vm-scalability", "throughput", 1000, 1100, 10, "MB/s", "improvement", "patched"],
      ["vm-scalability", "sys time", 50, 45, -10, "s", "improvement", "patched"],
    ]);
  });
});

describe("prose claims", () => {
  it("'31.4% improvement on will-it-scale page_fault3'", () => {
    const [b] = bench("With this series I see a 31.4% improvement on will-it-scale page_fault3 on a 2-socket box.\n");
    expect(b).toMatchObject({ suite: "will-it-scale", test: "page_fault3", change: 31.4, direction: "improvement", method: "prose:pct" });
  });

  it("'reduces latency by 12%' and 'went down by about 16%'", () => {
    const [a] = bench("The patch reduces latency by 12% in our fio runs.\n");
    expect(a).toMatchObject({ suite: "fio", metric: "latency", change: -12, direction: "improvement", method: "prose:by" });
    const [b] = bench("From the numbers it also looks like system time went down by about 16%.\n");
    expect(b).toMatchObject({ suite: null, metric: "system time", change: -16, direction: "improvement" });
  });

  it("an LKP metric named in prose, citing the robot", () => {
    const [b] = bench("The kernel test robot reports a 5.5% regression of stress-ng.fork.ops_per_sec with this.\n");
    expect(b).toMatchObject({ suite: "stress-ng", metric: "fork.ops_per_sec", change: -5.5, direction: "regression", cites: "lkp" });
  });

  it("from-to claims", () => {
    const [b] = bench("This cuts lock contentions from 18.2M to 2.4M per run.\n");
    expect(b).toMatchObject({ metric: "lock contentions", baseline: 18.2e6, value: 2.4e6, direction: "improvement", method: "prose:from-to" });
  });

  it("negatives: no benchmark named, numbers in quotes and diffs, percentages that are not claims", () => {
    expect(bench("I'm 100% sure this is right.\n")).toEqual([]);
    expect(bench("> With this series I see a 31.4% improvement on will-it-scale page_fault3.\n\nNice.\n")).toEqual([]);
    const diff = `diff --git a/x.txt b/x.txt
--- a/x.txt
+++ b/x.txt
@@ -1,2 +1,2 @@
-  41235812 ±  2%     +12.4%   46349273        vm-scalability.throughput
+  41235813 ±  2%     +12.4%   46349273        vm-scalability.throughput
 real	0m1.000s
`;
    expect(bench(diff)).toEqual([]);
    expect(bench("Battery is at 80% and the fan is louder.\n")).toEqual([]);
  });
});

describe("helpers", () => {
  it("numbers and directions", () => {
    expect(parseNumber("12.3k")).toBe(12300);
    expect(parseNumber("8.412e+08")).toBe(8.412e8);
    expect(parseNumber("1,234.5")).toBe(1234.5);
    expect(parseNumber("abc")).toBeUndefined();
    expect(betterWhen("throughput")).toBe(1);
    expect(betterWhen("per_process_ops")).toBe(1);
    expect(betterWhen("time.elapsed_time")).toBe(-1);
    expect(betterWhen("median")).toBe(0);
  });
});
