import { lazy, Suspense, useEffect } from "react";
import { ChatPage } from "./chat/chat-page.js";
import { useI18n } from "./i18n/locale-context.js";
import { useHashRoute } from "./use-hash-route.js";

// The dashboard pulls in the charting library; chat users never download it.
const DashboardPage = lazy(async () => ({
  default: (await import("./dashboard/dashboard-page.js")).DashboardPage,
}));

// The console too (charts, diff); only operators download it.
const ConsolePage = lazy(async () => ({
  default: (await import("./console/console-page.js")).ConsolePage,
}));

/** The page frame: header with navigation and the language switch, then the current page. */
export function App() {
  const { t, locale, setLocale } = useI18n();
  const route = useHashRoute();
  useEffect(() => {
    document.title =
      route === "dashboard"
        ? `${t.navDashboard} · ${t.appTitle}`
        : route === "console"
          ? `${t.navConsole} · ${t.appTitle}`
          : t.appTitle;
  }, [route, t]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="header">
        <div className="header__brand">
          <span className="header__title">{t.appTitle}</span>
          <span className="header__tagline">{t.appTagline}</span>
        </div>
        <nav className="header__nav" aria-label={t.navLabel}>
          <a href="#/" data-testid="nav-chat" aria-current={route === "chat" ? "page" : undefined}>
            {t.navChat}
          </a>
          <a
            href="#/dashboard"
            data-testid="nav-dashboard"
            aria-current={route === "dashboard" ? "page" : undefined}
          >
            {t.navDashboard}
          </a>
          <a
            href="#/console"
            data-testid="nav-console"
            aria-current={route === "console" ? "page" : undefined}
          >
            {t.navConsole}
          </a>
        </nav>
        <button
          type="button"
          className="button button--quiet header__lang"
          data-testid="language-switch"
          lang={locale === "zh" ? "en" : "zh-CN"}
          aria-label={t.switchLanguageLabel}
          onClick={() => setLocale(locale === "zh" ? "en" : "zh")}
        >
          {t.switchLanguage}
        </button>
      </header>
      <main id="main" className={route === "chat" ? "main" : "main main--wide"} tabIndex={-1}>
        {/* The chat stays mounted (hidden) while the dashboard is open, so the conversation survives a look
            at the charts; hidden replies stop counting dwell because they are no longer in view. */}
        <div hidden={route !== "chat"}>
          <ChatPage />
        </div>
        {route === "dashboard" && (
          <Suspense fallback={<p className="muted">{t.loading}</p>}>
            <DashboardPage />
          </Suspense>
        )}
        {route === "console" && (
          <Suspense fallback={<p className="muted">{t.loading}</p>}>
            <ConsolePage />
          </Suspense>
        )}
      </main>
    </div>
  );
}
