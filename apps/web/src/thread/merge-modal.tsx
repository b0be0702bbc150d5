import type { Conversation } from "@yunxi/contracts";
import { Alert, Empty, Modal, Radio } from "antd";
import { useState } from "react";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useStoresById } from "../inbox/selectors.ts";
import { SourceTag } from "../shared/source-label.tsx";
import type { ActionFailure } from "./action-errors.ts";

type Props = {
  conversation: Conversation;
  candidates: readonly Conversation[];
  open: boolean;
  saving: boolean;
  failure: ActionFailure | null;
  onClose: () => void;
  onMerge: (otherId: string) => void;
};

/** 合并: another open conversation of the same buyer moves into this one (its messages too) and is closed. */
export function MergeModal({ conversation, candidates, open, saving, failure, onClose, onMerge }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const storesById = useStoresById();
  const [otherId, setOtherId] = useState<string | null>(null);
  const chosen = candidates.some((c) => c.id === otherId) ? otherId : null;

  return (
    <Modal
      open={open}
      title={t("merge.title", { buyer: conversation.customer.displayName })}
      onCancel={onClose}
      onOk={() => chosen && onMerge(chosen)}
      okText={t("merge.submit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ disabled: !chosen, loading: saving }}
      destroyOnHidden
    >
      <div className="merge-form" data-testid="merge-modal">
        <p className="merge-hint">{t("merge.hint")}</p>
        {candidates.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("merge.none")} />
        ) : (
          <Radio.Group className="merge-options" value={chosen} onChange={(event) => setOtherId(event.target.value)}>
            {candidates.map((other) => (
              <Radio key={other.id} value={other.id} data-testid="merge-option" data-conversation-id={other.id}>
                <span className="merge-option">
                  <SourceTag
                    platform={other.platform}
                    storeName={storesById.get(other.storeId)?.name}
                    fallback={other.storeLabel}
                  />
                  <span className="merge-option-preview">{other.lastMessagePreview}</span>
                  <time className="merge-option-time">{formatDateTime(other.lastMessageAt, locale)}</time>
                </span>
              </Radio>
            ))}
          </Radio.Group>
        )}
        {failure && (
          <div role="alert" data-testid="merge-error">
            <Alert type="error" showIcon title={failure.title} description={failure.detail} />
          </div>
        )}
      </div>
    </Modal>
  );
}
