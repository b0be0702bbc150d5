/**
 * What the intent model sees of a message: the text normalised (full-width → half-width,
 * lower case, numbers reduced to their shape, emoji and punctuation folded), then its
 * character 1-, 2- and 3-grams within each run of text. Shared by the training script and
 * the classifier, so both see exactly the same features.
 */

/** The model reads this many characters of a message at most (the rest rarely changes the intent). */
export const MODEL_INPUT_CHARS = 500;

const ANGRY_EMOJI = /[😡😠🤬😤💢👿😾🖕]/gu;
const EMOJI = /\p{Extended_Pictographic}/gu;
/** Joiners, variation selectors and skin tones that only decorate emoji. */
const EMOJI_PARTS = /[\u200d\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}]/gu;
const NUMBER = /\d+(?:\.\d+)?/g;
/** Everything that separates runs of text: punctuation and symbols except ? and ! (they carry tone). */
const SEPARATOR = /[^\p{L}\p{N}?!☺😡#]+/gu;
const REPEATED_MARK = /([?!])\1{2,}/g;

/**
 * The text the model sees. Numbers become `0` (short: sizes, prices, days) or `#` (six digits and
 * more: order numbers, phones, tracking numbers); angry emoji become 😡, every other emoji ☺.
 */
export function normalizeForModel(text: string): string {
  return text
    .slice(0, MODEL_INPUT_CHARS)
    .normalize("NFKC")
    .toLowerCase()
    .replace(EMOJI_PARTS, "")
    .replace(ANGRY_EMOJI, " 😡 ")
    .replace(EMOJI, " ☺ ")
    .replace(NUMBER, (n) => (n.replace(".", "").length >= 6 ? "#" : "0"))
    .replace(SEPARATOR, " ")
    .replace(REPEATED_MARK, "$1$1$1")
    .trim();
}

/**
 * The distinct character 1–3-grams of the normalised text, with `^`/`$` marking the start
 * and end of each run (so `^在` differs from `在` in the middle of a sentence).
 */
export function ngrams(normalized: string): string[] {
  const grams = new Set<string>();
  for (const run of normalized.split(" ")) {
    if (run === "") continue;
    const chars = ["^", ...run, "$"];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (i > 0 && i < chars.length - 1) grams.add(c);
      if (i + 1 < chars.length) grams.add(c + chars[i + 1]!);
      if (i + 2 < chars.length) grams.add(c + chars[i + 1]! + chars[i + 2]!);
    }
  }
  return [...grams];
}

/**
 * Word groups that mean the same thing to a CS team (坏/裂/漏/开胶 …): a message containing any
 * of a group's words also gets the group's feature, so a phrasing the corpus lacks can still lean
 * on its synonyms. Matched on the text folded to half-width lower case (numbers as written).
 */
const words = (list: string): readonly string[] => list.split(" ");

