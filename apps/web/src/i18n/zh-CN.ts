/**
 * Simplified Chinese, the default language and the source of every UI text key.
 * Other locales are typed against these keys (`Messages`), so a missing key does not compile.
 * `{name}` placeholders are filled by `t(key, { name })`.
 */
export const zhCN = {
  "app.name": "云席",
  "app.nameLatin": "Yunxi",
  "app.tagline": "一个工作台，接待所有平台的买家",

  "login.title": "登录云席",
  "login.email": "邮箱",
  "login.emailPlaceholder": "you@example.com",
  "login.emailRequired": "请输入邮箱",
  "login.emailInvalid": "邮箱格式不正确",
  "login.password": "密码",
  "login.passwordRequired": "请输入密码",
  "login.submit": "登录",
  "login.failed": "登录失败",

  "header.logout": "退出登录",
  "header.language": "语言",
  "header.org": "组织",

  "role.owner": "所有者",
  "role.admin": "管理员",
  "role.supervisor": "主管",
  "role.agent": "客服",

  "connection.connecting": "连接中…",
  "connection.connected": "已连接",
  "connection.reconnecting": "重新连接中…",
  "connection.offline": "已断开",

  "conversations.title": "会话",
  "conversations.allStores": "全部店铺",
  "conversations.storeFilter": "按店铺筛选",
  "conversations.empty": "暂无会话",
  "conversations.loadFailed": "会话加载失败",
  "conversations.loadingMore": "加载更多…",
  "conversations.count": "{count} 个会话",
  "conversations.unread": "{count} 条未读",
  "conversations.retry": "重新加载",

  "status.open": "进行中",
  "status.pending": "待跟进",
  "status.resolved": "已解决",

  "thread.placeholder": "从左侧选择一个会话开始接待",
  "thread.back": "返回会话列表",
  "thread.empty": "还没有消息",
  "thread.loadFailed": "消息加载失败",
  "thread.status": "会话状态",
  "thread.statusFailed": "状态更新失败",
  "thread.buyer": "买家",
  "thread.newMessages": "有新消息",

  "message.pending": "发送中",
  "message.sent": "已发送",
  "message.failed": "发送失败",
  "message.retry": "重试",
  "message.kind.image": "图片",
  "message.kind.product_card": "商品卡片",
  "message.kind.order_card": "订单卡片",
  "message.sender.bot": "机器人",
  "message.sender.agent": "客服",

  "composer.placeholder": "输入回复，Enter 发送，Shift+Enter 换行",
  "composer.send": "发送",
  "composer.tooLong": "消息不能超过 {max} 字",

  "details.title": "会话信息",
  "details.customer": "买家",
  "details.buyerId": "买家账号",
  "details.source": "来源",
  "details.createdAt": "创建时间",
  "details.firstResponseAt": "首次响应",
  "details.lastInboundAt": "买家最后发言",
  "details.none": "—",

  "time.justNow": "刚刚",

  "errors.network": "网络连接失败，请检查网络后重试",
  "errors.invalidResponse": "服务器返回了无法识别的数据",
  "errors.unknown": "出错了，请稍后再试",
  "errors.sessionExpired": "登录已过期，请重新登录",
};

export type MessageKey = keyof typeof zhCN;
/** The shape every locale implements: every key, a string each. */
export type Messages = Record<MessageKey, string>;
