/**
 * What the simulated stores sell: categories as Chinese marketplaces name them,
 * with the attributes buyers ask about (sizes, colours, specs).
 */

export const categories = ["服装", "鞋靴", "美妆", "母婴", "家电", "食品", "3C"] as const;
export type Category = (typeof categories)[number];

export interface CatalogueEntry {
  category: Category;
  title: string;
  /** Price range in yuan; the seed picks a price inside it. */
  price: [number, number];
  /** Sizes or specs (尺码 / 规格) and colours (颜色 / 口味) a buyer picks from. */
  specs: readonly string[];
  variants: readonly string[];
}

const clothingSizes = ["S", "M", "L", "XL", "2XL"];
const shoeSizes = ["36", "37", "38", "39", "40", "41", "42", "43"];

export const catalogue: readonly CatalogueEntry[] = [
  {
    category: "服装",
    title: "纯棉宽松短袖T恤男女同款",
    price: [39, 89],
    specs: clothingSizes,
    variants: ["白色", "黑色", "雾霾蓝"],
  },
  {
    category: "服装",
    title: "法式碎花连衣裙夏季新款",
    price: [129, 299],
    specs: clothingSizes,
    variants: ["米白碎花", "蓝色碎花"],
  },
  {
    category: "服装",
    title: "加厚连帽羽绒服短款",
    price: [399, 899],
    specs: clothingSizes,
    variants: ["黑色", "奶茶色", "军绿"],
  },
  {
    category: "服装",
    title: "高腰直筒牛仔裤",
    price: [99, 199],
    specs: ["25", "26", "27", "28", "29", "30"],
    variants: ["浅蓝", "深蓝"],
  },
  { category: "鞋靴", title: "透气飞织跑步鞋", price: [199, 459], specs: shoeSizes, variants: ["白灰", "黑红"] },
  { category: "鞋靴", title: "真皮小白鞋百搭板鞋", price: [159, 329], specs: shoeSizes, variants: ["纯白", "白绿"] },
  { category: "鞋靴", title: "加绒雪地靴女冬季", price: [129, 269], specs: shoeSizes, variants: ["栗色", "黑色"] },
  {
    category: "美妆",
    title: "玻尿酸补水保湿面膜10片装",
    price: [59, 129],
    specs: ["10片", "20片"],
    variants: ["补水款", "舒缓款"],
  },
  {
    category: "美妆",
    title: "持久不脱妆粉底液30ml",
    price: [149, 399],
    specs: ["30ml"],
    variants: ["象牙白", "自然色"],
  },
  { category: "美妆", title: "丝绒雾面口红", price: [89, 259], specs: ["3.5g"], variants: ["正红", "豆沙", "枫叶棕"] },
  {
    category: "母婴",
    title: "婴儿纸尿裤超薄透气",
    price: [89, 169],
    specs: ["NB", "S", "M", "L", "XL"],
    variants: ["日用", "夜用"],
  },
  {
    category: "母婴",
    title: "宽口径玻璃奶瓶防胀气",
    price: [69, 139],
    specs: ["160ml", "240ml"],
    variants: ["粉色", "蓝色"],
  },
  {
    category: "母婴",
    title: "婴儿推车可坐可躺轻便折叠",
    price: [599, 1599],
    specs: ["标准款"],
    variants: ["灰色", "卡其"],
  },
  {
    category: "家电",
    title: "家用空气炸锅5L大容量",
    price: [259, 499],
    specs: ["5L", "6.5L"],
    variants: ["白色", "黑色"],
  },
  {
    category: "家电",
    title: "负离子速干吹风机",
    price: [199, 699],
    specs: ["标准版", "礼盒版"],
    variants: ["玫瑰金", "星空灰"],
  },
  {
    category: "家电",
    title: "扫拖一体扫地机器人",
    price: [1299, 3299],
    specs: ["标准版", "自动集尘版"],
    variants: ["白色"],
  },
  {
    category: "食品",
    title: "每日坚果混合果仁30包",
    price: [89, 159],
    specs: ["30包", "15包"],
    variants: ["原味", "益生菌款"],
  },
  { category: "食品", title: "云南古树普洱茶饼357g", price: [128, 688], specs: ["357g"], variants: ["生茶", "熟茶"] },
  {
    category: "食品",
    title: "手工牛肉干内蒙古风干",
    price: [69, 139],
    specs: ["250g", "500g"],
    variants: ["原味", "麻辣"],
  },
  {
    category: "3C",
    title: "真无线降噪蓝牙耳机",
    price: [199, 999],
    specs: ["标准版", "Pro"],
    variants: ["白色", "黑色"],
  },
  { category: "3C", title: "20000毫安快充充电宝", price: [99, 229], specs: ["20000mAh"], variants: ["白色", "黑色"] },
  {
    category: "3C",
    title: "机械键盘87键热插拔",
    price: [199, 499],
    specs: ["红轴", "茶轴", "青轴"],
    variants: ["白色", "灰色"],
  },
];
