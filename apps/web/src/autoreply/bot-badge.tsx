import { RobotOutlined } from "@ant-design/icons";
import { Tag } from "antd";
import { useT } from "../i18n/i18n-provider.tsx";

/** 机器人: marks what the auto-reply bot sent (a message bubble, a decision in the log). */
export function BotBadge() {
  const t = useT();
  return (
    <Tag icon={<RobotOutlined />} color="blue" className="bot-badge" data-testid="bot-badge">
      {t("message.sender.bot")}
    </Tag>
  );
}
