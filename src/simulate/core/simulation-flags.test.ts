import { describe, expect, it } from "vitest";
import { trafficFromFlags } from "./simulation-flags.js";

const labels = ["正面", "负面"];

describe("trafficFromFlags", () => {
  it("has the issue's defaults", () => {
    expect(trafficFromFlags({}, labels)).toMatchObject({
      days: 14,
      usersPerDay: 1000,
      requestsPerUser: { minimum: 1, maximum: 3 },
      behaviour: { feedbackRate: 0.2, correctionRate: 0.5, wrongFeedbackRate: 0.05 },
      spammers: 0,
      spamLabel: null,
    });
  });

  it("reads ranges, rates and counts", () => {
    const traffic = trafficFromFlags(
      { requestsPerUser: "2-5", wrongFeedbackRate: "0.1", spammers: "3", spamLabel: "正面", seed: "9" },
      labels,
    );
    expect(traffic).toMatchObject({
      requestsPerUser: { minimum: 2, maximum: 5 },
      behaviour: { wrongFeedbackRate: 0.1 },
      spammers: 3,
      spamLabel: "正面",
      seed: 9,
    });
    expect(trafficFromFlags({ requestsPerUser: "4" }, labels).requestsPerUser).toEqual({
      minimum: 4,
      maximum: 4,
    });
  });

  it.each([
    [{ days: "0" }, /--days "0" is not a whole number from 1 to 366/],
    [{ usersPerDay: "many" }, /--users-per-day "many"/],
    [{ requestsPerUser: "3-1" }, /--requests-per-user "3-1" is not a count or a range/],
    [{ feedbackRate: "1.5" }, /--feedback-rate "1.5" is not a probability from 0 to 1/],
    [{ correctionRate: "" }, /--correction-rate ""/],
    [{ spamLabel: "neutral" }, /--spam-label "neutral" is not one of the task's labels \(正面, 负面\)/],
  ])("names the flag that is wrong: %j", (flags, message) => {
    expect(() => trafficFromFlags(flags, labels)).toThrow(message);
  });
});
