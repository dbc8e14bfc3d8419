// Page furniture: breadcrumbs, pagination, the "no database" notice.
import type { ReactNode } from "react";
import { NO_DATABASE_MESSAGE } from "../db";

export interface Crumb {
  href?: string;
  label: string;
}

export function Crumbs({ items }: { items: Crumb[] }) {
  return (
    <nav className="crumbs" aria-label="Breadcrumbs">
      <ol>
        {items.map((c, i) => (
          <li key={i}>{c.href && i < items.length - 1 ? <a href={c.href}>{c.label}</a> : <span aria-current={i === items.length - 1 ? "page" : undefined}>{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

export function Pager({ page, pageSize, total, href }: { page: number; pageSize: number; total: number; href: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? (
        <a rel="prev" href={href(page - 1)}>
          ← newer
        </a>
      ) : (
        <span className="off">← newer</span>
      )}
      <span className="where">
        page {page} of {pages}
      </span>
      {page < pages ? (
        <a rel="next" href={href(page + 1)}>
          older →
        </a>
      ) : (
        <span className="off">older →</span>
      )}
    </nav>
  );
}

export function NoDatabase() {
  return (
    <section className="notice error">
      <h1>No database</h1>
      <p>{NO_DATABASE_MESSAGE}</p>
    </section>
  );
}

export function Note({ children, kind = "info" }: { children: ReactNode; kind?: "info" | "warn" }) {
  return <p className={`note ${kind}`}>{children}</p>;
}