export const lexicon: Record<string, readonly string[]> = {
  坏: words(
    "坏 破 裂 碎 断了 漏 掉漆 开胶 开线 脱线 起球 掉色 褪色 变形 失灵 不亮 没反应 充不进 开不了机 死机 卡顿 杂音 异响 发霉 变质 异味 臭 过期 划痕 瑕疵 污渍 鼓包 跳闸 漏电 冒烟 掉毛 脱胶 发烫 过敏 拉肚子 异物 虫 质量 做工 残次 不能用 用不了 毛病 故障 不工作 不转 不制冷 不加热 凹 瘪 霉 烂",
  ),
  错漏: words(
    "发错 错发 发成 少发 漏发 少了 缺了 没给 只收到 只有 不对 少一 少个 空的 空包 没放 补发 不是我买的 不一样",
  ),
  退换: words(
    "退货 退掉 退回 退了 能退 退换 无理由 换货 换个 换成 换一 换码 换大 换小 不合适 不想要 不喜欢 寄回 运费险 退吗 可以退 怎么退",
  ),
  退款: words("退款 退钱 钱退 到账 原路 tk 退的钱 钱呢 钱什么时候 返现 差价 仅退款"),
  查件: words(
    "快递到 到哪 物流 签收 派送 驿站 转运 揽收 单号 快递员 中转 丰巢 取件 不更新 没动 没更新 派件 网点 在路上 运输中 丢了 寄丢 快递柜",
  ),
  发货: words(
    "发货 发出 发走 寄出 出库 几天到 多久到 几天能到 能到 快递 顺丰 中通 圆通 韵达 申通 极兔 邮政 ems 加急 当天发 今天发 几天发 待发货 催",
  ),
  地址: words(
    "地址 收件人 收货人 手机号 电话写错 电话错 号码写错 改寄 寄到 门牌 楼号 小区 转寄 改派 收件信息 收货信息",
  ),
  修改: words("改 修改 更改 写错 填错 选错 换个地址 重新填"),
  价格: words(
    "便宜 优惠 券 折 满减 包邮 运费 邮费 价 多少钱 块 元 赠品 返现 红包 活动 秒杀 砍 抹零 补贴 会员 积分 分期 定金 尾款 送点 贵 划算 福利",
  ),
  库存: words(
    "有货 没货 现货 缺货 补货 到货 库存 断码 卖完 售罄 抢光 预售 上新 返场 下架 停产 还有吗 还有没 有吗 留一件 无货 没了 卖光 开售 开抢 调货",
  ),
  尺码: words(
    "尺码 码数 多大码 什么码 几码 哪个码 偏大 偏小 正码 身高 体重 斤 kg 公斤 腰围 胸围 臀围 肩宽 衣长 裤长 脚长 大一码 小一码 穿多大 多大号 大半码 码子 均码 圈口 头围 cm",
  ),
  使用: words(
    "怎么用 怎么安装 怎么装 怎么洗 怎么设置 怎么连 怎么操作 怎么调 教程 说明书 步骤 第一次用 使用方法 用法 怎么泡 怎么冲 怎么煮 怎么保存 怎么保养 怎么清洗 配对 怎么开 怎么关 怎么弄 不会用 怎么使用 怎么换 怎么贴 怎么组装 怎么绑定 怎么切换 怎么充 多久换 怎么穿",
  ),
  投诉: words(
    "投诉 差评 骗子 骗 举报 12315 消协 工商 曝光 维权 律师 起诉 报警 垃圾 黑店 奸商 无良 坑 介入 黑猫 态度差 态度恶劣 什么态度 主管 领导 虚假 欺骗 诈骗 索赔 赔偿 过分 受够 气死 敷衍 不管 倒闭 违法 曝 吃官司 监管",
  ),
  发票: words("发票 开票 专票 普票 抬头 税号 纳税人 报销 增值税 收据 票据"),
  问候: words(
    "在吗 你好 您好 有人吗 在不在 谢谢 感谢 多谢 好的 收到 辛苦 拜拜 再见 hello hi 哈喽 嗨 早上好 晚上好 中午好 下午好 晚安 嗯嗯 ok 人呢 在么 知道了 明白 了解 好嘞 好滴 快乐",
  ),
  人工: words("人工 真人 机器人"),
  直播: words("直播 主播 小黄车 福袋 链接 家人们 老铁"),
  商品: words(
    "材质 面料 成分 正品 保修 质保 区别 参数 容量 功率 续航 保质期 生产日期 产地 色差 实物 透气 防水 安全 味道 适合 能用吗 可以用吗 是不是 好不好 怎么样 多重 尺寸 几升 多大 认证 国行 进口 新款",
  ),
  何时: words("什么时候 多久 几天 何时 啥时候 几号 多长时间 还要等 要等"),
};

const lexiconPatterns = Object.entries(lexicon).map(
  ([name, words]) =>
    [`〈${name}〉`, new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"))] as const,
);

export function features(text: string): string[] {
  const grams = ngrams(normalizeForModel(text));
  const folded = text.slice(0, MODEL_INPUT_CHARS).normalize("NFKC").toLowerCase();
  for (const [feature, pattern] of lexiconPatterns) if (pattern.test(folded)) grams.push(feature);
  return grams;
}
