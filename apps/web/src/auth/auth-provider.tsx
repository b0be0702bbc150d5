import type { Me } from "@yunxi/contracts";
import type { ReactNode } from "react";
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiRequestError, onUnauthenticated, setCsrfToken } from "../api/client.ts";
import { authApi } from "../api/endpoints.ts";
import type { MessageKey } from "../i18n/zh-CN.ts";

export type AuthState =
  | { status: "checking" }
  | { status: "signedOut"; notice: MessageKey | null }
  | { status: "signedIn"; me: Me };

type AuthContextValue = {
  auth: AuthState;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Asks the server whether the session still holds; signs out locally if not. */
  verifySession: () => Promise<void>;
};

const AuthContext = createContext<AuthContextValue | null>(null);

function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 401;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [auth, setAuth] = useState<AuthState>({ status: "checking" });

  const signIn = useCallback((me: Me) => {
    setCsrfToken(me.csrfToken);
    setAuth({ status: "signedIn", me });
  }, []);

  const signOut = useCallback((notice: MessageKey | null) => {
    setCsrfToken(null);
    setAuth({ status: "signedOut", notice });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    authApi.me(controller.signal).then(signIn, (error: unknown) => {
      if (!controller.signal.aborted) signOut(isUnauthenticated(error) ? null : "errors.network");
    });
    return () => controller.abort();
  }, [signIn, signOut]);

  useEffect(() => onUnauthenticated(() => signOut("errors.sessionExpired")), [signOut]);

  const value = useMemo<AuthContextValue>(
    () => ({
      auth,
      login: async (email, password) => signIn(await authApi.login({ email, password })),
      logout: async () => {
        try {
          await authApi.logout();
        } finally {
          signOut(null);
        }
      },
      verifySession: async () => {
        try {
          signIn(await authApi.me());
        } catch (error) {
          if (isUnauthenticated(error)) signOut("errors.sessionExpired");
        }
      },
    }),
    [auth, signIn, signOut],
  );

  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}

/** The signed-in user; only for components rendered behind the login. */
export function useMe(): Me {
  const { auth } = useAuth();
  if (auth.status !== "signedIn") throw new Error("useMe needs a signed-in user");
  return auth.me;
}
