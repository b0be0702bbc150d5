import type { ClassifyContext, ProductCategory } from "@yunxi/contracts";

/**
 * The product category of a conversation: from what the conversation is about (the store's
 * category, the product card, the order's items) when known, else from the buyer's words.
 * Keyword rules: longer keywords win over the shorter ones inside them (纸尿裤 is 母婴, not the
 * 裤 of 服装; 苹果手机 is 数码, not the 苹果 of 食品), and some words are known not to be
 * products at all (咖啡色 is a colour).
 */

const words = (list: string): readonly string[] => list.split(" ");

const keywords: Record<ProductCategory, readonly string[]> = {
  鞋子类目: words(
    "鞋 靴 拖鞋 凉鞋 运动鞋 跑鞋 板鞋 帆布鞋 高跟 鞋码 鞋底 鞋垫 鞋带 鞋面 开胶 脚长 鞋楦 脚背 挤脚 磨脚",
  ),
  服装类目: words(
    "衣服 上衣 t恤 短袖 长袖 衬衫 裤 裙 外套 羽绒服 卫衣 毛衣 针织衫 夹克 大衣 风衣 西装 马甲 背心 棉服 冲锋衣 睡衣 内衣 文胸 内裤 袜 打底 吊带 旗袍 汉服 泳衣 帽子 围巾 手套 衣长 肩宽 袖长 领口 面料 起球 开线 吊牌 童装",
  ),
  箱包类目: words("包包 背包 双肩包 单肩包 斜挎包 手提包 钱包 行李箱 拉杆箱 登机箱 旅行箱 书包 腰包 托特包"),
  美妆类目: words(
    "口红 唇釉 唇膏 面膜 粉底 气垫 遮瑕 散粉 眼影 眉笔 睫毛膏 眼线 腮红 精华 乳液 面霜 眼霜 水乳 爽肤水 化妆水 防晒 洗面奶 卸妆 香水 护肤 化妆品 彩妆 色号 敏感肌 油皮 干皮 混油 闷痘 美甲 假睫毛 洗发水 护发素 沐浴露 身体乳",
  ),
  数码类目: words(
    "手机 耳机 充电宝 充电器 充电头 数据线 平板 ipad iphone 电脑 笔记本 键盘 鼠标 显示器 智能手表 手环 相机 镜头 蓝牙 音箱 路由器 u盘 硬盘 内存 显卡 手机壳 钢化膜 游戏机 手柄 无人机 投影仪 麦克风 降噪 续航 苹果手机 华为 小米手机 5g",
  ),
  家电类目: words(
    "空调 冰箱 洗衣机 电视 吹风机 电饭煲 空气炸锅 扫地机 吸尘器 微波炉 烤箱 热水器 净水器 加湿器 除湿机 电风扇 风扇 破壁机 榨汁 豆浆机 电热水壶 电水壶 洗碗机 电压力锅 咖啡机 料理机 电动牙刷 剃须刀 卷发棒 暖风机 电热毯 按摩椅 跑步机 油烟机 燃气灶 电磁炉 功率 耗电 几级能效",
  ),
  食品类目: words(
    "零食 坚果 饼干 茶叶 咖啡 牛肉干 水果 苹果 橙子 车厘子 芒果 大米 螺蛳粉 辣条 巧克力 蜂蜜 月饼 粽子 保质期 生产日期 好吃 口味 原味 变质 发霉 牛奶 酸奶 海鲜 牛排 面包 蛋糕 肉 酒 饮料 吃 甜不甜 辣不辣 蛋白粉 保健品",
  ),
  家居类目: words(
    "床单 被套 四件套 枕头 枕套 被子 毛巾 浴巾 窗帘 地毯 沙发 床垫 床架 收纳 拖把 衣架 锅 碗 餐具 杯子 保温杯 水杯 台灯 灯泡 凳子 椅子 桌子 柜子 置物架 菜板 刀具 插座 雨伞 香薰 地板 晾衣 猫砂 猫粮 狗粮",
  ),
  母婴类目: words(
    "纸尿裤 尿不湿 拉拉裤 奶瓶 奶嘴 奶粉 婴儿 宝宝 新生儿 月龄 辅食 推车 婴儿车 安全座椅 吸奶器 温奶器 孕妇 儿童 玩具 积木 童鞋 湿巾 红屁屁",
  ),
};

/** Words that contain a keyword but are no product: blanked out before matching. */
const notProducts = [
  "咖啡色",
  "橙色",
  "奶茶色",
  "焦糖色",
  "巧克力色",
  "酒红",
  "一锅端",
  "吃亏",
  "吃饭",
  "好吃懒做",
  "宝宝们",
];

/** Names stores and platforms use for their categories. */
const categoryNames: readonly (readonly [RegExp, ProductCategory])[] = [
  [/鞋子类目|鞋靴|鞋/, "鞋子类目"],
  [/服装类目|服装|服饰|女装|男装|内衣/, "服装类目"],
  [/箱包类目|箱包|包袋/, "箱包类目"],
  [/美妆类目|美妆|彩妆|护肤|个护|化妆/, "美妆类目"],
  [/数码类目|数码|3c|手机|电脑|办公/, "数码类目"],
  [/家电类目|家电|电器/, "家电类目"],
  [/食品类目|食品|生鲜|零食|酒水|茶/, "食品类目"],
  [/家居类目|家居|家纺|家具|厨具|日用|百货|宠物/, "家居类目"],
  [/母婴类目|母婴|童装|玩具|孕婴/, "母婴类目"],
];

const entries: { word: string; category: ProductCategory | null }[] = [
  ...(Object.entries(keywords) as [ProductCategory, readonly string[]][]).flatMap(([category, words]) =>
    words.map((word) => ({ word, category })),
  ),
  ...notProducts.map((word) => ({ word, category: null })),
].sort((a, b) => b.word.length - a.word.length || (a.word < b.word ? -1 : 1));

/** The category a piece of text speaks of most, or null. */
export function categoryFromText(input: string): ProductCategory | null {
  let text = input.slice(0, 2000).normalize("NFKC").toLowerCase();
  const score = new Map<ProductCategory, number>();
  for (const { word, category } of entries) {
    if (!text.includes(word)) continue;
    // Longer words first; a matched word is blanked so the shorter ones inside it do not count again.
    const count = text.split(word).length - 1;
    text = text.replaceAll(word, " ");
    if (category) score.set(category, (score.get(category) ?? 0) + count * word.length);
  }
  let best: ProductCategory | null = null;
  let bestScore = 0;
  for (const [category, s] of score) {
    if (s > bestScore) {
      best = category;
      bestScore = s;
    }
  }
  return best;
}

function categoryFromName(name: string): ProductCategory | null {
  const folded = name.normalize("NFKC").toLowerCase();
  for (const [pattern, category] of categoryNames) if (pattern.test(folded)) return category;
  return categoryFromText(folded);
}

/** From the conversation's context first (store category, product card, order items), then the text. */
export function categoryOf(text: string, context?: ClassifyContext): ProductCategory | null {
  if (context?.category) {
    const c = categoryFromName(context.category);
    if (c) return c;
  }
  if (context?.productTitle) {
    const c = categoryFromText(context.productTitle);
    if (c) return c;
  }
  if (context?.orderItems && context.orderItems.length > 0) {
    const c = categoryFromText(context.orderItems.map((item) => item.title).join(" "));
    if (c) return c;
  }
  return categoryFromText(text);
}
