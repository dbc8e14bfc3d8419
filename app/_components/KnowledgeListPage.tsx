// /ideas/ and /decisions/: KnowledgeList.tsx between the breadcrumbs and the pager (which keeps the filters).
import { getDb } from "../db";
import { Crumbs, NoDatabase, Pager } from "./chrome";
import { KnowledgeListView, loadKnowledgeList, type KnowledgeWhat } from "./KnowledgeList";
import { knowledgeListUrl } from "../_lib/urls";

export async function KnowledgeListPage({ what, searchParams }: { what: KnowledgeWhat; searchParams: Record<string, string | string[] | undefined> }) {
  const db = getDb();
  if (!db) return <NoDatabase />;
  const data = await loadKnowledgeList(db, what, searchParams);
  const r = data.result;
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { label: what }]} />
      <KnowledgeListView data={data} />
      {r ? <Pager page={r.page} pageSize={r.pageSize} total={r.total} href={(n) => knowledgeListUrl(what, { kind: data.kind, person: data.person, list: data.list, page: n })} /> : null}
    </>
  );
}
