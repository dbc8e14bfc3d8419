// Queries used by a page and its generateMetadata, deduplicated within one request.
import "server-only";
import { cache } from "react";
import { getList, getMessage, getThread, getThreadTree, listThreads } from "@/lib/views/messages";
import { getInterdiff, getMessageSeriesInfo, getPatch, getSeries, getVersionLine, listSeries } from "@/lib/views/series";
import { getDb } from "../db";

function db() {
  const d = getDb();
  if (!d) throw new Error("no database");
  return d;
}

export const loadList = cache((list: string) => getList(db(), list));
export const loadThreads = cache((list: string, page: number, pageSize: number) => listThreads(db(), list, page, pageSize));
export const loadMessage = cache((list: string, msgid: string) => getMessage(db(), list, msgid));
export const loadThread = cache((list: string, msgid: string) => getThread(db(), list, msgid));
export const loadThreadTree = cache((threadId: number) => getThreadTree(db(), threadId));

export const loadSeriesList = cache((list: string, page: number, pageSize: number) => listSeries(db(), list, page, pageSize));
export const loadSeries = cache((key: string) => getSeries(db(), key));
export const loadPatch = cache((msgid: string) => getPatch(db(), msgid));
export const loadVersionLine = cache((id: number) => getVersionLine(db(), id));
export const loadInterdiff = cache((from: string, to: string) => getInterdiff(db(), from, to));
/** Patch view and series of some messages; msgids joined by "\n" so the cache can compare the argument. */
export const loadSeriesInfo = cache((msgids: string) => getMessageSeriesInfo(db(), msgids ? msgids.split("\n") : []));
