import type { Rng } from "../prng.ts";

/**
 * Carriers and parcel traces as Chinese tracking pages word them: pick-up at
 * the outlet, the sorting centres (转运中心) of both cities, the delivery
 * outlet, the courier with his phone, then signed for (often at a locker or
 * a 驿站 rather than by hand).
 */

export interface Carrier {
  name: string;
  /** Short name on the trace lines (中通, 顺丰 …). */
  short: string;
  trackingNo(rng: Rng): string;
}

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join("");

export const carriers: readonly Carrier[] = [
  { name: "顺丰速运", short: "顺丰", trackingNo: (r) => `SF1${digits(r, 12)}` },
  { name: "中通快递", short: "中通", trackingNo: (r) => `7${r.pick(["3", "5", "8"])}${digits(r, 12)}` },
  { name: "圆通速递", short: "圆通", trackingNo: (r) => `YT${r.int(2, 9)}${digits(r, 12)}` },
  { name: "韵达快递", short: "韵达", trackingNo: (r) => `4${r.pick(["3", "6"])}${digits(r, 13)}` },
  { name: "申通快递", short: "申通", trackingNo: (r) => `77${digits(r, 13)}` },
  { name: "京东物流", short: "京东", trackingNo: (r) => `JDVA${digits(r, 11)}` },
  { name: "极兔速递", short: "极兔", trackingNo: (r) => `JT${digits(r, 13)}` },
  { name: "中国邮政EMS", short: "EMS", trackingNo: (r) => `1${digits(r, 12)}` },
];

/** Where the simulated stores ship from: the usual e-commerce warehouse towns. */
export const warehouseCities = ["杭州", "广州", "义乌", "深圳", "苏州", "东莞", "泉州", "上海", "武汉"] as const;

const districts: Record<string, readonly string[]> = {
  北京: ["朝阳区", "海淀区", "丰台区"],
  上海: ["浦东新区", "闵行区", "徐汇区"],
  广州: ["天河区", "白云区", "番禺区"],
  深圳: ["南山区", "宝安区", "龙岗区"],
  杭州: ["余杭区", "萧山区", "西湖区"],
  成都: ["武侯区", "高新区", "双流区"],
  武汉: ["洪山区", "江汉区", "东西湖区"],
  西安: ["雁塔区", "未央区"],
  南京: ["江宁区", "鼓楼区"],
  长沙: ["岳麓区", "雨花区"],
  沈阳: ["浑南区", "和平区"],
  厦门: ["思明区", "湖里区"],
  义乌: ["稠城街道", "北苑街道"],
  苏州: ["工业园区", "吴中区"],
  东莞: ["长安镇", "虎门镇"],
  泉州: ["晋江市", "丰泽区"],
};

const couriers = ["王师傅", "李师傅", "张师傅", "刘师傅", "陈师傅", "杨师傅", "赵师傅", "黄师傅"];

export function mobile(rng: Rng): string {
  return `1${rng.pick(["3", "5", "7", "8", "9"])}${rng.int(0, 9)}${digits(rng, 8)}`;
}

/** The trace lines of one parcel, in order; the last one is the signature. */
export function traceLines(rng: Rng, carrier: Carrier, from: string, to: string): string[] {
  const fromDistrict = rng.pick(districts[from] ?? ["城区"]);
  const toDistrict = rng.pick(districts[to] ?? ["城区"]);
  const c = carrier.short;
  const lines = [
    `【${from}市】${c}${from}${fromDistrict}网点 已揽收，揽收员：${rng.pick(couriers)}`,
    `【${from}市】快件已发往 ${from}转运中心`,
    `【${from}市】快件已到达 ${from}转运中心`,
  ];
  if (from !== to) {
    lines.push(
      `【${from}市】快件已从 ${from}转运中心 发出，准备发往 ${to}转运中心`,
      `【${to}市】快件已到达 ${to}转运中心`,
    );
  }
  lines.push(
    `【${to}市】快件已从 ${to}转运中心 发出，准备发往 ${to}${toDistrict}营业部`,
    `【${to}市】快件已到达 ${to}${toDistrict}营业部`,
    `【${to}市】${to}${toDistrict}营业部 派件员：${rng.pick(couriers)} 电话：${mobile(rng)} 正在为您派件`,
  );
  lines.push(
    rng.pick([
      `【${to}市】您的快件已签收，签收人：本人签收。感谢使用${carrier.name}，期待再次为您服务`,
      `【${to}市】您的快件已由 ${to}${toDistrict}菜鸟驿站 代收，请及时取件。如有疑问请联系 ${mobile(rng)}`,
      `【${to}市】您的快件已存放至丰巢智能快递柜，凭取件码取件，已签收`,
      `【${to}市】您的快件已签收，签收人：家门口。如有疑问请电联快递员`,
    ]),
  );
  return lines;
}
