import type { PlatformId } from "@yunxi/contracts";
import type { Category } from "./catalogue.ts";
import type { Rng } from "./prng.ts";
import type { SimOrderStatus } from "./world.ts";

/**
 * The phrase bank: how simulated buyers talk. Templates fill `{product}`,
 * `{spec}`, `{variant}`, `{orderId}`, `{city}`, `{height}`, `{weight}`.
 * Each topic opens with one line and continues, once answered, with its
 * follow-up questions in order; unanswered buyers nag (`nagLines`) instead.
 */

export type TopicKind = "presale" | "logistics" | "aftersale" | "complaint";

export interface Topic {
  kind: TopicKind;
  /** Intent label as a CS team would tag it. */
  intent: string;
  /** Only for these categories; all when absent. */
  categories?: readonly Category[];
  /** Whether the buyer needs an order in the store (logistics, after-sales). */
  needsOrder: boolean;
  /** The order states the question makes sense in (not yet shipped, shipped …). */
  orderStatuses?: readonly SimOrderStatus[];
  openers: readonly string[];
  followUps: readonly string[];
}

const wearables: readonly Category[] = ["服装", "鞋靴"];

export const topics: readonly Topic[] = [
  {
    kind: "presale",
    intent: "售前-尺码",
    categories: wearables,
    needsOrder: false,
    openers: [
      "你好，{product}我身高{height}体重{weight}斤穿什么码？",
      "在吗？{product}偏大还是偏小啊",
      "亲，平时穿{spec}码，这款拍哪个码合适",
    ],
    followUps: ["那拍{spec}会不会紧？", "腰围大概多少呀", "肩宽多少？我肩膀比较宽"],
  },
  {
    kind: "presale",
    intent: "售前-材质",
    categories: wearables,
    needsOrder: false,
    openers: ["{product}是什么材质的？", "这个{product}会掉色吗", "请问{variant}是实物拍的吗？色差大不大"],
    followUps: ["洗了会缩水吗？", "穿久了会起球吗", "夏天穿热不热"],
  },
  {
    kind: "presale",
    intent: "售前-成分肤质",
    categories: ["美妆"],
    needsOrder: false,
    openers: ["{product}敏感肌能用吗？", "孕妇可以用这个{product}吗", "是正品吗？有防伪码吗"],
    followUps: ["保质期到什么时候", "油皮选{variant}合适吗", "有小样可以先试试吗"],
  },
  {
    kind: "presale",
    intent: "售前-适用月龄",
    categories: ["母婴"],
    needsOrder: false,
    openers: ["这个{product}宝宝几个月可以用", "{product}有异味吗？安全吗", "{spec}适合多大的宝宝"],
    followUps: ["是正品吗", "新生儿能用吗", "有没有检测报告"],
  },
  {
    kind: "presale",
    intent: "售前-保修参数",
    categories: ["家电", "3C"],
    needsOrder: false,
    openers: ["{product}保修多久？", "{product}{spec}和另一个版本有什么区别", "这个{product}支持全国联保吗"],
    followUps: ["坏了可以上门修吗", "有中文说明书吗", "能开发票吗"],
  },
  {
    kind: "presale",
    intent: "售前-保质期",
    categories: ["食品"],
    needsOrder: false,
    openers: ["{product}保质期到什么时候", "{product}是今年的新货吗", "孕妇能吃{variant}的吗"],
    followUps: ["夏天发货会不会坏", "有生产日期吗", "是独立包装吗"],
  },
  {
    kind: "presale",
    intent: "售前-库存",
    needsOrder: false,
    openers: ["{product}{variant}{spec}还有货吗？", "{variant}什么时候补货啊", "这个是现货还是预售？"],
    followUps: ["今天拍今天能发吗？", "能帮我留一件吗", "发什么快递？"],
  },
  {
    kind: "presale",
    intent: "售前-价格优惠",
    needsOrder: false,
    openers: ["{product}现在有优惠吗？", "双十一还会降价吗", "老顾客了，能便宜点吗😂", "有没有店铺券？两件能打折吗"],
    followUps: ["满减怎么算的", "别家才{price}块", "那送个运费险吧", "直播间的价格和店里一样吗"],
  },
  {
    kind: "presale",
    intent: "售前-发货时效",
    needsOrder: false,
    openers: ["今天下单什么时候能发货？", "包邮吗？到{city}几天能到", "默认发什么快递"],
    followUps: ["能指定顺丰吗", "偏远地区包邮吗", "周末发货吗"],
  },
  {
    kind: "logistics",
    intent: "物流-发货时间",
    needsOrder: true,
    orderStatuses: ["paid"],
    openers: ["订单{orderId}什么时候发货？", "拍了两天了还没发货", "亲，今天能发出吗？急用", "什么时候发货啊"],
    followUps: ["能发顺丰吗？我补运费", "到{city}大概几天", "麻烦催一下仓库"],
  },
  {
    kind: "logistics",
    intent: "物流-查件",
    needsOrder: true,
    orderStatuses: ["shipped"],
    openers: ["我的快递到哪了？订单号{orderId}", "物流三天没更新了", "快递到哪了", "怎么还在转运中心啊"],
    followUps: ["能帮我联系一下快递吗", "快递员电话打不通", "还要等多久？"],
  },
  {
    kind: "logistics",
    intent: "物流-签收未收到",
    needsOrder: true,
    orderStatuses: ["delivered"],
    openers: ["显示已签收但我没收到啊", "订单{orderId}显示签收了，东西不在家门口", "快递放哪了？我没签收"],
    followUps: ["驿站说没有", "你们帮我查一下", "丢了你们负责吗"],
  },
  {
    kind: "logistics",
    intent: "物流-改地址",
    needsOrder: true,
    orderStatuses: ["paid", "unpaid"],
    openers: ["地址填错了，能改成{city}吗？", "订单{orderId}还没发货的话帮我改下地址", "收件人电话写错了"],
    followUps: ["新地址是{city}市中心路88号", "改好了吗？", "改好了发我看一下"],
  },
  {
    kind: "aftersale",
    intent: "售后-退换货",
    needsOrder: true,
    orderStatuses: ["delivered", "completed"],
    openers: ["{product}不太合适，能换成{spec}吗？", "{product}不喜欢，七天无理由可以退吗", "怎么申请换货？"],
    followUps: ["运费谁出？", "寄回地址发我一下", "我已经寄出了，单号发你了", "换的什么时候发？"],
  },
  {
    kind: "aftersale",
    intent: "售后-退款进度",
    needsOrder: true,
    orderStatuses: ["refunding", "refunded"],
    openers: ["退款申请了三天了怎么还没到账", "订单{orderId}的退款什么时候处理？", "你们收到退货了吗"],
    followUps: ["原路退回要几天？", "能快点处理吗", "再不处理我就申请平台介入了"],
  },
  {
    kind: "aftersale",
    intent: "售后-质量问题",
    needsOrder: true,
    orderStatuses: ["delivered", "completed"],
    openers: ["{product}用了两天就坏了", "收到的{product}有破损，开线了", "{product}有股很大的味道，正常吗？"],
    followUps: ["我拍了照片，怎么发给你", "是补发还是退款？", "这质量也太差了吧"],
  },
  {
    kind: "aftersale",
    intent: "售后-发错货",
    needsOrder: true,
    orderStatuses: ["delivered", "completed"],
    openers: ["我买的是{variant}，收到的颜色不对", "发错规格了，我要的是{spec}", "少发了一件"],
    followUps: ["你们核实一下", "什么时候给我补发？", "运费你们出吧"],
  },
  {
    kind: "complaint",
    intent: "投诉-发货慢",
    needsOrder: true,
    orderStatuses: ["paid"],
    openers: ["说好48小时发货的，现在还没发", "订单{orderId}到底还发不发货？", "再不发货我就投诉了"],
    followUps: ["我要投诉", "给个说法，不然我给差评", "叫你们主管来"],
  },
  {
    kind: "complaint",
    intent: "投诉-服务质量",
    needsOrder: true,
    orderStatuses: ["shipped", "delivered", "completed", "refunding"],
    openers: ["客服怎么半天不回消息？", "你们这是虚假宣传，和详情页完全不一样", "上次问的问题到现在都没人处理"],
    followUps: ["我要投诉", "给个说法，不然我给差评", "叫你们主管来"],
  },
];

