import { ClockCircleOutlined } from "@ant-design/icons";
import { Alert, Button, Dropdown, Input, Modal } from "antd";
import { useState } from "react";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { SnoozePreset } from "./snooze.ts";
import { parseCustomSnooze, snoozePresets, snoozeUntil, toDateTimeLocal } from "./snooze.ts";

type Props = {
  disabled: boolean;
  loading: boolean;
  onSnooze: (until: Date) => void;
};

const presetKeys = { "30m": "snooze.30m", "2h": "snooze.2h", tomorrow9: "snooze.tomorrow9" } as const;

/** 暂缓: 30 分钟, 2 小时, 明天 9:00 or a chosen time; the conversation waits (pending) until then or the buyer writes. */
export function SnoozeButton({ disabled, loading, onSnooze }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [customOpen, setCustomOpen] = useState(false);
  const [custom, setCustom] = useState("");
  const customUntil = parseCustomSnooze(custom, new Date());

  const items = [
    ...snoozePresets.map((preset: SnoozePreset) => ({
      key: preset,
      label: (
        <span data-testid={`snooze-${preset}`}>
          {t(presetKeys[preset])}
          <span className="snooze-when">{formatDateTime(snoozeUntil(preset, new Date()).toISOString(), locale)}</span>
        </span>
      ),
    })),
    { type: "divider" as const },
    { key: "custom", label: <span data-testid="snooze-custom">{t("snooze.custom")}</span> },
  ];

  return (
    <>
      <Dropdown
        disabled={disabled}
        trigger={["click"]}
        menu={{
          items,
          onClick: ({ key }) => {
            if (key === "custom") {
              setCustom(toDateTimeLocal(snoozeUntil("2h", new Date())));
              setCustomOpen(true);
              return;
            }
            const preset = snoozePresets.find((p) => p === key);
            if (preset) onSnooze(snoozeUntil(preset, new Date()));
          },
        }}
      >
        <Button size="small" icon={<ClockCircleOutlined />} loading={loading} data-testid="action-snooze">
          <span className="action-text">{t("actions.snooze")}</span>
        </Button>
      </Dropdown>
      <Modal
        open={customOpen}
        title={t("snooze.customTitle")}
        onCancel={() => setCustomOpen(false)}
        onOk={() => {
          if (!customUntil) return;
          setCustomOpen(false);
          onSnooze(customUntil);
        }}
        okText={t("snooze.submit")}
        cancelText={t("common.cancel")}
        okButtonProps={{ disabled: !customUntil }}
        destroyOnHidden
      >
        <Input
          type="datetime-local"
          data-testid="snooze-custom-input"
          value={custom}
          min={toDateTimeLocal(new Date())}
          onChange={(event) => setCustom(event.target.value)}
          aria-label={t("snooze.customTitle")}
        />
        {custom && !customUntil && (
          <Alert className="snooze-invalid" type="warning" showIcon title={t("snooze.mustBeFuture")} />
        )}
      </Modal>
    </>
  );
}
