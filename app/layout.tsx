import type { Metadata } from "next";
import type { ReactNode } from "react";
import { connection } from "next/server";
import { SearchBox } from "./_components/SearchBits";
import "./globals.css";
import "./patches.css";
import "./highlight.css";
import { UserNav } from "./_components/UserNav";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "patchlore", template: "%s · patchlore" },
  description: "Design history from mailing-list archives",
  robots: { index: true, follow: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // rendered per request (never prerendered), so Next can put the CSP nonce on its scripts,
  // including on the not-found page
  await connection();
  return (
    <html lang="en">
      <body>
        <header className="site">
          <a href="/" className="brand">
            patchlore
          </a>
          <nav className="site-nav" aria-label="Site">
            <a href="/">lists</a>
            <a href="/series/">series</a>
            <a href="/proposals/">proposals</a>
            <a href="/ideas/">ideas</a>
            <a href="/decisions/">decisions</a>
            <a href="/people/">people</a>
            <a href="/code/">code</a>
            <a href="/api">api</a>
          </nav>
          <UserNav />
          <SearchBox />
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
