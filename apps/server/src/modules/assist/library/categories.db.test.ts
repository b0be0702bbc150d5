import type { LibraryCategory } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../../test/harness.ts";
import { createOrg, createUser } from "../../identity/index.ts";
import { assertStoresInOrg } from "../../stores/index.ts";

const run = testDb === "pglite" || (await postgresAvailable());

describe.runIf(run)(`library categories (${testDb})`, () => {
  let t: TestServer;
  let supervisor: ApiClient;
  let agent: ApiClient;
  let stranger: ApiClient;

  const tree = async (kind: "replies" | "kb", client = supervisor) =>
    ((await client.get(`/api/library/categories?kind=${kind}`)).body.items as LibraryCategory[]).map((c) => c.path);
  const create = async (body: Record<string, unknown>) => {
    const res = await supervisor.post("/api/library/categories", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as LibraryCategory;
  };

  beforeAll(async () => {
    t = await startTestServer();
    const org = await createOrg(t.server.ctx, { name: "分类公司" });
    const other = await createOrg(t.server.ctx, { name: "别家" });
    const people = [
      { key: "supervisor", org: org.id, role: "supervisor" as const },
      { key: "agent", org: org.id, role: "agent" as const },
      { key: "stranger", org: other.id, role: "owner" as const },
    ];
    const clients: Record<string, ApiClient> = {};
    for (const p of people) {
      const login = { email: `${p.key}@categories.test`, password: `pw-${p.key}-123456` };
      await createUser(
        t.server.ctx,
        p.org,
        { ...login, name: p.key, role: p.role, storeIds: [] },
        null,
        assertStoresInOrg,
      );
      clients[p.key] = await new ApiClient(t.url).login(login.email, login.password);
    }
    supervisor = clients.supervisor!;
    agent = clients.agent!;
    stranger = clients.stranger!;
  });

  afterAll(async () => {
    await t?.close();
  });

  it("builds a tree per kind: product category × inquiry type", async () => {
    const shoes = await create({ kind: "replies", name: "鞋子" });
    const presale = await create({ kind: "replies", name: "售前", parentId: shoes.id });
    await create({ kind: "replies", name: "售后", parentId: shoes.id });
    expect(presale.path).toBe("鞋子/售前");
    await create({ kind: "kb", name: "物流" });
    expect(await tree("replies")).toEqual(["鞋子", "鞋子/售前", "鞋子/售后"]);
    expect(await tree("kb")).toEqual(["物流"]);
    expect(await tree("replies", agent)).toEqual(["鞋子", "鞋子/售前", "鞋子/售后"]);
    expect(await tree("replies", stranger)).toEqual([]);
  });

  it("refuses duplicates among siblings, slashes in names, cycles, and agents", async () => {
    const [shoes] = (await supervisor.get("/api/library/categories?kind=replies")).body.items as LibraryCategory[];
    const dup = await supervisor.post("/api/library/categories", {
      kind: "replies",
      name: "售前",
      parentId: shoes!.id,
    });
    expect(dup.status).toBe(409);
    expect((await supervisor.post("/api/library/categories", { kind: "replies", name: "a/b" })).status).toBe(400);
    expect((await agent.post("/api/library/categories", { kind: "replies", name: "客服建的" })).status).toBe(403);
    const child = ((await supervisor.get("/api/library/categories?kind=replies")).body.items as LibraryCategory[]).find(
      (c) => c.path === "鞋子/售前",
    )!;
    expect((await supervisor.patch(`/api/library/categories/${shoes!.id}`, { parentId: child.id })).status).toBe(400);
    expect((await stranger.patch(`/api/library/categories/${shoes!.id}`, { name: "x" })).status).toBe(404);
    // Another tree's category is not a parent here.
    const kb = ((await supervisor.get("/api/library/categories?kind=kb")).body.items as LibraryCategory[])[0]!;
    expect(
      (await supervisor.post("/api/library/categories", { kind: "replies", name: "x", parentId: kb.id })).status,
    ).toBe(404);
  });

  it("renames and moves; deleting moves the replies up to the parent", async () => {
    const items = (await supervisor.get("/api/library/categories?kind=replies")).body.items as LibraryCategory[];
    const shoes = items.find((c) => c.path === "鞋子")!;
    const after = items.find((c) => c.path === "鞋子/售后")!;
    const reply = await supervisor.post("/api/library/replies", {
      categoryId: after.id,
      keywords: ["开胶"],
      text: "开胶包退",
    });
    expect(reply.body.categoryPath).toBe("鞋子/售后");
    const renamed = await supervisor.patch(`/api/library/categories/${shoes.id}`, { name: "鞋靴" });
    expect(renamed.body.path).toBe("鞋靴");
    expect((await supervisor.get(`/api/library/replies/${reply.body.id}`)).body.categoryPath).toBe("鞋靴/售后");
    expect((await supervisor.delete(`/api/library/categories/${shoes.id}`)).status).toBe(409);
    expect((await supervisor.delete(`/api/library/categories/${after.id}`)).status).toBe(204);
    expect((await supervisor.get(`/api/library/replies/${reply.body.id}`)).body.categoryPath).toBe("鞋靴");
    expect(await tree("replies")).toEqual(["鞋靴", "鞋靴/售前"]);
  });
});
