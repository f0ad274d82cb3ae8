// Base styles first: the pages' stylesheets, imported by their components, refine them.
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import type { AppServices } from "./app-services.js";
import { ServicesProvider } from "./app-services.js";
import { browserDwellEnvironment } from "./feedback/dwell-tracker.js";
import { FeedbackQueue } from "./feedback/feedback-queue.js";
import { LocaleProvider } from "./i18n/locale-context.js";
import { local } from "./session/safe-storage.js";
import { loadSessionId, randomId } from "./session/session-id.js";

const sessionId = loadSessionId(local, () => randomId(window.crypto));
// Bound so the methods keep their receivers (calling them detached throws "Illegal invocation").
const fetchFn: typeof fetch = window.fetch.bind(window);
const services: AppServices = {
  fetch: fetchFn,
  sessionId,
  feedback: new FeedbackQueue({
    sessionId,
    fetch: fetchFn,
    ...(typeof navigator.sendBeacon === "function"
      ? { sendBeacon: navigator.sendBeacon.bind(navigator) }
      : {}),
  }),
  now: () => Date.now(),
  dwell: browserDwellEnvironment(),
  ...(navigator.clipboard ? { writeClipboard: (text: string) => navigator.clipboard.writeText(text) } : {}),
};

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");
createRoot(container).render(
  <StrictMode>
    <LocaleProvider storage={local}>
      <ServicesProvider services={services}>
        <App />
      </ServicesProvider>
    </LocaleProvider>
  </StrictMode>,
);