/** What an unanswered buyer sends next, by how many times they have nagged already. */
export const nagLines: readonly (readonly string[])[] = [
  ["在吗？？", "在吗", "有人吗", "亲？", "？？？"],
  ["怎么没人回", "人呢？", "客服在吗，等半天了", "还有人吗，急"],
];
/** Leaving after nobody answered. */
export const leaveLines = ["算了，不买了", "没人回，去别家了", "什么服务态度", "算了"];
/** Leaving angry: counts as a complaint. */
export const angryLeaveLines = ["半天没人理，我要投诉", "这么久不回消息，差评", "客服是摆设吗？投诉了"];
/** A presale buyer who decides to buy. */
export const orderLines = ["好的，我拍了", "那我先拍一件试试", "行，已下单，发货快点哈", "好嘞，拍了记得早点发"];
/** A presale buyer who does not buy (yet). */
export const browseLines = ["好的，我再看看", "嗯嗯，我考虑一下", "好的谢谢"];
/** An answered buyer on any other topic. */
export const thanksLines = ["好的谢谢", "好的，麻烦了", "收到，谢谢亲", "行吧", "👌"];

/** Evaluation comments by score (1 … 5), and what is added when shipping was late. */
export const evaluationComments: Record<number, readonly string[]> = {
  5: ["质量很好，物流也快，客服态度好，五星好评！", "宝贝收到了，和描述一致，很满意", "回购了，一如既往的好"],
  4: ["还可以，整体满意", "东西不错，包装有点简陋", "挺好的，就是等得有点久"],
  3: ["一般般吧", "东西还行，客服回复太慢了", "中规中矩"],
  2: ["客服半天不回，体验很差", "和图片有色差，不太满意", "问题一直没解决"],
  1: ["差评！问了半天没人理，再也不来了", "质量太差，客服还不理人", "非常失望"],
};
export const lateShippingComment = "发货太慢了";

