/**
 * English names of the labels the shipped prompt files use (Chinese shows them as they are). A label of a task
 * declared later, in any language, is shown as it is written.
 */
export const englishLabelNames: Record<string, string> = {
  正面: "Positive",
  负面: "Negative",
  正常: "OK",
  冒犯: "Offensive",
  事实问题: "Factual question",
  其他: "Other",
  卡片办理: "Card order & delivery",
  卡片故障: "Card problem",
  支付问题: "Card payment",
  转账汇款: "Transfer",
  充值: "Top-up",
  取现: "Cash withdrawal",
  费用汇率: "Fees & exchange rates",
  退款: "Refund",
  身份验证: "Identity check",
  账户管理: "Account",
};
