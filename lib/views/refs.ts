// The row shapes and helpers every read model shares: a page of rows, and how a message, a series
// posting and a person are referred to from other rows. One definition each, so the pages, the
// API, the CLI and Markdown agree on them.

/** A page of rows: `page` is 1-based, `total` counts every row. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** The most rows one page answers (`l=` / `pageSize`). */
export const MAX_PAGE_SIZE = 200;

/** A message as other rows point at it. */
export interface MessageRef {
  msgid: string;
  subject: string;
  fromName: string;
  fromAddress: string;
  date: string | null;
  /** a list the message is in (the first by name), for links */
  list: string | null;
}

/** A series posting as other rows point at it. */
export interface SeriesRef {
  key: string;
  title: string;
  version: number;
  revision: string;
  isRfc: boolean;
}

/** A person as written in mail: the display name and the address. */
export interface PersonRef {
  name: string;
  address: string;
}

/** A timestamp from the database as ISO 8601 (UTC), null kept. */
export const iso = (d: Date | string | null | undefined): string | null => (d === null || d === undefined ? null : new Date(d).toISOString());
