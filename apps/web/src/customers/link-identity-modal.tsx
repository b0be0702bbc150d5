import type { CustomerProfile, CustomerSearchHit } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import { Alert, App, Button, Empty, Input, Modal, Spin, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { customersApi } from "./customers-api.ts";

type Props = {
  profile: CustomerProfile;
  onLinked: (profile: CustomerProfile) => void;
  onClose: () => void;
};

/** A supervisor finds another buyer's account (by name or platform id) and links it to this customer. */
export function LinkIdentityModal({ profile, onLinked, onClose }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [query, setQuery] = useState("");
  const [note, setNote] = useState("");
  const [hits, setHits] = useState<CustomerSearchHit[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [linkingId, setLinkingId] = useState<string | null>(null);
  const search = useRef<AbortController | null>(null);

  useEffect(() => () => search.current?.abort(), []);

  const run = (q: string) => {
    search.current?.abort();
    const text = q.trim();
    if (!text) {
      setHits(null);
      return;
    }
    const controller = new AbortController();
    search.current = controller;
    setSearching(true);
    setError(null);
    customersApi.search(text, controller.signal).then(
      (result) => {
        setHits(result.items);
        setSearching(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(t("customer.searchFailed", { reason: errorText(cause, t) }));
        setSearching(false);
      },
    );
  };

  const link = (identityId: string, buyer: string) => {
    setLinkingId(identityId);
    const trimmed = note.trim();
    customersApi
      .link(profile.customer.id, { identityId, ...(trimmed && { note: trimmed }) })
      .then(
        (next) => {
          void message.success(t("customer.linked", { buyer }));
          onLinked(next);
        },
        (cause: unknown) => void message.error(t("customer.linkFailed", { reason: errorText(cause, t) })),
      )
      .finally(() => setLinkingId(null));
  };

  const mine = new Set(profile.identities.map((i) => i.id));

  return (
    <Modal
      open
      title={t("customer.linkTitle", { name: profile.customer.displayName })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={520}
    >
      <div className="customer-link-modal" data-testid="customer-link-modal">
        <Typography.Paragraph type="secondary">{t("customer.linkHint")}</Typography.Paragraph>
        <Input.Search
          autoFocus
          allowClear
          placeholder={t("customer.searchPlaceholder")}
          value={query}
          maxLength={100}
          loading={searching}
          onChange={(e) => setQuery(e.target.value)}
          onSearch={run}
          data-testid="customer-search"
        />
        <Input
          placeholder={t("customer.linkNote")}
          value={note}
          maxLength={200}
          onChange={(e) => setNote(e.target.value)}
          data-testid="customer-link-note"
        />
        {error && <Alert type="error" showIcon title={error} />}
        {searching && hits === null && <Spin />}
        {hits !== null && hits.length === 0 && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("customer.searchEmpty")} />
        )}
        {hits && hits.length > 0 && (
          <ul className="customer-list customer-search-results">
            {hits.flatMap((hit) =>
              hit.identities.map((identity) => {
                const here = mine.has(identity.id);
                const label = identity.storeLabel ?? platformLabels[identity.platform][locale];
                return (
                  <li key={identity.id} className="customer-search-hit" data-testid="customer-search-hit">
                    <Tag color={platformLabels[identity.platform].color} className="source-tag" title={label}>
                      {label}
                    </Tag>
                    <span className="customer-search-name" title={identity.platformBuyerId}>
                      {identity.displayName}
                      {identity.displayName !== identity.platformBuyerId && (
                        <span className="customer-search-id">{identity.platformBuyerId}</span>
                      )}
                    </span>
                    {here ? (
                      <Tag>{t("customer.alreadyHere")}</Tag>
                    ) : (
                      <Button
                        size="small"
                        type="primary"
                        loading={linkingId === identity.id}
                        disabled={linkingId !== null && linkingId !== identity.id}
                        onClick={() => link(identity.id, identity.displayName)}
                        data-testid="customer-link-this"
                      >
                        {t("customer.linkThis")}
                      </Button>
                    )}
                  </li>
                );
              }),
            )}
          </ul>
        )}
      </div>
    </Modal>
  );
}
