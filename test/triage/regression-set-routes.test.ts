import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { createTokenBook } from "../support/token-book.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

let app: App;
const book = createTokenBook();
const call = async (method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, payload?: object) => {
  const response = await app.server.inject({
    method,
    url,
    ...(payload
      ? { payload: url === "/api/feedback" ? book.sign(payload as { interactionId: string }) : payload }
      : {}),
    headers: adminHeaders,
  });
  if (String(response.headers["content-type"]).includes("json")) book.remember(response.json());
  return response;
};
const other = (label: string) => (label === "正面" ? "负面" : "正面");

const answers: Array<{ id: string; label: string }> = [];
let chatId = "";
beforeAll(async () => {
  app = await startTestApp();
  for (const text of ["还行吧，一般般", "服务真是好极了（才怪）", "位置不错"]) {
    const body = (await call("POST", "/api/sentiment", { text })).json<{
      interactionId: string;
      label: string;
    }>();
    answers.push({ id: body.interactionId, label: body.label });
  }
  await call("POST", "/api/feedback", {
    interactionId: answers[0]!.id,
    type: "label_confirm",
    correct: false,
  });
  await call("POST", "/api/feedback", {
    interactionId: answers[1]!.id,
    type: "label_correct",
    label: other(answers[1]!.label),
    reasons: ["sarcasm"],
  });
  const chat = await call("POST", "/api/chat", {
    messages: [{ role: "user", content: "你好" }],
    stream: false,
  });
  chatId = chat.json<{ interactionId: string }>().interactionId;
});
afterAll(() => app.close());

it("creates a set, adds interactions with the right label from a correction, 👎 or the operator, and audits it", async () => {
  const created = await call("POST", "/api/admin/regression-sets", {
    task: "sentiment",
    name: " 讽刺 ",
    actor: "alice",
  });
  expect(created.statusCode, created.body).toBe(201);
  const set = created.json<{ set: { id: string; name: string; createdBy: string; items: number } }>().set;
  expect(set).toMatchObject({ name: "讽刺", createdBy: "api:alice", items: 0 });
  const item = (interactionId: string, body: object = {}) =>
    call("PUT", `/api/admin/regression-sets/${set.id}/items/${interactionId}`, body);

  expect((await item(answers[0]!.id)).json()).toEqual({
    added: true,
    expectedLabel: other(answers[0]!.label),
    expectedSource: "inferred",
  });
  expect((await item(answers[1]!.id, { actor: "bob" })).json()).toEqual({
    added: true,
    expectedLabel: other(answers[1]!.label),
    expectedSource: "correction",
  });
  const unlabelled = await item(answers[2]!.id);
  expect(unlabelled.statusCode).toBe(400);
  expect(unlabelled.json().error.code).toBe("VALIDATION_FAILED");
  expect((await item(answers[2]!.id, { expectedLabel: "正面" })).json()).toEqual({
    added: true,
    expectedLabel: "正面",
    expectedSource: "operator",
  });
  // Again with another label: not added twice, the label changes.
  expect((await item(answers[2]!.id, { expectedLabel: "负面" })).json()).toMatchObject({ added: false });

  const detail = (await call("GET", `/api/admin/regression-sets/${set.id}`)).json<{
    set: { items: number };
    items: Array<{ interactionId: string; expectedLabel: string; expectedSource: string; addedBy: string }>;
    changes: Array<{ action: string; actor: string; interactionId: string | null }>;
  }>();
  expect(detail.set.items).toBe(3);
  expect(detail.items.map((i) => [i.interactionId, i.expectedSource, i.addedBy])).toEqual([
    [answers[0]!.id, "inferred", "api:admin"],
    [answers[1]!.id, "correction", "api:bob"],
    [answers[2]!.id, "operator", "api:admin"],
  ]);
  expect(detail.items[2]!.expectedLabel).toBe("负面");
  expect(detail.changes.map((c) => [c.action, c.actor])).toEqual([
    ["relabel", "api:admin"],
    ["add", "api:admin"],
    ["add", "api:bob"],
    ["add", "api:admin"],
    ["create", "api:alice"],
  ]);

  const view = (await call("GET", `/api/admin/interactions/${answers[0]!.id}`)).json<{
    regressionSets: unknown[];
  }>();
  expect(view.regressionSets).toEqual([{ id: set.id, name: "讽刺" }]);
  const listed = (await call("GET", "/api/admin/regression-sets?task=sentiment")).json<{
    sets: Array<{ id: string; items: number }>;
  }>();
  expect(listed.sets).toEqual([expect.objectContaining({ id: set.id, items: 3 })]);
  expect((await call("GET", "/api/admin/regression-sets?task=intent")).json()).toEqual({ sets: [] });

  const renamed = await call("PATCH", `/api/admin/regression-sets/${set.id}`, { name: "转折" });
  expect(renamed.json().set.name).toBe("转折");
  expect(
    (await call("DELETE", `/api/admin/regression-sets/${set.id}/items/${answers[2]!.id}`)).json(),
  ).toEqual({
    removed: true,
  });
  expect(
    (await call("DELETE", `/api/admin/regression-sets/${set.id}/items/${answers[2]!.id}`)).statusCode,
  ).toBe(404);
  expect((await call("DELETE", `/api/admin/regression-sets/${set.id}?actor=carol`)).json()).toEqual({
    deleted: true,
  });
  const gone = await call("GET", `/api/admin/regression-sets/${set.id}`);
  expect(gone.statusCode).toBe(404);
  expect(gone.json().error.code).toBe("REGRESSION_SET_NOT_FOUND");
});

