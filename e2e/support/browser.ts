import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { repoRoot } from "./processes.ts";

/** The real browser of the e2e suite: Debian's chromium driven by playwright-core, and signing in as a user would. */

const chromiumPath = "/usr/bin/chromium";
const webApp = "apps/web/dist/index.html";

/** Where the browser tests leave their screenshots. */
export const resultsDir = path.join(repoRoot, "test-results");

/** The agent's desktop screen. */
const desktop = { width: 1440, height: 900 } as const;

/**
 * Whether this browser test can run: without Chromium it is skipped with a warning naming the
 * file, except in CI, where a missing browser must fail rather than pass quietly. With Chromium,
 * the built apps it serves (`built`, paths from the repository root) must be there.
 */
export function chromiumAvailable(testFileUrl: string, built: readonly string[] = [webApp]): boolean {
  if (!fs.existsSync(chromiumPath)) {
    if (process.env.CI) throw new Error(`Chromium is required in CI but missing at ${chromiumPath}`);
    const testFile = path.relative(repoRoot, fileURLToPath(testFileUrl));
    console.warn(`SKIPPED: ${testFile} needs Chromium at ${chromiumPath} (apt-get install chromium).`);
    return false;
  }
  for (const file of built) {
    if (!fs.existsSync(path.join(repoRoot, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  return true;
}

/** Headless Chromium as the tests run it (also in containers: no sandbox, no GPU, no background traffic); makes `resultsDir`. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  fs.mkdirSync(resultsDir, { recursive: true });
  return browser;
}

export interface PageOptions extends BrowserContextOptions {
  /** Collect the page's uncaught errors here (one list for several pages); a new list by default. */
  errors?: string[];
  /** Runs on the new page before it loads anything: listeners, init scripts, exposed functions. */
  beforeLoad?: (page: Page) => Promise<void> | void;
}

/** A page in its own browser context, and the uncaught errors it threw. */
export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** A fresh context (by default the agent's desktop, in Chinese) with one page, its errors collected. */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<OpenedPage> {
  const { errors = [], beforeLoad, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: desktop, locale: "zh-CN", ...contextOptions });
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  await beforeLoad?.(page);
  return { context, page, errors };
}

export interface SignInOptions extends PageOptions {
  /** On the login page, before the credentials go in (e.g. a screenshot of it). */
  atLogin?: (page: Page) => Promise<void>;
  /** How long the socket may take to connect after the login; 20 s by default. */
  timeout?: number;
}

/** The demo user whose email starts with `key@` (agent1@…, owner@…). */
export function demoLogin<L extends { email: string }>(logins: readonly L[], key: string): L {
  const login = logins.find((l) => l.email.startsWith(`${key}@`));
  if (!login) throw new Error(`no demo login ${key}@…`);
  return login;
}

/**
 * Through the login page at `baseUrl`, as the user would; done when the workspace's socket is
 * connected, so what the test does next is seen live.
 */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  login: { email: string; password: string },
  options: SignInOptions = {},
): Promise<OpenedPage> {
  const { atLogin, timeout = 20_000, ...pageOptions } = options;
  const opened = await openPage(browser, pageOptions);
  const { page } = opened;
  await page.goto(baseUrl);
  await atLogin?.(page);
  await page.getByTestId("login-email").fill(login.email);
  await page.getByTestId("login-password").fill(login.password);
  await page.getByTestId("login-submit").click();
  await page
    .locator('[data-testid="connection-state"][data-state="connected"]')
    .first()
    .waitFor({ state: "visible", timeout });
  return opened;
}
