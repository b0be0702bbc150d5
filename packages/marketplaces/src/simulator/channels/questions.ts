import { topics } from "../phrases.ts";
import type { Rng } from "../prng.ts";

const products = ["纯棉T恤", "运动鞋", "保湿面霜", "婴儿推车", "空气炸锅", "蓝牙耳机", "坚果礼盒"];
const fillers: Record<string, (rng: Rng) => string> = {
  product: (rng) => rng.pick(products),
  spec: (rng) => rng.pick(["M", "L", "XL", "42"]),
  variant: (rng) => rng.pick(["黑色", "白色", "米色"]),
  height: (rng) => String(rng.int(155, 185)),
  weight: (rng) => String(rng.int(90, 170)),
  city: (rng) => rng.pick(["北京", "上海", "杭州", "成都"]),
  orderId: (rng) => String(rng.int(10_000_000, 99_999_999)),
};

const fill = (template: string, rng: Rng) =>
  template.replace(/\{(\w+)\}/g, (_m, key: string) => fillers[key]?.(rng) ?? "");

/** A question a shopper on the merchant's own site or by mail would open with (from the simulator's phrase bank). */
export function openingQuestion(rng: Rng): { intent: string; text: string } {
  const topic = rng.pick(topics);
  return { intent: topic.intent, text: fill(rng.pick(topic.openers), rng) };
}

/** A follow-up once answered, from the same phrase bank. */
export function followUp(rng: Rng): string {
  const topic = rng.pick(topics);
  return topic.followUps.length > 0 ? fill(rng.pick(topic.followUps), rng) : "好的，谢谢";
}
