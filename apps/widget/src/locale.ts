/** Every text the widget shows, Chinese first; English for visitors whose browser asks for it. */
const strings = {
  "zh-CN": {
    open: "在线客服",
    title: "在线客服",
    close: "关闭",
    placeholder: "请输入消息，回车发送",
    send: "发送",
    image: "发送图片",
    offline: "客服暂时不在线，您可以留言，我们会尽快回复您。",
    connecting: "正在连接…",
    failed: "发送失败，请重试",
    tooLarge: "图片太大或格式不支持（支持 PNG、JPEG、GIF、WebP）",
    you: "我",
    agent: "客服",
    welcome: "您好，有什么可以帮您？",
  },
  en: {
    open: "Chat with us",
    title: "Customer service",
    close: "Close",
    placeholder: "Type a message, Enter to send",
    send: "Send",
    image: "Send an image",
    offline: "No one is online right now. Leave a message and we will get back to you soon.",
    connecting: "Connecting…",
    failed: "Could not send, please try again",
    tooLarge: "Image too large or of an unsupported type (PNG, JPEG, GIF, WebP)",
    you: "Me",
    agent: "Agent",
    welcome: "Hello! How can we help?",
  },
} as const;

export type Strings = (typeof strings)["zh-CN"] | (typeof strings)["en"];

export function pickStrings(languages: readonly string[]): Strings {
  const first = languages[0]?.toLowerCase() ?? "zh-cn";
  return first.startsWith("en") ? strings.en : strings["zh-CN"];
}
