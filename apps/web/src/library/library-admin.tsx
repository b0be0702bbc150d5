import { Tabs } from "antd";
import { useT } from "../i18n/i18n-provider.tsx";
import { KnowledgeAdmin } from "./kb-admin.tsx";
import { RepliesAdmin } from "./replies-admin.tsx";
import "./library.css";

/**
 * The library's admin screens: canned replies (话术库: categories, scopes, campaign windows,
 * Excel import/export) and the knowledge base (知识库: articles, attachments, versions).
 * Agents see them too: they manage their personal replies and read the rest.
 */
export function LibraryAdmin({ defaultTab = "replies" }: { defaultTab?: "replies" | "kb" }) {
  const t = useT();
  return (
    <div className="library-admin" data-testid="library-admin">
      <Tabs
        defaultActiveKey={defaultTab}
        destroyOnHidden
        items={[
          { key: "replies", label: t("library.tabReplies"), children: <RepliesAdmin /> },
          { key: "kb", label: t("library.tabKnowledge"), children: <KnowledgeAdmin /> },
        ]}
      />
    </div>
  );
}
