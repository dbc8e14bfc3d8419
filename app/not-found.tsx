import { Crumbs } from "./_components/chrome";

export default function NotFound() {
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { label: "not found" }]} />
      <section className="notice">
        <h1>Not found</h1>
        <p>There is no such list or message in this archive.</p>
        <p>
          <a href="/">All lists</a>
        </p>
      </section>
    </>
  );
}