it("answers bad requests with 4xx {error:{code,message}}", async () => {
  const set = (await call("POST", "/api/admin/regression-sets", { task: "sentiment", name: "one" })).json<{
    set: { id: string };
  }>().set;
  const expectError = async (response: Awaited<ReturnType<typeof call>>, status: number, code: string) => {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().error).toMatchObject({ code, message: expect.any(String) });
  };
  await expectError(
    await call("POST", "/api/admin/regression-sets", { task: "sentiment", name: "one" }),
    409,
    "CONFLICT",
  );
  await expectError(
    await call("POST", "/api/admin/regression-sets", { task: "chat", name: "x" }),
    404,
    "TASK_NOT_FOUND",
  );
  await expectError(
    await call("POST", "/api/admin/regression-sets", { task: "nope", name: "x" }),
    404,
    "TASK_NOT_FOUND",
  );
  await expectError(
    await call("POST", "/api/admin/regression-sets", { task: "sentiment", name: "  " }),
    400,
    "VALIDATION_FAILED",
  );
  await expectError(
    await call("POST", "/api/admin/regression-sets", { task: "sentiment" }),
    400,
    "VALIDATION_FAILED",
  );
  await expectError(
    await call("POST", "/api/admin/regression-sets", { task: "sentiment", name: "x", extra: 1 }),
    400,
    "VALIDATION_FAILED",
  );
  await expectError(
    await call("PATCH", "/api/admin/regression-sets/missing", { name: "x" }),
    404,
    "REGRESSION_SET_NOT_FOUND",
  );
  await expectError(
    await call("DELETE", "/api/admin/regression-sets/missing"),
    404,
    "REGRESSION_SET_NOT_FOUND",
  );
  await expectError(
    await call("PUT", `/api/admin/regression-sets/missing/items/${answers[0]!.id}`, {}),
    404,
    "REGRESSION_SET_NOT_FOUND",
  );
  await expectError(
    await call("PUT", `/api/admin/regression-sets/${set.id}/items/no-such-interaction`, {}),
    404,
    "INTERACTION_NOT_FOUND",
  );
  await expectError(
    await call("PUT", `/api/admin/regression-sets/${set.id}/items/${answers[2]!.id}`, {
      expectedLabel: "中性",
    }),
    400,
    "UNKNOWN_LABEL",
  );
  await expectError(
    await call("PUT", `/api/admin/regression-sets/${set.id}/items/${chatId}`, { expectedLabel: "正面" }),
    400,
    "VALIDATION_FAILED",
  );
  const anonymous = await app.server.inject({ method: "GET", url: "/api/admin/regression-sets" });
  expect(anonymous.statusCode).toBe(401);
});
