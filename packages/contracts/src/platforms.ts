import { z } from "zod";

/** Every channel a conversation can come from. Marketplaces first, then Yunxi's own channels. */
export const platformIds = ["taobao", "jd", "pdd", "douyin", "kuaishou", "webchat", "email", "api"] as const;
export const PlatformId = z.enum(platformIds);
export type PlatformId = z.infer<typeof PlatformId>;

/** The platform's name as agents know it; with the store name it forms the source label `淘宝-旗舰店`. */
export const platformLabels: Record<PlatformId, { "zh-CN": string; "en-US": string; color: string }> = {
  taobao: { "zh-CN": "淘宝", "en-US": "Taobao", color: "#ff5000" },
  jd: { "zh-CN": "京东", "en-US": "JD", color: "#e1251b" },
  pdd: { "zh-CN": "拼多多", "en-US": "Pinduoduo", color: "#e02e24" },
  douyin: { "zh-CN": "抖音", "en-US": "Douyin", color: "#161823" },
  kuaishou: { "zh-CN": "快手", "en-US": "Kuaishou", color: "#ff4906" },
  webchat: { "zh-CN": "官网", "en-US": "Web chat", color: "#1677ff" },
  email: { "zh-CN": "邮件", "en-US": "E-mail", color: "#722ed1" },
  api: { "zh-CN": "API", "en-US": "API", color: "#13c2c2" },
};

/** The source label shown on every conversation: platform name (Chinese) + store name. */
export function storeLabel(platform: PlatformId, storeName: string): string {
  return `${platformLabels[platform]["zh-CN"]}-${storeName}`;
}

/**
 * Whether a platform's buyer id is the same in every store (Taobao's global nick,
 * JD's pin) or only within one shop (PDD, Douyin and Kuaishou open ids; our own channels).
 */
export const buyerIdScope: Record<PlatformId, "platform" | "store"> = {
  taobao: "platform",
  jd: "platform",
  pdd: "store",
  douyin: "store",
  kuaishou: "store",
  webchat: "store",
  email: "platform",
  api: "store",
};

/** Yunxi's own channels: no marketplace behind them, so no seller grant to authorize. */
export const ownChannelIds = ["webchat", "email", "api"] as const satisfies readonly PlatformId[];
export const isOwnChannel = (platform: PlatformId): boolean => (ownChannelIds as readonly string[]).includes(platform);
