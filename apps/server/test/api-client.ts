/** A tiny API client for tests: keeps the session cookie and echoes the CSRF token. */
export class ApiClient {
  readonly baseUrl: string;
  cookie = "";
  csrfToken = "";

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async login(email: string, password: string): Promise<ApiClient> {
    const res = await this.request("POST", "/api/auth/login", { email, password });
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined && { "content-type": "application/json" }),
        ...(this.cookie && { cookie: this.cookie }),
        ...(this.csrfToken && method !== "GET" && { "x-csrf-token": this.csrfToken }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("yunxi_session="));
    if (setCookie) this.cookie = setCookie.split(";")[0]!;
    const text = await res.text();
    const parsed = text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
    if (parsed && typeof parsed === "object" && "csrfToken" in parsed) this.csrfToken = parsed.csrfToken;
    return { status: res.status, body: parsed };
  }

  get = (path: string) => this.request("GET", path);
  post = (path: string, body?: unknown) => this.request("POST", path, body);
  patch = (path: string, body?: unknown) => this.request("PATCH", path, body);
  delete = (path: string) => this.request("DELETE", path);
}
