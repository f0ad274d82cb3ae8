import { useEffect, useState } from "react";
import { useI18n } from "../i18n/locale-context.js";
import { useConsoleWords } from "./console-words.js";
import { ExperimentResults } from "./experiment-results.js";
import { OperatorGate } from "./operator-gate.js";
import { PlaygroundPage } from "./playground-page.js";
import { usePlaygroundWords } from "./playground-words.js";
import { ReportsView } from "./reports-view.js";
import { VersionForm } from "./version-form.js";
import { VersionPage } from "./version-page.js";
import { VersionsView } from "./versions-view.js";
import "../dashboard/dashboard.css";
import "./console.css";

/**
 * Where in the console a hash points: `#/console/reports`, `#/console/versions[/<id>[/new]]`,
 * `#/console/playground[/<id>]`, `#/console/experiments`.
 */
export type ConsoleView =
  | { view: "reports" }
  | { view: "versions" }
  | { view: "version"; id: string }
  | { view: "new-version"; parentId: string }
  | { view: "playground"; id: string | null }
  | { view: "experiments" };

export function consoleViewOf(hash: string): ConsoleView {
  const [, section, id, action] = hash.replace(/^#\/?/, "").split("/");
  if (section === "versions" && id && action === "new")
    return { view: "new-version", parentId: decodeURIComponent(id) };
  if (section === "versions" && id) return { view: "version", id: decodeURIComponent(id) };
  if (section === "playground") return { view: "playground", id: id ? decodeURIComponent(id) : null };
  if (section === "versions") return { view: "versions" };
  if (section === "experiments") return { view: "experiments" };
  return { view: "reports" };
}

function useConsoleView(): ConsoleView {
  const [view, setView] = useState(() => consoleViewOf(window.location.hash));
  useEffect(() => {
    const onChange = () => setView(consoleViewOf(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return view;
}

/** The operator console: run and read the analysis, work with versions, follow experiments (session required). */
export function ConsolePage() {
  const w = useConsoleWords();
  const pw = usePlaygroundWords();
  const { t } = useI18n();
  const view = useConsoleView();
  const tabs = [
    { href: "#/console/reports", label: w.tabReports, active: view.view === "reports" },
    {
      href: "#/console/versions",
      label: w.tabVersions,
      active: view.view === "versions" || view.view === "version" || view.view === "new-version",
    },
    { href: "#/console/playground", label: pw.tabPlayground, active: view.view === "playground" },
    { href: "#/console/experiments", label: w.tabExperiments, active: view.view === "experiments" },
  ];
  return (
    <section className="dashboard console" aria-labelledby="console-heading">
      <OperatorGate heading={<h1 id="console-heading">{w.consoleTitle}</h1>}>
        <nav className="console__tabs" aria-label={w.consoleTitle}>
          {tabs.map((tab) => (
            <a key={tab.href} href={tab.href} aria-current={tab.active ? "page" : undefined}>
              {tab.label}
            </a>
          ))}
        </nav>
        <div data-testid="console-content" aria-live="polite" aria-busy={false} title={t.appTitle}>
          {view.view === "reports" && <ReportsView />}
          {view.view === "versions" && <VersionsView />}
          {view.view === "version" && <VersionPage key={view.id} versionId={view.id} />}
          {view.view === "new-version" && <VersionForm key={view.parentId} parentId={view.parentId} />}
          {view.view === "playground" && <PlaygroundPage key={view.id ?? ""} versionId={view.id} />}
          {view.view === "experiments" && <ExperimentResults />}
        </div>
      </OperatorGate>
    </section>
  );
}
