import type { Metadata } from "next";
import { ALIAS_HELP, DATE_HELP, FACET_HELP, LIMITS_HELP, PREFIX_HELP, SYNTAX_HELP, type HelpEntry, type HelpGroup } from "@/lib/search/help";
import { Crumbs } from "../../_components/chrome";
import { SearchBox } from "../../_components/SearchBits";
import { searchUrl } from "../../_lib/urls";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Search syntax" };

const GROUPS: { group: HelpGroup; title: string }[] = [
  { group: "headers", title: "Headers" },
  { group: "body", title: "Body" },
  { group: "diff", title: "Diffs (the message's own unquoted diff only)" },
  { group: "ids", title: "Message-IDs and lists" },
  { group: "dates", title: "Dates" },
  { group: "patchlore", title: "Beyond lore" },
];

function Example({ q }: { q: string }) {
  return (
    <a href={searchUrl(q)} className="mono">
      {q}
    </a>
  );
}

function Rows({ entries }: { entries: readonly HelpEntry[] }) {
  return (
    <tbody>
      {entries.map((e) => (
        <tr key={e.prefix}>
          <td className="mono nowrap">
            {e.prefix}
            {e.aliases.map((a) => (
              <span key={a.prefix}>
                , {a.prefix}
                {a.lore !== e.lore ? <span className="dim small">{a.lore ? " (lore)" : " (patchlore)"}</span> : null}
              </span>
            ))}
          </td>
          <td>{e.meaning}</td>
          <td>
            <Example q={e.example} />
          </td>
          <td>{e.lore ? "yes" : <span className="dim">no</span>}</td>
        </tr>
      ))}
    </tbody>
  );
}

export default function SearchHelp() {
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { href: "/search", label: "search" }, { label: "syntax" }]} />
      <h1 className="page-title">Search syntax</h1>
      <SearchBox big />
      <p>
        The query language of lore.kernel.org (public-inbox), with the same meaning, plus patchlore&apos;s own prefixes. Words are matched whole and
        case-insensitively; code identifiers stay one word (<code>vm_write_begin</code>, <code>__GFP_NOWARN</code>, <code>do_wp_page()</code>); a value
        of several words, like <code>mm/memory.c</code> or an address, is searched as the phrase of its words. Results come newest first; tick
        &quot;by relevance&quot; (lore&apos;s <code>r</code>) to rank them, &quot;one per thread&quot; to collapse threads.
      </p>
      <table className="grid search-help">
        <thead>
          <tr>
            <th>prefix</th>
            <th>meaning</th>
            <th>example</th>
            <th>lore</th>
          </tr>
        </thead>
        {GROUPS.map((g) => {
          const entries = PREFIX_HELP.filter((e) => e.group === g.group);
          return entries.length ? [
            <tbody key={`${g.group}-h`}>
              <tr className="group">
                <th colSpan={4}>{g.title}</th>
              </tr>
            </tbody>,
            <Rows key={g.group} entries={entries} />,
          ] : null;
        })}
      </table>
      <h2 className="section-title">Operators</h2>
      <table className="grid search-help">
        <thead>
          <tr>
            <th>syntax</th>
            <th>meaning</th>
            <th>example</th>
            <th>lore</th>
          </tr>
        </thead>
        <Rows entries={SYNTAX_HELP} />
      </table>
      <h2 className="section-title">Dates (d:, rt:)</h2>
      <table className="grid search-help">
        <thead>
          <tr>
            <th>form</th>
            <th>meaning</th>
          </tr>
        </thead>
        <tbody>
          {DATE_HELP.map((d) => (
            <tr key={d.form}>
              <td className="mono">{d.form}</td>
              <td>{d.meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="section-title">Facets (is:, has:)</h2>
      <table className="grid search-help">
        <thead>
          <tr>
            <th>facet</th>
            <th>meaning</th>
            <th>example</th>
          </tr>
        </thead>
        <tbody>
          {FACET_HELP.map((f) => (
            <tr key={f.facet} id={`facet-${f.facet.replace(":", "-")}`}>
              <td className="mono nowrap"><Example q={f.facet} /></td>
              <td>{f.meaning}</td>
              <td>
                <Example q={f.example} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="section-title">Aliases</h2>
      <ul>
        {ALIAS_HELP.map((a) => (
          <li key={a.prefix}>
            <code>{a.prefix}</code> {a.meaning} {a.lore ? <span className="dim">(lore)</span> : <span className="dim">(patchlore)</span>}
          </li>
        ))}
      </ul>
      <h2 className="section-title">Limits and differences from lore</h2>
      <ul>
        {LIMITS_HELP.map((l) => (
          <li key={l}>{l}</li>
        ))}
        <li>No stemming: <code>running</code> does not find <code>run</code> (lore stems English words); use a wildcard, <code>run*</code>.</li>
        <li>Words longer than 64 characters are not indexed (as in lore); a phrase is found within the first 16,383 words of each field of a message.</li>
        <li>
          <code>NEAR</code>/<code>ADJ</code> with three or more words: every word within the window, tested on the positions of each field.
        </li>
        <li>A search stops after 5 seconds with a message; the JSON API answers 504 then, and 413 for a query over 1,000 characters.</li>
      </ul>
      <h2 className="section-title">Outputs</h2>
      <p>
        Every search is also available as JSON (<code>/api/search?q=…</code>), an Atom feed (<code>&amp;x=A</code>), an mbox.gz of the results (
        <code>&amp;x=m</code>) or of their whole threads (<code>&amp;x=t</code>), and on the command line: <code>npx patchlore search &apos;…&apos;</code>.
      </p>
    </>
  );
}
