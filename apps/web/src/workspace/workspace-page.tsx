import { App } from "antd";
import { useCallback, useState } from "react";
import { AdminPage } from "../admin/admin-page.tsx";
import { useAuth, useMe } from "../auth/auth-provider.tsx";
import { ConversationPane } from "../conversations/conversation-pane.tsx";
import { useT } from "../i18n/i18n-provider.tsx";
import { InboxProvider } from "../inbox/inbox-provider.tsx";
import { useOpenConversationRequests } from "../notifications/open-conversation.ts";
import { useRoute } from "../routing/use-route.ts";
import { errorText } from "../shared/error-text.ts";
import { ShortcutsProvider } from "../shortcuts/shortcuts-provider.tsx";
import { ThreadPane } from "../thread/thread-pane.tsx";
import { AppHeader } from "./app-header.tsx";
import { DetailsPane } from "./details-pane.tsx";

/**
 * The signed-in app: header, then the inbox (list | thread | details; tablets list | thread, phones
 * list or thread) or the admin console. One inbox store and realtime connection serve both; the
 * keyboard shortcuts (J/K, N, R, C, T, E, ?) work in the inbox.
 */
export function WorkspacePage() {
  const me = useMe();
  const { verifySession } = useAuth();
  const t = useT();
  const { message } = App.useApp();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // A clicked notification (popup, desktop or the service worker's) opens its conversation here.
  useOpenConversationRequests(setSelectedId);
  const { route, go } = useRoute();

  const showError = useCallback((error: unknown) => void message.error(errorText(error, t)), [message, t]);
  const back = useCallback(() => setSelectedId(null), []);

  return (
    <InboxProvider me={me} onRealtimeRejected={verifySession} onError={showError}>
      <ShortcutsProvider>
        <div className="workspace">
          <AppHeader route={route} onNavigate={go} />
          {route.page === "admin" ? (
            <AdminPage tab={route.tab} onNavigate={go} />
          ) : (
            <div className={`workspace-panes${selectedId ? " has-selection" : ""}`}>
              <aside className="pane pane-list">
                <ConversationPane selectedId={selectedId} onSelect={setSelectedId} />
              </aside>
              <section className="pane pane-thread">
                <ThreadPane conversationId={selectedId} onBack={back} onOpen={setSelectedId} onError={showError} />
              </section>
              <aside className="pane pane-details">
                <DetailsPane conversationId={selectedId} onOpenConversation={setSelectedId} />
              </aside>
            </div>
          )}
        </div>
      </ShortcutsProvider>
    </InboxProvider>
  );
}
