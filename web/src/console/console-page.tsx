import { useEffect, useState } from "react";
import { useI18n } from "../i18n/locale-context.js";
import { useConsoleWords } from "./console-words.js";
import { ExperimentResults } from "./experiment-results.js";
import { OperatorGate } from "./operator-gate.js";
import { ReportsView } from "./reports-view.js";
import { VersionPage } from "./version-page.js";
import { VersionsView } from "./versions-view.js";
import "../dashboard/dashboard.css";
import "./console.css";

/** Where in the console a hash points: `#/console/reports`, `#/console/versions[/<id>]`, `#/console/experiments`. */
export type ConsoleView =
  { view: "reports" } | { view: "versions" } | { view: "version"; id: string } | { view: "experiments" };

export function consoleViewOf(hash: string): ConsoleView {
  const [, section, id] = hash.replace(/^#\/?/, "").split("/");
  if (section === "versions" && id) return { view: "version", id: decodeURIComponent(id) };
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
  const { t } = useI18n();
  const view = useConsoleView();
  const tabs = [
    { href: "#/console/reports", label: w.tabReports, active: view.view === "reports" },
    {
      href: "#/console/versions",
      label: w.tabVersions,
      active: view.view === "versions" || view.view === "version",
    },
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
          {view.view === "experiments" && <ExperimentResults />}
        </div>
      </OperatorGate>
    </section>
  );
}