/** Nicks like `tb_小鹿奔跑88`: prefix, a pet-name, a verb or adjective, digits. */
export const nickPrefixes = ["tb_", "tb_", "tb_", "", "t_"] as const;
export const nickNames = [
  "小鹿",
  "橘子",
  "阿狸",
  "糖糖",
  "大熊",
  "星星",
  "可乐",
  "晴天",
  "柠檬",
  "木子",
  "豆豆",
  "阿杰",
  "小鱼",
  "团子",
  "奶茶",
] as const;
export const nickSuffixes = [
  "奔跑",
  "爱吃瓜",
  "在路上",
  "不加糖",
  "666",
  "同学",
  "酱",
  "小可爱",
  "哥",
  "宝宝",
] as const;

export const cities = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "长沙", "沈阳", "厦门"];

const digitString = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join("");
const petName = (rng: Rng) => `${rng.pick(nickNames)}${rng.pick(nickSuffixes)}`;

/**
 * A buyer's display name in each platform's style: Taobao `tb_` nicks, JD
 * `jd_` pins, PDD and the short-video apps' default 用户/快手用户 + digits when
 * the buyer never set one.
 */
export function nickFor(platform: PlatformId, rng: Rng): string {
  switch (platform) {
    case "taobao": {
      const digits = rng.chance(0.6) ? String(rng.int(1, 9999)) : "";
      return `${rng.pick(nickPrefixes)}${petName(rng)}${digits}`;
    }
    case "jd":
      return rng.chance(0.5) ? `jd_${digitString(rng, 10)}` : `jd_${petName(rng)}${rng.int(1, 999)}`;
    case "pdd":
      return rng.chance(0.4) ? `pdd_${digitString(rng, 8)}` : `${petName(rng)}${rng.int(1, 99)}`;
    case "douyin":
      return rng.chance(0.5) ? `用户${digitString(rng, 10)}` : `${petName(rng)}${rng.int(1, 9999)}`;
    case "kuaishou":
      return rng.chance(0.5) ? `快手用户${digitString(rng, 10)}` : `${petName(rng)}${rng.int(1, 9999)}`;
    default:
      return `${rng.pick(["访客", "顾客"])}${digitString(rng, 6)}`;
  }
}
