import { BellOutlined, MutedOutlined, SoundOutlined } from "@ant-design/icons";
import type { MenuProps } from "antd";
import { App, Button, Dropdown, Tooltip } from "antd";
import { useEffect, useMemo } from "react";
import { useMe } from "../auth/auth-provider.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import { titleWithBadge, unreadTotal } from "./badge.ts";
import { useDesktopPermission } from "./desktop-notifications.ts";
import { setFaviconBadge } from "./favicon-badge.ts";
import { useNotificationCenter } from "./notification-center.tsx";
import { setPrefs, useNotificationPrefs } from "./notification-prefs.ts";
import { unlockAudio } from "./tones.ts";

/** Mute, and desktop notifications: the button that asks the browser's permission, then the preference. */
export function NotificationControls() {
  const t = useT();
  const { message } = App.useApp();
  const prefs = useNotificationPrefs();
  const { permission, request } = useDesktopPermission();

  const soundLabel = prefs.muted ? t("notify.soundOff") : t("notify.soundOn");
  const soundButton = (
    <Tooltip title={prefs.muted ? t("notify.unmute") : t("notify.mute")}>
      <Button
        type="text"
        className={prefs.muted ? "notify-sound is-muted" : "notify-sound"}
        icon={prefs.muted ? <MutedOutlined /> : <SoundOutlined />}
        aria-label={soundLabel}
        aria-pressed={prefs.muted}
        data-testid="notification-sound-toggle"
        data-muted={prefs.muted}
        onClick={() => {
          unlockAudio();
          setPrefs({ muted: !prefs.muted });
        }}
      />
    </Tooltip>
  );

  if (permission === "unsupported") return soundButton;

  if (permission === "default") {
    return (
      <span className="notify-controls">
        {soundButton}
        <Tooltip title={t("notify.enableDesktopHint")}>
          <Button
            type="text"
            icon={<BellOutlined />}
            data-testid="enable-desktop-notifications"
            onClick={() => {
              request().then(
                (answer) => {
                  if (answer === "granted") message.success(t("notify.desktopEnabled"));
                  else if (answer === "denied") message.warning(t("notify.desktopDenied"));
                },
                () => undefined,
              );
            }}
          >
            <span className="notify-enable-text">{t("notify.enableDesktop")}</span>
          </Button>
        </Tooltip>
      </span>
    );
  }

  if (permission === "denied") {
    return (
      <span className="notify-controls">
        {soundButton}
        <Tooltip title={t("notify.desktopBlocked")}>
          <Button
            type="text"
            icon={<BellOutlined />}
            className="notify-desktop is-blocked"
            aria-label={t("notify.desktopBlocked")}
            data-testid="desktop-notifications-state"
            data-permission="denied"
          />
        </Tooltip>
      </span>
    );
  }

  const items: MenuProps["items"] = [
    { key: "background", label: t("notify.desktopBackground") },
    { key: "always", label: t("notify.desktopAlways") },
  ];
  return (
    <span className="notify-controls">
      {soundButton}
      <Dropdown
        trigger={["click"]}
        menu={{
          items,
          selectable: true,
          selectedKeys: [prefs.desktop],
          onClick: ({ key }) => setPrefs({ desktop: key === "always" ? "always" : "background" }),
        }}
      >
        <Button
          type="text"
          icon={<BellOutlined />}
          className="notify-desktop is-on"
          aria-label={t("notify.desktopOn")}
          data-testid="desktop-notifications-state"
          data-permission="granted"
          data-mode={prefs.desktop}
        />
      </Dropdown>
    </span>
  );
}

/** The unread count in the tab title and on the favicon; renders nothing. */
export function UnreadBadge() {
  const me = useMe();
  const { mine } = useNotificationCenter();
  const { state } = useInbox();
  const count = useMemo(() => unreadTotal([mine, state.conversations], me.user.id), [mine, state.conversations, me]);

  useEffect(() => {
    document.title = titleWithBadge(document.title, count);
    void setFaviconBadge(count);
  }, [count]);

  useEffect(
    () => () => {
      document.title = titleWithBadge(document.title, 0);
      void setFaviconBadge(0);
    },
    [],
  );
  return null;
}
