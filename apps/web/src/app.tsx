import { Spin } from "antd";
import { AuthProvider, useAuth } from "./auth/auth-provider.tsx";
import { LoginPage } from "./auth/login-page.tsx";
import { I18nProvider } from "./i18n/i18n-provider.tsx";
import { WorkspacePage } from "./workspace/workspace-page.tsx";

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <Screen />
      </AuthProvider>
    </I18nProvider>
  );
}

function Screen() {
  const { auth } = useAuth();
  switch (auth.status) {
    case "checking":
      return (
        <div className="app-loading">
          <Spin size="large" />
        </div>
      );
    case "signedOut":
      return <LoginPage notice={auth.notice} />;
    case "signedIn":
      // Keyed by user: a different sign-in starts from an empty inbox.
      return <WorkspacePage key={auth.me.user.id} />;
  }
}
