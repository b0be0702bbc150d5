import { Modal } from "antd";
import { Fragment } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { bindingKeys, shortcutGroups, shortcuts } from "./registry.ts";
import "./shortcuts.css";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

type Props = { open: boolean; onClose: () => void };

/** The help sheet (`?`): every shortcut of the registry, by group, in the reader's language. */
export function ShortcutHelp({ open, onClose }: Props) {
  const t = useT();
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t("shortcuts.title")} width={520} destroyOnHidden>
      <div className="shortcut-help" data-testid="shortcut-help">
        {shortcutGroups.map((group) => (
          <section key={group} className="shortcut-group">
            <h4 className="shortcut-group-title">{t(`shortcuts.group.${group}`)}</h4>
            <dl className="shortcut-list">
              {shortcuts
                .filter((shortcut) => shortcut.group === group)
                .map((shortcut) => (
                  <Fragment key={shortcut.id}>
                    <dt data-shortcut={shortcut.id}>{t(shortcut.label)}</dt>
                    <dd>
                      {shortcut.bindings.map((binding, index) => (
                        <span key={binding.key + String(binding.alt)} className="shortcut-binding">
                          {index > 0 && <span className="shortcut-or">{t("shortcuts.or")}</span>}
                          {bindingKeys(binding, isMac).map((key) => (
                            <kbd key={key}>{key}</kbd>
                          ))}
                        </span>
                      ))}
                    </dd>
                  </Fragment>
                ))}
            </dl>
          </section>
        ))}
        <p className="shortcut-note">{t("shortcuts.typingNote")}</p>
      </div>
    </Modal>
  );
}
