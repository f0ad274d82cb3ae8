import { createSeededRandom } from "../../src/statistics/seeded-random.js";
import { FakeLlmBackend, systemPromptOf } from "../../src/engine/fake-llm-backend.js";
import type { App } from "../../src/server/create-app.js";

/** The planted keyword: users correct every review containing it. */
export const plantedKeyword = "还行";

/**
 * A scripted model that is wrong on the planted keyword unless its system prompt has the rule the analysis
 * proposes for it, so that the rules candidate passes the replay gate.
 */
export function plantedRuleModel(): FakeLlmBackend {
  return new FakeLlmBackend({
    classify: (request) => {
      if (request.input.includes(plantedKeyword)) {
        return systemPromptOf(request).includes(`含有'${plantedKeyword}'的评论通常是'负面'`)
          ? "负面"
          : "正面";
      }
      return negativeClauses.some((clause) => request.input.includes(clause)) ? "负面" : "正面";
    },
  });
}

const positiveClauses = ["房间很干净", "服务很热情", "早餐很丰富", "位置很方便", "床很舒服", "性价比很高"];
export const negativeClauses = ["隔音太差", "前台态度恶劣", "等了一个多小时", "卫生间有异味", "空调坏了"];
const subjects = ["房间", "味道", "服务", "环境", "菜品", "位置", "早餐", "价格"];
const endings = ["", "。", "！", "，下次再说"];

/** One synthetic review and whether it carries the planted keyword. */
export interface PlantedReview {
  text: string;
  planted: boolean;
}

/**
 * Hotel-review-like texts: `planted` ones read "<subject>还行，<complaint>", the others are plain praise or plain
 * complaints without the keyword. The kinds are shuffled so every time window sees all of them.
 */
export function plantedReviews(options: { planted: number; plain: number; seed?: number }): PlantedReview[] {
  const random = createSeededRandom(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const reviews: PlantedReview[] = [];
  for (let i = 0; i < options.planted; i += 1) {
    reviews.push({
      text: `${pick(subjects)}${plantedKeyword}，${pick(negativeClauses)}${pick(endings)}`,
      planted: true,
    });
  }
  for (let i = 0; i < options.plain; i += 1) {
    const clauses = i % 2 === 0 ? positiveClauses : negativeClauses;
    reviews.push({ text: `${pick(clauses)}，${pick(clauses)}${pick(endings)}`, planted: false });
  }
  for (let i = reviews.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [reviews[i], reviews[j]] = [reviews[j]!, reviews[i]!];
  }
  return reviews;
}

/** What the app answered for one review, and the feedback the test user gave. */
export interface FedReview extends PlantedReview {
  interactionId: string;
  predicted: string;
  /** The label the feedback established. */
  gold: string;
}

const other = (label: string) => (label === "正面" ? "负面" : "正面");

/**
 * Sends each review to POST /api/sentiment, then the user's feedback: planted reviews get `label_correct` to the
 * label opposite to whatever was predicted; the others get 👍 (`label_confirm` with correct: true).
 */
export async function feedReviews(app: App, reviews: readonly PlantedReview[]): Promise<FedReview[]> {
  const fed: FedReview[] = [];
  for (const [index, review] of reviews.entries()) {
    // Each review from its own reader, as on a real site (one session may hold only a share of the evidence).
    const sessionId = `reader-${index}`;
    const res = await app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      payload: { text: review.text, sessionId },
    });
    if (res.statusCode !== 200)
      throw new Error(`POST /api/sentiment answered ${res.statusCode}: ${res.body}`);
    const { interactionId, label, feedbackToken } = res.json<{
      interactionId: string;
      label: string;
      feedbackToken: string;
    }>();
    const feedback = review.planted
      ? { interactionId, feedbackToken, type: "label_correct", label: other(label) }
      : { interactionId, feedbackToken, type: "label_confirm", correct: true };
    const sent = await app.server.inject({ method: "POST", url: "/api/feedback", payload: feedback });
    if (sent.statusCode !== 202)
      throw new Error(`POST /api/feedback answered ${sent.statusCode}: ${sent.body}`);
    fed.push({ ...review, interactionId, predicted: label, gold: review.planted ? other(label) : label });
  }
  return fed;
}
