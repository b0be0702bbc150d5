import { describe, expect, it } from "vitest";
import { ApiRequestError, clientErrorCodes } from "../api/client.ts";
import type { Translate } from "../i18n/locales.ts";
import { actionFailure } from "./action-errors.ts";

const t: Translate = (key) => key;

describe("what a refused action says", () => {
  it("a claim conflict says who holds the conversation (the server's message)", () => {
    const error = new ApiRequestError(409, "already_assigned", "该会话已由 小李 接待");
    expect(actionFailure(error, "claim", t)).toEqual({
      title: "actions.alreadyAssigned",
      detail: "该会话已由 小李 接待",
      conflict: true,
    });
  });

  it("a refused transfer shows the server's reason", () => {
    const error = new ApiRequestError(422, "not_serving_store", "小张 不负责 淘宝-旗舰店");
    expect(actionFailure(error, "transfer", t)).toEqual({
      title: "actions.transferFailed",
      detail: "小张 不负责 淘宝-旗舰店",
      conflict: false,
    });
  });

  it("a network failure is said in the reader's language", () => {
    const error = new ApiRequestError(0, clientErrorCodes.network, "fetch failed");
    expect(actionFailure(error, "snooze", t)).toMatchObject({
      title: "actions.snoozeFailed",
      detail: "errors.network",
    });
    expect(actionFailure(new Error("boom"), "merge", t).detail).toBe("errors.unknown");
  });
});
