/**
 * The control page at `/sim/`: one plain HTML file over the JSON control API,
 * for a person poking at the demo. Tests use the API directly.
 */
export const controlPageHtml = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>云席 · 电商平台模拟器</title>
<style>
  body { font: 14px/1.6 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #222; }
  section { border: 1px solid #ddd; border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; max-width: 960px; }
  h1 { font-size: 20px; } h2 { font-size: 16px; margin: 0 0 8px; }
  input, select, button { font: inherit; margin: 2px 4px 2px 0; }
  table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #eee; padding: 2px 6px; text-align: left; }
  .muted { color: #888; }
</style>
</head>
<body>
<h1>云席 · 电商平台模拟器</h1>
<section><h2>状态</h2><pre id="state" class="muted">加载中…</pre></section>
<section>
  <h2>买家流量</h2>
  每分钟消息数 <input id="rate" type="number" min="0" value="0" style="width:90px">
  <button onclick="setRate()">设置</button> <button onclick="post('stop-traffic')">停止流量</button>
</section>
<section>
  <h2>模拟买家发言</h2>
  店铺 <select id="store"></select> 买家昵称 <input id="nick" placeholder="留空则新建买家">
  <input id="text" placeholder="例如：这件有M码吗？" style="width:280px"> <button onclick="say()">发送</button>
</section>
<section>
  <h2>故障注入（平台网关）</h2>
  接下来失败次数 <input id="fail" type="number" min="0" value="0" style="width:70px">
  延迟(毫秒) <input id="latency" type="number" min="0" value="0" style="width:90px">
  <label><input id="down" type="checkbox"> 平台宕机(503)</label>
  <button onclick="setFaults()">应用</button> <button onclick="call('faults', 'DELETE')">清除</button>
</section>
<section><h2>最近推送</h2><table id="pushes"></table></section>
<section><h2>买家收到的回复</h2><table id="replies"></table></section>
<script>
const api = (path, method = "GET", body) => fetch("/sim/api/" + path, {
  method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined,
}).then((r) => r.json());
const call = (path, method) => api(path, method).then(refresh);
const post = (path) => call(path, "POST");
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
function setRate() { api("rate", "PUT", { ratePerMinute: Number(document.getElementById("rate").value) }).then(refresh); }
function say() {
  const nick = document.getElementById("nick").value.trim();
  api("say", "POST", { storeKey: document.getElementById("store").value, text: document.getElementById("text").value,
    ...(nick ? { buyerNick: nick } : {}) }).then(refresh);
}
function setFaults() {
  api("faults", "POST", { failNextSends: Number(document.getElementById("fail").value),
    latencyMs: Number(document.getElementById("latency").value), down: document.getElementById("down").checked }).then(refresh);
}
async function refresh() {
  const state = await api("state");
  document.getElementById("state").textContent = JSON.stringify(state, null, 2);
  const select = document.getElementById("store");
  if (!select.options.length) for (const s of state.stores) select.add(new Option(s.name + "（" + s.storeKey + "）", s.storeKey));
  const { pushes } = await api("pushes");
  document.getElementById("pushes").innerHTML = "<tr><th>店铺</th><th>买家</th><th>内容</th><th>尝试</th><th>确认</th></tr>" +
    pushes.slice(-15).reverse().map((p) => "<tr><td>" + esc(p.storeKey) + "</td><td>" + esc(p.buyerNick) + "</td><td>" +
      esc(p.text) + "</td><td>" + p.attempts + "</td><td>" + (p.ackedAt ? "已确认" : "待确认 " + esc(p.lastError)) + "</td></tr>").join("");
  const { replies } = await api("replies");
  document.getElementById("replies").innerHTML = "<tr><th>店铺</th><th>买家</th><th>回复</th><th>时间</th></tr>" +
    replies.slice(-15).reverse().map((r) => "<tr><td>" + esc(r.storeKey) + "</td><td>" + esc(r.buyerNick) + "</td><td>" +
      esc(r.text) + "</td><td>" + esc(r.receivedAt) + "</td></tr>").join("");
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
`;
