import { useEffect, useState } from "react";
import { useI18n } from "../i18n/locale-context.js";
import { useConsoleWords } from "./console-words.js";
import { ExperimentResults } from "./experiment-results.js";
import { OperatorGate } from "./operator-gate.js";
import { PlaygroundPage } from "./playground-page.js";
import { usePlaygroundWords } from "./playground-words.js";
import { ReportsView } from "./reports-view.js";
import { InteractionPage } from "./interaction-page.js";
import { RegressionSetPage } from "./regression-set-view.js";
import { TriagePage } from "./triage-page.js";
import { useTriageWords } from "./triage-words.js";
import { VersionForm } from "./version-form.js";
import { VersionPage } from "./version-page.js";
import { VersionsView } from "./versions-view.js";
import "../dashboard/dashboard.css";
import "./console.css";

/**
 * Where in the console a hash points: `#/console/reports`, `#/console/versions[/<id>[/new]]`,
 * `#/console/playground[/<id>]`, `#/console/experiments`, `#/console/triage`, `#/console/interactions/<id>`,
 * `#/console/regression-sets/<id>`.
 */
export type ConsoleView =
  | { view: "reports" }
  | { view: "versions" }
  | { view: "version"; id: string }
  | { view: "new-version"; parentId: string }
  | { view: "playground"; id: string | null }
  | { view: "experiments" }
  | { view: "triage" }
  | { view: "interaction"; id: string }
  | { view: "regression-set"; id: string };

export function consoleViewOf(hash: string): ConsoleView {
  const [, section, id, action] = hash.replace(/^#\/?/, "").split("/");
  if (section === "versions" && id && action === "new")
    return { view: "new-version", parentId: decodeURIComponent(id) };
  if (section === "versions" && id) return { view: "version", id: decodeURIComponent(id) };
  if (section === "playground") return { view: "playground", id: id ? decodeURIComponent(id) : null };
  if (section === "versions") return { view: "versions" };
  if (section === "experiments") return { view: "experiments" };
  if (section === "triage") return { view: "triage" };
  if (section === "interactions" && id) return { view: "interaction", id: decodeURIComponent(id) };
  if (section === "regression-sets" && id) return { view: "regression-set", id: decodeURIComponent(id) };
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
  const tw = useTriageWords();
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
    {
      href: "#/console/triage",
      label: tw.tabTriage,
      active: view.view === "triage" || view.view === "interaction" || view.view === "regression-set",
    },
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
          {view.view === "triage" && <TriagePage />}
          {view.view === "interaction" && <InteractionPage key={view.id} interactionId={view.id} />}
          {view.view === "regression-set" && <RegressionSetPage key={view.id} setId={view.id} />}
        </div>
      </OperatorGate>
    </section>
  );
}
