import fs from "node:fs";
import path from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";

type LoggerOption = NonNullable<FastifyServerOptions["logger"]>;
import type { OperatorToken } from "../operators/operator-tokens.js";
import type { RateLimits } from "../rate-limits/rate-limits.js";
import { createOperatorAuth } from "./session/operator-auth.js";
import { sessionSigningKey } from "./session/session-cookie.js";
import type { SessionRevocationStore } from "./session/session-revocation-store.js";
import { registerSessionRoutes } from "./session/session-routes.js";
import { answerClientError } from "./client-error-response.js";
import { handleError } from "./error-handler.js";
import { registerModelRateLimit } from "./model-rate-limit.js";
import type { HostAllowList } from "./host-allow-list.js";
import { registerJsonBodyParser } from "./json-body-parser.js";
import { createHostGuard, createSameOriginGuard } from "./request-origin-guards.js";
import { apiSchemas, errorSchema } from "./schemas.js";
import { docsContentSecurityPolicy, registerSecurityHeaders } from "./security-headers.js";

export interface ServerOptions {
  /** Every admin token with its operator's name (ADMIN_TOKEN as `admin`, ADMIN_TOKENS); none = admin disabled. */
  operators: readonly OperatorToken[];
  /** How long a console session lasts (SESSION_TTL_HOURS). */
  sessionTtlMs: number;
  /** The clock sessions expire by. */
  now: () => number;
  /** Console sessions signed out before they expired, shared by the replicas on one database. */
  sessionRevocations: SessionRevocationStore;
  maxInputChars: number;
  /** Model-backed requests per client address and minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Where the rate limits count (shared by the replicas on PostgreSQL, in memory on SQLite). */
  rateLimits: RateLimits;
  /** Fastify's `trustProxy`: which proxies' X-Forwarded-For to believe about the client's address. */
  trustProxy: boolean | string[];
  /** Host names served (ALLOWED_HOSTS): the DNS-rebinding defence, and which origins count as ours. */
  allowedHosts: HostAllowList;
  /** The built web app (web/dist); served at `/` when present. */
  webRoot?: string;
  logger: LoggerOption;
  version: string;
  /** Longest time to receive a whole request (REQUEST_TIMEOUT_MS): a slow body can't hold a connection. */
  requestTimeoutMs?: number;
  /** A socket silent for this long is closed; must outlast the longest silent wait (a queued, unstreamed reply). */
  connectionTimeoutMs?: number;
}

/** A registrar adds one feature's routes; admin registrars run behind the admin token guard. */
export type RouteRegistrar = (app: FastifyInstance, schemas: ReturnType<typeof apiSchemas>) => Promise<void>;

export async function createServer(
  options: ServerOptions,
  routes: { public: RouteRegistrar[]; admin: RouteRegistrar[] },
): Promise<FastifyInstance> {
  const auth = createOperatorAuth({
    operators: options.operators,
    now: options.now,
    limits: options.rateLimits,
    revocations: options.sessionRevocations,
  });
  const app = Fastify({
    logger: options.logger,
    trustProxy: options.trustProxy,
    // Chat histories can be long; 2 MB leaves room while keeping abuse bounded.
    bodyLimit: 2 * 1024 * 1024,
    ...(options.requestTimeoutMs !== undefined && {
      requestTimeout: options.requestTimeoutMs,
      // Node 20 enforces the deadline only when its HTTP server is created with it (Fastify setting it afterwards is
      // ignored), and looks for overdue requests every connectionsCheckingInterval (30 s by default).
      http: {
        requestTimeout: options.requestTimeoutMs,
        connectionsCheckingInterval: Math.min(
          30_000,
          Math.max(100, Math.round(options.requestTimeoutMs / 4)),
        ),
      },
    }),
    ...(options.connectionTimeoutMs !== undefined && { connectionTimeout: options.connectionTimeoutMs }),
    // While closing, requests on kept-alive connections get 503 and idle connections are closed at once.
    return503OnClosing: true,
    forceCloseConnections: "idle",
    clientErrorHandler: answerClientError,
    // A path that is not valid percent-encoding, or a parameter over the router's limit, is answered before any
    // hook: in the API's shape, and on admin paths only after the token (like every other admin path).
    frameworkErrors: async (error, request, reply) => {
      if (request.url.startsWith("/api/admin")) {
        try {
          // No hook ran, so the cookie plugin has not parsed the console session's cookie yet.
          request.cookies ??= app.parseCookie(request.headers.cookie ?? "");
          await auth.guard(request, reply);
        } catch (refusal) {
          handleError(refusal, request, reply);
          return;
        }
      }
      handleError(error, request, reply);
    },
    ajv: {
      // Strict bodies: a wrong type is a client error, not something to coerce.
      customOptions: { coerceTypes: false, removeAdditional: false, discriminator: true, allErrors: false },
    },
  });
  app.setErrorHandler(handleError);
  // Headers first, so that even the refusals below carry them; then Host and Origin, before any parsing.
  await registerSecurityHeaders(app);
  app.addHook("onRequest", createHostGuard(options.allowedHosts));
  app.addHook("onRequest", createSameOriginGuard(options.allowedHosts));
  registerJsonBodyParser(app);
  await app.register(fastifyCookie, { secret: sessionSigningKey(options.operators) });
  app.decorateRequest("operator", null);
  const adminGuard = auth.guard;
  // Without the token, an unknown admin path looks like any admin path: nothing about the routes leaks. In
  // onRequest, like the admin routes' own guard: the not-found handler runs only after the body is parsed.
  app.addHook("onRequest", async (request, reply) => {
    if (request.is404 && request.url.startsWith("/api/admin")) await adminGuard(request, reply);
  });
  app.setNotFoundHandler(async (request, reply) => {
    return reply
      .status(404)
      .send({ error: { code: "NOT_FOUND", message: `No route ${request.method} ${request.url}` } });
  });
  app.addSchema(errorSchema);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "promptloop",
        version: options.version,
        description:
          "Prompt-defined tasks on one local LLM that learn from feedback. Errors: {error: {code, message}}.",
      },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: "/docs",
    uiHooks: {
      onRequest: (_request, reply, done) => {
        void reply.header("content-security-policy", docsContentSecurityPolicy);
        done();
      },
    },
  });
  if (options.rateLimitPerMinute > 0)
    registerModelRateLimit(app, options.rateLimits, options.rateLimitPerMinute);

  const schemas = apiSchemas(options.maxInputChars);
  await registerSessionRoutes(app, { auth, ttlMs: options.sessionTtlMs, now: options.now });
  for (const register of routes.public) await register(app, schemas);
  await app.register(async (admin) => {
    // onRequest: before the body is read, parsed or validated.
    admin.addHook("onRequest", adminGuard);
    for (const register of routes.admin) await register(admin, schemas);
  });

  if (options.webRoot && fs.existsSync(path.join(options.webRoot, "index.html"))) {
    await app.register(fastifyStatic, { root: options.webRoot, prefix: "/", wildcard: false });
  } else {
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .send(
          "<!doctype html><p>promptloop is running. The web app is not built: run <code>npm run build</code>.</p>",
        ),
    );
  }
  return app;
}
