// Shared shapes for the archive readers in ingest/sources/. A Source streams raw RFC 822
// messages one at a time; nothing here ever holds a whole archive in memory.

export interface SourceMessage {
  /** exact bytes of one RFC 822 message (mbox escaping undone) */
  raw: Buffer;
  /**
   * where it came from, stable across runs:
   * "mbox:<abs path>#<byte offset>", "maildir:<abs path>/cur/<file>", "git:<abs epoch path>@<commit oid>",
   * "page:<abs path>#L<first line>-<last line>", "lore:<message URL>" (lore over HTTP)
   */
  ref: string;
  /** for incremental sources: after this message is stored, state[key] = value */
  cursor?: { key: string; value: string };
  /**
   * how the bytes were recovered when they are not the original message: "page:lore-flat",
   * "page:mail-archive", "page:article-table", "page:hypermail", "page:collapsed-rfc822" (rebuilt
   * from an archive page, see lib/archive-pages), "quote" (rebuilt from the quotes in another message).
   * Absent for real messages.
   */
  recovery?: string;
  /** true for a message rebuilt from quotes in another message: store it as a ghost with content,
   * never overwriting a real message with the same Message-ID */
  reconstructed?: boolean;
  /** set when the source did not keep the bytes because the message is over the size limit it
   * was given (ItemLimits): raw is empty and this is the message's real size */
  size?: number;
}

/** Limits a source applies while reading, so one huge message never has to fit in memory. */
export interface ItemLimits {
  /** messages larger than this come back with empty raw and their size set */
  maxMessageBytes?: number;
}

/** public-inbox "d" blob: the message to delete */
export interface SourceDeletion {
  delete: true;
  raw: Buffer;
  ref: string;
  cursor?: { key: string; value: string };
}

export type SourceItem = SourceMessage | SourceDeletion;

export type SourceKind = "mbox" | "maildir" | "public-inbox-v2" | "public-inbox-epoch" | "page" | "lore-http";

/** Options for openSource. */
export interface OpenSourceOptions {
  /** lore list URLs: take messages dated at or after this (a Date, or YYYY-MM-DD, ISO, "2.weeks.ago") */
  since?: Date | string;
}

export interface Source {
  kind: SourceKind;
  /** absolute path (a URL for lore-http) */
  location: string;
  /** total items when cheaply known (git rev-list --count), else null; used for progress/ETA */
  count(state: Record<string, string>): Promise<number | null>;
  items(state: Record<string, string>, signal?: AbortSignal, limits?: ItemLimits): AsyncIterable<SourceItem>;
  /** a name suggestion for the list when the user gives none (e.g. from the path "linux-mmc" or List-Id), may be null */
  suggestedListName(): string | null;
}

/** A problem with the user's input (bad path, unknown format, git failure...): the message is meant to be shown as is. */
export class SourceError extends Error {
  override name = "SourceError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isDeletion(item: SourceItem): item is SourceDeletion {
  return (item as SourceDeletion).delete === true;
}
