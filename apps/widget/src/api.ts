import type { WidgetHistory, WidgetIdentity, WidgetSendResult, WidgetSession, WidgetUpload } from "@yunxi/contracts";

/** The widget's calls to the Yunxi server that served the script. */
export class WidgetApi {
  readonly base: string;
  readonly storeKey: string;
  token = "";

  constructor(base: string, storeKey: string) {
    this.base = base;
    this.storeKey = storeKey;
  }

  async #call<T>(path: string, init: { method?: string; body?: BodyInit; type?: string } = {}): Promise<T> {
    const res = await fetch(`${this.base}/widget/${encodeURIComponent(this.storeKey)}${path}`, {
      method: init.method ?? "GET",
      headers: {
        ...(init.type && { "content-type": init.type }),
        ...(this.token && { authorization: `Bearer ${this.token}` }),
      },
      body: init.body ?? null,
    });
    const payload = (await res.json()) as T & { error?: { code: string; message: string } };
    if (!res.ok) throw Object.assign(new Error(payload.error?.message ?? `HTTP ${res.status}`), { status: res.status });
    return payload;
  }

  async session(earlierToken: string | null, identity: WidgetIdentity | undefined): Promise<WidgetSession> {
    const body = JSON.stringify({ ...(earlierToken && { token: earlierToken }), ...(identity && { identity }) });
    const session = await this.#call<WidgetSession>("/session", { method: "POST", body, type: "application/json" });
    this.token = session.token;
    return session;
  }

  history = () => this.#call<WidgetHistory>("/messages");

  send(input: { clientId: string; text?: string; imageUrl?: string }) {
    return this.#call<WidgetSendResult>("/messages", {
      method: "POST",
      body: JSON.stringify(input),
      type: "application/json",
    });
  }

  upload = (file: File) => this.#call<WidgetUpload>("/uploads", { method: "POST", body: file, type: file.type });

  /** Image URLs of uploads are relative to the Yunxi server, not to the host page. */
  absolute = (url: string) => (url.startsWith("/") ? `${this.base}${url}` : url);
}
