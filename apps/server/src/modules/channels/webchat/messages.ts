import { MessageAttachment, type WidgetMessage } from "@yunxi/contracts";

/** Any message row or presented message: what the visitor may see of it. */
export interface MessageLike {
  id: string;
  direction: string;
  kind: string;
  body: string;
  attachment?: unknown;
  createdAt: Date | string;
}

/** The visitor's view: who said it, the text or the image, when. Cards and notices show as their text. */
export function widgetMessageOf(m: MessageLike): WidgetMessage {
  const attachment = m.attachment ? MessageAttachment.safeParse(m.attachment) : undefined;
  const image = attachment?.success && attachment.data.type === "image" ? attachment.data.url : null;
  return {
    id: m.id,
    from: m.direction === "inbound" ? "visitor" : "agent",
    kind: image ? "image" : "text",
    text: image ? "" : m.body,
    imageUrl: image,
    createdAt: typeof m.createdAt === "string" ? m.createdAt : m.createdAt.toISOString(),
  };
}
