import type { VersionStatus } from "../registry-version-status.js";

/**
 * Chinese names a registry file may use for a version's status, as the write-up does ("标记旧版本为'待淘汰'").
 * The first name of each list is the one export writes for a version whose recorded name no longer fits (a version
 * imported as 灰度 that has since been promoted is exported as 活跃). Documented in docs/prompts.md.
 */
export const chineseStatusNames: Readonly<Record<VersionStatus, readonly string[]>> = {
  active: ["活跃", "当前", "生效", "上线", "已上线"],
  canary: ["灰度", "金丝雀", "灰度中", "灰度发布"],
  pending_retirement: ["待淘汰", "待下线", "待退役"],
  retired: ["已淘汰", "淘汰", "退役", "已退役", "已下线"],
  draft: ["草稿"],
};

export const englishStatusNames: readonly VersionStatus[] = [
  "active",
  "canary",
  "pending_retirement",
  "retired",
  "draft",
];

const byChineseName = new Map<string, VersionStatus>(
  englishStatusNames.flatMap((status) => chineseStatusNames[status].map((name) => [name, status] as const)),
);

/** Every name a file may write, English first: for error messages. */
export const acceptedStatusNames: readonly string[] = [
  ...englishStatusNames,
  ...englishStatusNames.flatMap((status) => chineseStatusNames[status]),
];

/** The status a name stands for (English or Chinese), or null for an unknown name. */
export function statusFromName(name: string): VersionStatus | null {
  const trimmed = name.trim();
  if ((englishStatusNames as readonly string[]).includes(trimmed)) return trimmed as VersionStatus;
  return byChineseName.get(trimmed) ?? null;
}

/** True when the name is one of the Chinese names. */
export function isChineseStatusName(name: string): boolean {
  return byChineseName.has(name.trim());
}

/**
 * The name export writes for `status`: the name the file used when it still means the same status, else the
 * canonical Chinese name when the file wrote Chinese, else the English name.
 */
export function statusNameFor(status: VersionStatus, recordedName: string | undefined): string {
  if (recordedName === undefined || !isChineseStatusName(recordedName)) return status;
  return statusFromName(recordedName) === status ? recordedName.trim() : chineseStatusNames[status][0]!;
}
