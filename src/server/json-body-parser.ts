import type { FastifyBodyParser, FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import { jsonNestingExceeds } from "./json-nesting.js";

/** Deepest nesting of arrays and objects a JSON body may have; the API's own bodies need fewer than 8 levels. */
export const maxJsonDepth = 32;

/**
 * Fastify's JSON parser (prototype poisoning refused) behind a nesting-depth check, so that a deeply nested body is
 * refused in one cheap scan instead of blocking the event loop while it is parsed.
 */
export function depthLimitedJsonParser(app: FastifyInstance): FastifyBodyParser<string> {
  const parseJson = app.getDefaultJsonParser("error", "error");
  return (request, body, done) => {
    if (jsonNestingExceeds(body, maxJsonDepth)) {
      done(
        new AppError("JSON_TOO_DEEP", `The JSON body nests deeper than ${maxJsonDepth} levels`, {
          details: { maxDepth: maxJsonDepth },
        }),
        undefined,
      );
      return;
    }
    parseJson(request, body, done);
  };
}

/**
 * Makes JSON, depth-limited, the only body `app` parses: Fastify's own text/plain parser goes too, so that a
 * CORS-simple `text/plain` post is refused with 415 wherever a route doesn't add a parser for it (only feedback does,
 * for sendBeacon).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parser = depthLimitedJsonParser(app);
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "string" }, parser);
}
