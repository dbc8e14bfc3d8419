// Small pieces shared by the series, patch, version-line and interdiff pages.
import type { ReactNode } from "react";
import { completenessText, versionLabel, type VersionLike } from "../_lib/series";
import { seriesUrl, versionLineUrl } from "../_lib/urls";

/** The version, RFC and RESEND badges of a posting. */
export function VersionBadges({ s }: { s: VersionLike & { isResend?: boolean } }) {
  return (
    <span className="badges">
      {s.isRfc ? <span className="badge rfc">RFC</span> : null}
      {!s.isRfc || s.revision !== "1" ? <span className="badge ver">v{s.revision || s.version}</span> : null}
      {s.isResend ? <span className="badge resend">RESEND</span> : null}
    </span>
  );
}

export function Completeness({ s }: { s: { complete: boolean; missing: number[]; total: number } }) {
  return <span className={`completeness ${s.complete ? "ok" : "missing"}`}>{completenessText(s)}</span>;
}

/** Every version of the line, the current one highlighted; a link to the version line page. */
export function VersionBar({
  versions,
  current,
  versionLine,
  extra,
}: {
  versions: (VersionLike & { key: string; date: string | null })[];
  current: string | null;
  versionLine: number | null;
  extra?: ReactNode;
}) {
  return (
    <nav className="version-bar" aria-label="Versions">
      <span className="vb-label">versions:</span>
      <ol>
        {versions.map((v) => {
          const here = v.key === current;
          return (
            <li key={v.key} className={here ? "current" : undefined}>
              <a href={seriesUrl(v.key)} aria-current={here ? "page" : undefined} title={v.date ? v.date.slice(0, 10) : undefined}>
                {versionLabel(v)}
              </a>
            </li>
          );
        })}
      </ol>
      {versionLine !== null ? (
        <a className="vb-line" href={versionLineUrl(versionLine)}>
          version line →
        </a>
      ) : null}
      {extra}
    </nav>
  );
}
