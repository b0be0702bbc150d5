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
  section { border: 1px solid #ddd; border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; max-width: 1040px; }
  h1 { font-size: 20px; } h2 { font-size: 16px; margin: 0 0 8px; }
  input, select, button { font: inherit; margin: 2px 4px 2px 0; }
  input[type=number] { width: 80px; }
  table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #eee; padding: 2px 6px; text-align: left; }
  .muted { color: #888; } .figures span { display: inline-block; min-width: 150px; margin-right: 12px; }
  .figures b { font-size: 18px; }
</style>
</head>
<body>
<h1>云席 · 电商平台模拟器</h1>
<section>
  <h2>概况</h2>
  <div class="figures muted" id="figures">加载中…</div>
  <details><summary class="muted">完整状态 (JSON)</summary><pre id="state"></pre></details>
</section>
<section>
  <h2>买家流量</h2>
  基础速率（每分钟新访客）<input id="rate" type="number" min="0" value="0">
  <button onclick="setRate()">设置</button> <button onclick="post('stop-traffic')">停止流量</button>
  <br>场景 <select id="profile">
    <option value="steady">平日</option><option value="livestream">抖音直播（抖音流量激增）</option>
    <option value="double11">双十一（高峰 ×5，持续数小时）</option>
  </select> <button onclick="setProfile()">切换场景</button>
  <span id="phase" class="muted"></span>
</section>
<section>
  <h2>流量构成</h2>
  <div>平台权重 <span id="platformInputs"></span></div>
  <div>咨询类型 
    售前 <input id="k-presale" type="number" min="0" step="0.05">
    物流 <input id="k-logistics" type="number" min="0" step="0.05">
    售后 <input id="k-aftersale" type="number" min="0" step="0.05">
    投诉 <input id="k-complaint" type="number" min="0" step="0.05">
  </div>
  <button onclick="setMix()">应用</button> <button onclick="call('mix', 'DELETE')">恢复场景默认</button>
</section>
<section>
  <h2>买家体验记录</h2>
  从 <input id="from" type="datetime-local" step="1"> 到 <input id="to" type="datetime-local" step="1">
  <button onclick="loadSummary()">统计</button>
  <a id="csv" href="/sim/api/record?format=csv">导出 CSV</a> · <a id="json" href="/sim/api/record" target="_blank">导出 JSON</a>
  <div class="figures" id="summary"></div>
</section>
<section>
  <h2>模拟买家发言</h2>
  店铺 <select id="store"></select> 买家昵称 <input id="nick" placeholder="留空则新建买家">
  <input id="text" placeholder="例如：这件有M码吗？" style="width:280px"> <button onclick="say()">发送</button>
</section>
<section>
  <h2>故障注入（平台网关）</h2>
  接下来失败次数 <input id="fail" type="number" min="0" value="0">
  延迟(毫秒) <input id="latency" type="number" min="0" value="0">
  <label><input id="down" type="checkbox"> 平台宕机(503)</label>
  <button onclick="setFaults()">应用</button> <button onclick="call('faults', 'DELETE')">清除</button>
</section>
<section><h2>最近推送</h2><table id="pushes"></table></section>
<section><h2>买家收到的回复</h2><table id="replies"></table></section>
<script>
const platformNames = { taobao: "淘宝", jd: "京东", pdd: "拼多多", douyin: "抖音", kuaishou: "快手", webchat: "官网", email: "邮件", api: "API" };
const kindNames = { message: "消息", order: "订单", read: "已读", evaluation: "评价" };
const api = (path, method = "GET", body) => fetch("/sim/api/" + path, {
  method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined,
}).then((r) => r.json());
const call = (path, method) => api(path, method).then(refresh);
const post = (path) => call(path, "POST");
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const seconds = (ms) => ms === null || ms === undefined ? "—" : (ms / 1000).toFixed(1) + " 秒";
const percent = (x) => x === null || x === undefined ? "—" : (x * 100).toFixed(1) + "%";
const fig = (label, value) => "<span>" + label + "<br><b>" + esc(value) + "</b></span>";
function setRate() { api("rate", "PUT", { ratePerMinute: Number($("rate").value) }).then(refresh); }
function setProfile() { api("profile", "PUT", { profile: $("profile").value }).then(refresh); }
function setMix() {
  const platforms = {};
  for (const input of document.querySelectorAll("[data-platform]")) if (input.value !== "") platforms[input.dataset.platform] = Number(input.value);
  const kinds = {};
  for (const k of ["presale", "logistics", "aftersale", "complaint"]) if ($("k-" + k).value !== "") kinds[k] = Number($("k-" + k).value);
  api("mix", "PUT", { platforms, ...(Object.keys(kinds).length ? { kinds } : {}) }).then(refresh);
}
function say() {
  const nick = $("nick").value.trim();
  api("say", "POST", { storeKey: $("store").value, text: $("text").value, ...(nick ? { buyerNick: nick } : {}) }).then(refresh);
}
function setFaults() {
  api("faults", "POST", { failNextSends: Number($("fail").value), latencyMs: Number($("latency").value), down: $("down").checked }).then(refresh);
}
function range() {
  const q = new URLSearchParams();
  if ($("from").value) q.set("from", new Date($("from").value).toISOString());
  if ($("to").value) q.set("to", new Date($("to").value).toISOString());
  return q;
}
async function loadSummary() {
  const q = range();
  $("json").href = "/sim/api/record?" + q;
  q.set("format", "csv");
  $("csv").href = "/sim/api/record?" + q;
  const s = await api("record/summary?" + range());
  $("summary").innerHTML = fig("访客", s.sessions) + fig("首次响应中位数", seconds(s.medianFirstReplyMs)) +
    fig("首次响应 P90", seconds(s.p90FirstReplyMs)) + fig("未获回复（漏接）", s.missed + "（" + percent(s.missedRate) + "）") +
    fig("仍在等待", s.waiting) + fig("催促过", s.followedUp) + fig("离开", s.left) + fig("投诉", s.complained) +
    fig("售前转化", s.ordered + " / " + s.presale + "（" + percent(s.conversion) + "）");
}
let filled = false;
async function refresh() {
  const state = await api("state");
  $("state").textContent = JSON.stringify(state, null, 2);
  const c = state.counts;
  $("figures").innerHTML = fig("当前速率/分钟", state.effectiveRatePerMinute.toFixed(1)) + fig("时间倍速", state.timeScale + "×") +
    fig("买家", c.buyers) + fig("订单", c.orders) + fig("推送（已确认/总数）", c.acked + " / " + c.pushes) +
    fig("待确认推送", c.pending) + fig("进行中的咨询", c.openSessions) + fig("买家收到回复", c.replies);
  const p = state.profile;
  $("phase").textContent = "当前：" + p.label + " · " + p.phase + "（×" + p.rateMultiplier + "）" + (p.phaseEndsAt ? "，本阶段至 " + new Date(p.phaseEndsAt).toLocaleTimeString() : "");
  if (!filled) {
    filled = true;
    $("rate").value = state.ratePerMinute;
    $("profile").value = p.name;
    for (const s of state.stores) $("store").add(new Option((platformNames[s.platform] ?? s.platform) + "-" + s.name + "（" + s.storeKey + "）", s.storeKey));
    $("platformInputs").innerHTML = Object.keys(p.platformWeights).map((id) =>
      (platformNames[id] ?? id) + ' <input type="number" min="0" step="0.5" data-platform="' + id + '" value="' + p.platformWeights[id] + '">').join(" ");
    for (const [k, v] of Object.entries(p.kindWeights)) $("k-" + k).value = v;
    loadSummary();
  }
  const { pushes } = await api("pushes?kind=all");
  $("pushes").innerHTML = "<tr><th>类型</th><th>店铺</th><th>买家</th><th>内容</th><th>尝试</th><th>确认</th></tr>" +
    pushes.slice(-15).reverse().map((p) => "<tr><td>" + (kindNames[p.kind] ?? p.kind) + "</td><td>" + esc(p.storeKey) + "</td><td>" + esc(p.buyerNick) + "</td><td>" +
      esc(p.text) + "</td><td>" + p.attempts + "</td><td>" + (p.ackedAt ? "已确认" : "待确认 " + esc(p.lastError)) + "</td></tr>").join("");
  const { replies } = await api("replies");
  $("replies").innerHTML = "<tr><th>店铺</th><th>买家</th><th>回复</th><th>时间</th></tr>" +
    replies.slice(-15).reverse().map((r) => "<tr><td>" + esc(r.storeKey) + "</td><td>" + esc(r.buyerNick) + "</td><td>" +
      esc(r.text) + "</td><td>" + esc(r.receivedAt) + "</td></tr>").join("");
}
refresh();
setInterval(refresh, 2000);
setInterval(loadSummary, 10000);
</script>
</body>
</html>
`;
