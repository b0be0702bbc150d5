import { CheckOutlined, ExclamationCircleFilled, LoadingOutlined, RedoOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useT } from "../i18n/i18n-provider.tsx";
import type { ThreadMessage } from "../inbox/inbox-state.ts";

type Props = { message: ThreadMessage; read: boolean; onRetry: (message: ThreadMessage) => void };

/** 发送中 / 已发送 / 已读 / 发送失败 (+ the platform's error and 重试) under an outbound bubble. */
export function DeliveryState({ message, read, onRetry }: Props) {
  const t = useT();
  switch (message.deliveryStatus) {
    case "pending":
      return (
        <span className="delivery delivery-pending" data-testid="delivery-state">
          <LoadingOutlined /> {t("message.pending")}
        </span>
      );
    case "sent":
      if (read) {
        return (
          <span className="delivery delivery-read" data-testid="delivery-state" data-read="true">
            <CheckOutlined /> {t("message.read")}
          </span>
        );
      }
      return (
        <span className="delivery delivery-sent" data-testid="delivery-state">
          <CheckOutlined /> {t("message.sent")}
        </span>
      );
    case "failed":
      return (
        <span className="delivery delivery-failed" data-testid="delivery-state" role="alert">
          <ExclamationCircleFilled /> {t("message.failed")}
          {message.deliveryError && <span className="delivery-error">{message.deliveryError}</span>}
          <Button
            size="small"
            type="link"
            danger
            icon={<RedoOutlined />}
            data-testid="retry-button"
            onClick={() => onRetry(message)}
          >
            {t("message.retry")}
          </Button>
        </span>
      );
    default:
      return null;
  }
}
