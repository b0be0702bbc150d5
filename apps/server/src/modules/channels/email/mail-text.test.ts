import { describe, expect, it } from "vitest";
import { mailBody, messageIdsIn, newTextOf, replySubject } from "./mail-text.ts";

describe("mail text", () => {
  it("keeps only what the sender newly wrote", () => {
    expect(
      newTextOf("好的，谢谢\n\nOn Mon, 1 Jan 2024 at 10:00, 云席旗舰店 <s@shop.example> wrote:\n> 亲，已发货"),
    ).toBe("好的，谢谢");
    expect(newTextOf("收到\r\n\r\n在 2024年1月1日 10:00，客服 写道：\r\n> 您好")).toBe("收到");
    expect(newTextOf("thanks\n> quoted\n> more\n")).toBe("thanks");
    expect(newTextOf("> only a quote")).toBe("> only a quote");
  });

  it("puts the subject on the first line of a new thread and answers with Re:", () => {
    const body = mailBody("鞋子尺码问题", "42码偏大吗？", true);
    expect(body).toBe("主题：鞋子尺码问题\n\n42码偏大吗？");
    expect(replySubject(body, "fallback")).toBe("Re: 鞋子尺码问题");
    expect(replySubject("主题：Re: 已回复\n\nx", "fallback")).toBe("Re: 已回复");
    expect(replySubject("no subject line", "旗舰店 客服回复")).toBe("旗舰店 客服回复");
    expect(mailBody("Re: 鞋子尺码问题", "好的", false)).toBe("好的");
  });

  it("finds the Message-IDs of a References header", () => {
    expect(messageIdsIn("<a@x.example> <b@y.example>\r\n <c@z>")).toEqual(["<a@x.example>", "<b@y.example>", "<c@z>"]);
    expect(messageIdsIn(["<a@x>", "<b@y>"])).toEqual(["<a@x>", "<b@y>"]);
    expect(messageIdsIn(undefined)).toEqual([]);
  });
});
