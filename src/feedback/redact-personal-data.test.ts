import { describe, expect, it } from "vitest";
import { maskRules, redactPersonalData } from "./redact-personal-data.js";

/** One or more cases per rule; issue 17 §4 found the card, phone, IP and address cases stored in clear. */
const masked: Array<[rule: string, input: string, expected: string]> = [
  ["email", "mail me: zhang.san@example.com", "mail me: [email]"],
  ["ipv6", "from 2001:db8::8a2e:370:7334 today", "from [ip] today"],
  ["ipv6", "loopback ::1 and fe80::1%eth0", "loopback [ip] and [ip]"],
  ["ipv4", "server 192.168.1.20 is down", "server [ip] is down"],
  ["id-number", "身份证 11010519491231002X", "身份证 [id-number]"],
  ["card (grouped)", "card 4111 1111 1111 1111 ok", "card [card] ok"],
  ["card (grouped)", "卡号6222-0202-0011-2233-445", "卡号[card]"],
  ["card (grouped)", "amex 3782 822463 10005", "amex [card]"],
  ["phone (mainland mobile)", "电话+86 138-1234-5678", "电话[phone]"],
  ["phone (mainland mobile)", "call 13812345678 now", "call [phone] now"],
  ["phone (international)", "ring +44 20 7946 0958 please", "ring [phone] please"],
  ["phone (international)", "WhatsApp +1 (415) 555-2671", "WhatsApp [phone]"],
  ["phone (international)", "+49 30 12345678", "[phone]"],
  ["phone (North American)", "call (415) 555-2671 or 415.555.2671", "call [phone] or [phone]"],
  ["phone (landline)", "前台 010-12345678", "前台 [phone]"],
  ["phone (national, grouped)", "mobile 07700 900123", "mobile [phone]"],
  ["phone (national, grouped)", "tél 06 12 34 56 78", "tél [phone]"],
  ["long number", "card 6222020200112233445", "card [number]"],
  ["address (Chinese)", "住北京市朝阳区建国路88号3号楼502室附近", "[address]附近"],
  ["address (Chinese)", "地址：解放大道1001号", "地址：[address]"],
  ["address (English)", "I live at 221B Baker Street, London", "I live at [address], London"],
  ["address (English)", "deliver to 1600 Pennsylvania Avenue", "deliver to [address]"],
];

/** Review content that must survive: prices, rooms, years, dates, times, versions, ratings. */
const kept = [
  "房间 302，价格 399 元，2024 年",
  "入住 2024-01-15，退房 2024-01-17",
  "早餐 7:30-10:00，等了 15 分钟",
  "评分 4.5 分，第 3 次入住",
  "版本 1.2.3 有问题",
  "订单 1234 5678 已取消",
  "酒店在解放路上，交通方便",
  "I stayed 3 nights on the 2nd floor",
];

describe("redactPersonalData", () => {
  it.each(masked)("%s: %s", (_rule, input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it("has a case for every rule", () => {
    const covered = new Set(masked.map(([rule]) => rule));
    for (const rule of maskRules) expect(covered, rule.name).toContain(rule.name);
  });

  it.each(kept)("keeps %s", (text) => {
    expect(redactPersonalData(text)).toBe(text);
  });
});
