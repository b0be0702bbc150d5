/**
 * A demo shop page for the widget: a plain HTML page with no framework and one
 * `<script>` tag, exactly as a merchant would embed it. The simulator can serve
 * it at `/sim/shop.html`.
 */
export function shopPageHtml(options: { yunxiUrl: string; storeKey: string; shopName?: string }): string {
  const shop = escapeHtml(options.shopName ?? "云席演示官网");
  const src = escapeHtml(`${options.yunxiUrl.replace(/\/$/, "")}/widget.js`);
  const products = [
    ["纯棉短袖T恤", "¥79"],
    ["轻跑运动鞋", "¥299"],
    ["保湿修护面霜", "¥168"],
    ["空气炸锅 4L", "¥359"],
  ]
    .map(([name, price]) => `<li><div class="pic"></div><b>${name}</b><span>${price}</span></li>`)
    .join("");
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${shop}</title>
<style>
  body { margin: 0; font-family: -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; background: #fafafa; color: #222; }
  header { background: #222; color: #fff; padding: 18px 32px; font-size: 20px; }
  main { padding: 24px 32px; }
  ul { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 16px; }
  li { background: #fff; border-radius: 8px; padding: 12px; display: flex; flex-direction: column; gap: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  .pic { height: 120px; border-radius: 6px; background: linear-gradient(135deg, #e6f4ff, #f9f0ff); }
  li span { color: #f5222d; }
</style>
</head>
<body>
<header>${shop}</header>
<main>
  <p>欢迎光临！有任何问题，点击右下角「在线客服」咨询。</p>
  <ul>${products}</ul>
</main>
<script src="${src}" data-store="${escapeHtml(options.storeKey)}" async></script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
