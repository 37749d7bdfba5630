// 心声 · 坐席助手 — the agent console.
// Plain ES2020, no modules, no dependencies. Served under a strict CSP, so:
// no inline handlers, no innerHTML with server strings (everything goes
// through textContent / createElement).
"use strict";
(function () {
  // ---- Labels (ids are the taxonomy contract; Chinese names for display) ----
  const NEED_ZH = {
    tax_planning: "税务筹划", financial_hardship: "资金困难", home_purchase: "购房", home_renovation: "装修",
    car_purchase: "购车", education: "教育", retirement: "养老", wealth_growth: "理财增值",
    health_protection: "健康保障", travel_overseas: "出行境外", business_funding: "经营资金", family_milestone: "人生大事",
  };
  const INTENT_ZH = {
    account_inquiry: "账户查询", card_limit: "额度", repayment: "还款", loan_inquiry: "贷款咨询",
    wealth_inquiry: "理财咨询", insurance_inquiry: "保险咨询", transfer_payment: "转账支付", fee_dispute: "费用争议",
    fraud_security: "风险安全", account_closure: "销户流失", app_issue: "APP问题", complaint: "服务投诉",
    card_application: "办卡开户", other: "其他",
  };
  const SENTIMENT_ZH = { positive: "正面", neutral: "中性", negative: "负面" };
  const EMOTION_ZH = { anger: "愤怒", anxiety: "焦虑" };
  const KIND_ZH = { credit: "信贷", deposit: "存款", insurance: "保险", wealth: "理财", relief: "纾困", service: "服务" };
  const CATEGORY_ZH = {
    hardship: "财务困难保护", no_consent: "未获营销同意", quiet_hours: "免打扰时段", frequency_cap: "频次上限",
    cap_reached: "频次上限", cool_down: "冷静期", not_eligible: "不符合条件", excluded: "互斥", limit: "数量上限",
  };
  const STATUS_ZH = { active: "生效", tentative: "待确认", withdrawn: "已撤回" };
  const TREND_ZH = { improving: "好转", steady: "平稳", worsening: "恶化" };
  const SEGMENT_ZH = { mass: "大众客户", affluent: "富裕客户", private: "私行客户", small_business: "小微商户" };
  const CHANNEL_ZH = { agent: "坐席", app_push: "APP推送", sms: "短信", phone: "电话" };
  const OUTCOMES = [["accepted", "客户接受"], ["rejected", "客户拒绝"], ["not_relevant", "不相关"]];
  const HARDSHIP = "financial_hardship";
  const SUPPRESSED_SHOWN = 12;
  const DEMO = [["customer", "你好，我想问下装修贷款怎么办理"], ["agent", "您好，请问是新房装修吗？"],
    ["customer", "对，下个月拿钥匙，想分期装修"], ["agent", "好的，我帮您看看装修分期方案"],
    ["customer", "不过说实话最近公司在裁员，名单里有我，下个月的信用卡都不知道怎么还了"]];

  const $ = (id) => document.getElementById(id);
  const ui = {};

  // ---- State ----
  const st = {
    key: "", customer: "", conversation: "",
    ws: null,           // the current WebSocket
    generation: 0,      // bumps on every deliberate (re)connect; stale sockets' events are ignored
    active: false,      // a connection is wanted (connected, connecting or waiting to retry)
    connected: false,
    everOpened: false,  // has the current generation's socket ever opened
    retries: 0, retryTimer: null,
    turns: [],          // the transcript shown: GET's turns, then each answer's turn
    pending: [],        // turns awaiting a reply, in send order: {payload, resolve, reject}
    view: null,         // last ConversationView
    viewVersion: 0,     // bumps whenever a view from the WebSocket is applied (guards stale GETs)
    showAllSuppressed: false,
    demoStarted: false,
  };

  // ---- Small DOM helpers ----
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function empty(node, text) { clear(node); node.appendChild(el("p", "empty", text)); }
  const pct = (x) => Math.round(Math.max(0, Math.min(1, Number(x) || 0)) * 100);
  const fixed2 = (x) => (Number(x) || 0).toFixed(2);
  const needName = (id, fallback) => fallback || NEED_ZH[id] || id;

  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    // Not a secure context (plain http on a LAN host): build a v4 UUID by hand.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const freshConversationId = () => "conv-" + new Date().toISOString().replace(/[-:TZ.]/g, "").slice(0, 14) + "-" + Math.random().toString(36).slice(2, 6);

  // ---- Errors and toast ----
  function showError(err) {
    const e = (err && err.error) || err || {};
    ui.errorText.textContent = e.message_zh || e.message || "发生未知错误";
    ui.error.title = [e.code, e.message].filter(Boolean).join(" — ");
    ui.error.dataset.code = e.code || "";
    ui.error.hidden = false;
  }
  function clearError() { ui.error.hidden = true; ui.errorText.textContent = ""; ui.error.dataset.code = ""; }
  let toastTimer = null;
  function toast(text) {
    ui.toast.textContent = text;
    ui.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { ui.toast.hidden = true; }, 1800);
  }

  // ---- HTTP ----
  async function api(path, options = {}) {
    const headers = Object.assign({ Authorization: "Bearer " + st.key }, options.headers || {});
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    let res;
    try {
      res = await fetch(path, { method: options.method || "GET", headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    } catch (e) {
      throw { code: "console.network", message: String(e), message_zh: "网络错误，无法连接服务", status: 0 };
    }
    let data = null;
    try { data = await res.json(); } catch (_) { /* empty or non-JSON body */ }
    if (!res.ok) {
      const e = (data && data.error) || { code: "http." + res.status, message: "HTTP " + res.status, message_zh: "请求失败（HTTP " + res.status + "）" };
      e.status = res.status;
      throw e;
    }
    return data;
  }
  const convPath = (id) => "/v1/conversations/" + encodeURIComponent(id);
  const profilePath = (id) => "/v1/profiles/" + encodeURIComponent(id);

  // ---- Connection ----
  function setStatus(state) {
    const text = { connected: "已连接", disconnected: "未连接", reconnecting: "重连中", connecting: "连接中" }[state];
    ui.status.textContent = text;
    ui.status.dataset.state = state;
  }

  // Start over with the values in the setup bar: new socket, empty screen.
  function connect() {
    st.key = ui.key.value.trim();
    st.customer = ui.customer.value.trim();
    st.conversation = ui.conversation.value.trim() || freshConversationId();
    ui.conversation.value = st.conversation;
    if (st.key) sessionStorage.setItem("xinsheng.key", st.key);
    rememberInUrl();
    disconnect({ code: "console.reconnected", message: "connection replaced", message_zh: "已切换会话，未完成的发送已取消" });
    clearError();
    renderView(null);
    loadCustomer();
    if (!st.key) { showError({ code: "console.no_key", message_zh: "请先填写 API 密钥" }); return; }
    st.active = true;
    st.generation += 1;
    st.everOpened = false;
    st.retries = 0;
    open(st.generation);
  }

  function disconnect(reason) {
    clearTimeout(st.retryTimer);
    st.generation += 1; // any event from the old socket is now stale
    st.active = false;
    if (st.ws) { try { st.ws.close(1000); } catch (_) { /* already closed */ } }
    st.ws = null;
    setConnected(false);
    setStatus("disconnected");
    for (const p of st.pending.splice(0)) p.reject(reason);
  }

  function setConnected(on) { st.connected = on; if (!on) document.body.dataset.ready = "0"; }

  function open(gen) {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const url = `${proto}//${location.host}${convPath(st.conversation)}/live?access_token=${encodeURIComponent(st.key)}`;
    setStatus(st.retries ? "reconnecting" : "connecting");
    let ws;
    try { ws = new WebSocket(url); } catch (e) { scheduleReconnect(gen); return; }
    st.ws = ws;
    ws.onopen = async () => {
      if (gen !== st.generation) return;
      st.everOpened = true;
      st.retries = 0;
      setConnected(true);
      setStatus("connected");
      // Turns sent on a socket that died got no reply: send them again with
      // the same turn_id; the service answers a turn it already took with
      // "duplicate": true and changes nothing.
      for (const p of st.pending) ws.send(JSON.stringify(p.payload));
      await resync();
      if (gen !== st.generation || !st.connected) return;
      document.body.dataset.ready = "1";
      maybeRunDemo();
    };
    ws.onmessage = (event) => { if (gen === st.generation) onReply(event.data); };
    ws.onclose = () => {
      if (gen !== st.generation) return;
      setConnected(false);
      st.ws = null;
      scheduleReconnect(gen);
    };
    ws.onerror = () => { /* onclose follows and handles it */ };
  }

  async function scheduleReconnect(gen) {
    if (!st.everOpened) {
      // Never got in: ask over HTTP why (a wrong key should not retry forever).
      try { await api(convPath(st.conversation)); } catch (e) {
        if (gen !== st.generation) return;
        if (e.status === 401 || e.status === 403) { showError(e); disconnect(e); return; }
      }
    }
    if (gen !== st.generation) return;
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 15 s.
    const delay = Math.min(15000, 500 * 2 ** st.retries) * (0.8 + Math.random() * 0.4);
    st.retries += 1;
    setStatus("reconnecting");
    st.retryTimer = setTimeout(() => { if (gen === st.generation) open(gen); }, delay);
  }

  // GET the conversation and render it, unless a newer view arrived meanwhile.
  async function resync() {
    const version = st.viewVersion, gen = st.generation;
    try {
      const view = await api(convPath(st.conversation));
      if (gen !== st.generation || version !== st.viewVersion) return;
      if (!ui.customer.value.trim() && view.customer_id) { ui.customer.value = st.customer = view.customer_id; rememberInUrl(); loadCustomer(); }
      renderView(view);
    } catch (e) {
      if (e.status !== 404 && gen === st.generation) showError(e); // 404: a new conversation, nothing to show yet
    }
  }

  function onReply(raw) {
    let data;
    try { data = JSON.parse(raw); } catch (_) { showError({ code: "console.bad_reply", message_zh: "服务返回了无法解析的消息" }); return; }
    const waiter = st.pending.shift(); // replies come in the order the turns were sent
    if (data && data.error) {
      showError(data.error);
      if (waiter) waiter.reject(data.error);
      return;
    }
    clearError();
    // A turn's answer carries that turn, not the transcript: add it to the turns shown.
    if (data && data.turn && !data.duplicate) keepTurn(data.turn);
    if (data && data.conversation) {
      st.viewVersion += 1;
      renderView(data.conversation);
    }
    if (data && data.duplicate) toast("该轮已发送过，未重复记录");
    for (const change of (data && data.tag_changes) || []) {
      if (change.kind === "added") toast("识别到新需求：" + needName(change.need));
    }
    if (waiter) waiter.resolve(data);
  }

  // Send one turn; resolves with the TurnResult, rejects with the error object.
  function send(speaker, text, turnId) {
    return new Promise((resolve, reject) => {
      if (!st.active) {
        const e = { code: "console.not_connected", message: "not connected", message_zh: "未连接，请先点击「开始/连接」" };
        showError(e); reject(e); return;
      }
      const payload = { speaker, text, customer_id: st.customer, turn_id: turnId || uuid() };
      st.pending.push({ payload, resolve, reject });
      // While connecting or reconnecting the turn waits in `pending` and goes out on open.
      if (st.connected && st.ws && st.ws.readyState === WebSocket.OPEN) st.ws.send(JSON.stringify(payload));
    });
  }

  // ---- Rendering ----
  // The transcript: from GET (which has it whole), then one turn per answer.
  function keepTurn(turn) {
    if (st.turns.some((t) => t.turn === turn.turn)) return;
    st.turns.push(turn);
    st.turns.sort((a, b) => a.turn - b.turn);
  }

  function renderView(view) {
    st.view = view;
    if (!view) st.turns = [];
    else if (Array.isArray(view.turns)) st.turns = view.turns.slice();
    renderTurns(st.turns);
    renderNeeds(view ? view.needs : []);
    renderOffers(view ? view.offers : null);
    renderTrend(view);
  }

  function renderTurns(turns) {
    const box = ui.turns;
    if (!turns || !turns.length) {
      empty(box, "暂无对话。在下方输入客户或坐席的话，按 Enter 发送。");
    } else {
      clear(box);
      for (const t of turns) box.appendChild(turnBubble(t));
      box.scrollTop = box.scrollHeight;
    }
    document.body.dataset.turns = String((turns || []).length);
  }

  function turnBubble(t) {
    const isCustomer = t.speaker === "customer";
    const item = el("div", "turn " + (isCustomer ? "turn-customer" : "turn-agent"));
    item.dataset.turn = t.turn;
    item.dataset.speaker = t.speaker;
    const meta = el("div", "turn-meta");
    meta.appendChild(el("span", "turn-no", "第" + t.turn + "轮"));
    meta.appendChild(el("span", "turn-who", isCustomer ? "客户" : "坐席"));
    if (t.at) {
      const d = new Date(t.at);
      if (!isNaN(d)) meta.appendChild(el("span", "turn-time", d.toLocaleTimeString("zh-CN", { hour12: false })));
    }
    item.appendChild(meta);
    const bubble = el("div", "bubble");
    bubble.appendChild(highlighted(t.masked_text || "", t.highlights || []));
    item.appendChild(bubble);
    if (isCustomer) {
      const chips = el("div", "chips");
      if (t.sentiment) {
        const c = el("span", "chip sent sent-" + t.sentiment.label, SENTIMENT_ZH[t.sentiment.label] || t.sentiment.label);
        c.title = `sentiment ${t.sentiment.label} ${fixed2(t.sentiment.confidence)}`;
        chips.appendChild(c);
      }
      for (const e of t.emotions || []) {
        const c = el("span", "chip emo", EMOTION_ZH[e.label] || e.label);
        c.title = `emotion ${e.label} ${fixed2(e.confidence)}`;
        chips.appendChild(c);
      }
      if (t.intent) {
        const c = el("span", "chip intent", "意图：" + (INTENT_ZH[t.intent.label] || t.intent.label));
        c.title = `intent ${t.intent.label} ${fixed2(t.intent.confidence)}`;
        chips.appendChild(c);
      }
      for (const n of t.needs || []) {
        const c = el("span", "chip need" + (n.label === HARDSHIP ? " need-hardship" : ""), "需求：" + needName(n.label));
        c.title = `need ${n.label} ${fixed2(n.confidence)}`;
        c.dataset.need = n.label;
        chips.appendChild(c);
      }
      if (chips.firstChild) item.appendChild(chips);
    }
    return item;
  }

  // Wrap evidence in <mark>. Spans may overlap or repeat, so every UTF-16
  // index gets the strongest kind covering it (need > emotion > sentiment >
  // intent); a run of one kind and label becomes one <mark> whose tooltip
  // lists every label found under it.
  const KIND_RANK = { need: 4, emotion: 3, sentiment: 2, intent: 1 };
  function highlighted(text, spans) {
    const frag = document.createDocumentFragment();
    const n = text.length;
    const kind = new Array(n).fill(null);
    const tips = new Array(n).fill(null);
    for (const s of spans) {
      const a = Math.max(0, s.start | 0), b = Math.min(n, s.end | 0);
      if (!(b > a) || !KIND_RANK[s.kind]) continue;
      const tip = s.kind === "need" ? `需求 ${s.label} ${needName(s.label)}`
        : s.kind === "sentiment" ? `情感 ${SENTIMENT_ZH[s.label] || s.label}`
        : s.kind === "emotion" ? `情绪 ${EMOTION_ZH[s.label] || s.label}`
        : `意图 ${INTENT_ZH[s.label] || s.label}`;
      for (let i = a; i < b; i++) {
        if (!kind[i] || KIND_RANK[s.kind] > KIND_RANK[kind[i].k]) kind[i] = { k: s.kind, label: s.label };
        if (!tips[i]) tips[i] = [];
        if (!tips[i].includes(tip)) tips[i].push(tip);
      }
    }
    const keyAt = (i) => kind[i] ? kind[i].k + "|" + kind[i].label : "";
    let i = 0;
    while (i < n) {
      const key = keyAt(i);
      let j = i + 1;
      while (j < n && keyAt(j) === key) j++;
      const piece = text.slice(i, j);
      if (!kind[i]) frag.appendChild(document.createTextNode(piece));
      else {
        const k = kind[i];
        const m = el("mark", "ev ev-" + k.k + (k.k === "sentiment" ? " ev-" + k.label : "") + (k.label === HARDSHIP ? " ev-hardship" : ""), piece);
        const all = new Set();
        for (let x = i; x < j; x++) tips[x].forEach((t) => all.add(t));
        m.title = [...all].join("；");
        m.dataset.kind = k.k;
        m.dataset.label = k.label;
        frag.appendChild(m);
      }
      i = j;
    }
    return frag;
  }

  function renderNeeds(needs) {
    const box = ui.needs;
    if (!needs || !needs.length) empty(box, "暂无需求");
    else {
      clear(box);
      for (const n of needs) box.appendChild(needRow(n));
    }
    const hardship = (needs || []).some((n) => n.need === HARDSHIP && n.status !== "withdrawn") ||
      !!(st.view && st.view.offers && st.view.offers.hardship_active);
    ui.banner.hidden = !hardship;
  }

  function needRow(n) {
    const row = el("div", "need-row status-" + n.status + (n.need === HARDSHIP ? " need-hardship" : ""));
    row.dataset.need = n.need;
    row.dataset.status = n.status;
    const head = el("div", "need-head");
    if (n.need === HARDSHIP) head.appendChild(el("span", "need-icon", "⚠"));
    head.appendChild(el("span", "need-name", needName(n.need, n.name_zh)));
    head.appendChild(el("span", "need-id", n.need));
    const badge = el("span", "badge status-badge status-" + n.status, STATUS_ZH[n.status] || n.status);
    badge.title = n.status + (n.withdrawn_at ? `（第${n.withdrawn_at}轮撤回）` : "");
    head.appendChild(badge);
    row.appendChild(head);
    const bar = el("div", "conf");
    const track = el("div", "bar");
    const fill = el("div", "bar-fill");
    fill.style.width = pct(n.confidence) + "%";
    track.appendChild(fill);
    bar.appendChild(track);
    bar.appendChild(el("span", "conf-num", fixed2(n.confidence)));
    bar.title = `置信度 ${fixed2(n.confidence)} · 第${n.first_turn}–${n.last_turn}轮`;
    row.appendChild(bar);
    const seen = new Set(), chips = el("div", "chips");
    for (const e of n.evidence || []) {
      const label = `第${e.turn}轮：${e.text}`;
      if (seen.has(label)) continue;
      seen.add(label);
      chips.appendChild(el("span", "chip evidence", label));
    }
    if (chips.firstChild) row.appendChild(chips);
    return row;
  }

  function kindBadge(kind) {
    const b = el("span", "badge kind kind-" + kind, KIND_ZH[kind] || kind);
    b.title = kind;
    return b;
  }

  function offerHead(o, rankText) {
    const head = el("div", "offer-head");
    if (rankText) head.appendChild(el("span", "rank", rankText));
    const names = el("div", "names");
    names.appendChild(el("span", "name-zh", o.name_zh || o.id));
    if (o.name_en) names.appendChild(el("span", "name-en", o.name_en));
    head.appendChild(names);
    head.appendChild(kindBadge(o.kind));
    return head;
  }

  function renderOffers(decision) {
    renderSuggested(decision ? decision.offers || [] : []);
    renderSuppressed(decision ? decision.suppressed || [] : []);
  }

  function renderSuggested(offers) {
    const box = ui.offers;
    if (!offers.length) { empty(box, "暂无推荐"); return; }
    clear(box);
    for (const o of offers) {
      const card = el("div", "offer card");
      card.dataset.offer = o.id;
      card.dataset.kind = o.kind;
      card.appendChild(offerHead(o, "#" + (o.rank || "")));
      const list = el("ul", "reasons");
      for (const r of o.reasons || []) {
        const li = el("li", "reason", r.message_zh || r.message);
        li.title = `${r.rule} — ${r.message || ""}`; // rule id and English text on hover
        li.dataset.rule = r.rule;
        list.appendChild(li);
      }
      card.appendChild(list);
      const actions = el("div", "feedback");
      for (const [outcome, label] of OUTCOMES) {
        const b = el("button", "fb fb-" + outcome, label);
        b.type = "button";
        b.dataset.outcome = outcome;
        b.title = outcome;
        b.addEventListener("click", () => feedback(o.id, outcome, card));
        actions.appendChild(b);
      }
      card.appendChild(actions);
      box.appendChild(card);
    }
  }

  function renderSuppressed(list) {
    const box = ui.suppressed;
    const toggle = ui.showAll;
    if (!list.length) { empty(box, "暂无被抑制的产品"); toggle.hidden = true; return; }
    clear(box);
    const shown = st.showAllSuppressed ? list : list.slice(0, SUPPRESSED_SHOWN);
    for (const o of shown) {
      const cats = [...new Set((o.reasons || []).map((r) => r.category).filter(Boolean))];
      const card = el("div", "offer suppressed card");
      card.dataset.offer = o.id;
      card.dataset.kind = o.kind;
      card.dataset.categories = cats.join(" ");
      card.appendChild(offerHead(o, ""));
      const reasons = el("ul", "reasons");
      for (const r of o.reasons || []) {
        const li = el("li", "reason");
        const cat = el("span", "badge cat cat-" + r.category, CATEGORY_ZH[r.category] || r.category);
        cat.title = r.category + " · " + r.rule;
        li.appendChild(cat);
        li.appendChild(el("span", "reason-text", r.message_zh || r.message));
        li.title = `${r.rule} — ${r.message || ""}`;
        li.dataset.rule = r.rule;
        reasons.appendChild(li);
      }
      card.appendChild(reasons);
      box.appendChild(card);
    }
    toggle.hidden = list.length <= SUPPRESSED_SHOWN;
    toggle.textContent = st.showAllSuppressed ? "收起" : `展开全部 (${list.length})`;
  }

  function renderTrend(view) {
    const box = ui.trend;
    clear(box);
    const trend = view && view.trend;
    if (!trend) { box.hidden = true; return; }
    box.hidden = false;
    box.className = "trend trend-" + trend.direction;
    box.dataset.direction = trend.direction;
    box.appendChild(el("span", "trend-text", "情绪趋势：" + (TREND_ZH[trend.direction] || trend.direction)));
    box.title = `sentiment score ${fixed2(trend.start)} → ${fixed2(trend.end)}`;
    const moods = view.moods || [];
    if (moods.length) box.appendChild(sparkline(moods.map((m) => Number(m.score) || 0)));
  }

  // A tiny SVG line of the mood scores (−1 … 1), newest on the right.
  function sparkline(scores) {
    const NS = "http://www.w3.org/2000/svg";
    const w = 90, h = 22, pad = 3;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "spark");
    svg.setAttribute("width", w);
    svg.setAttribute("height", h);
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    const x = (i) => scores.length === 1 ? w / 2 : pad + (i * (w - 2 * pad)) / (scores.length - 1);
    const y = (s) => pad + ((1 - Math.max(-1, Math.min(1, s))) / 2) * (h - 2 * pad);
    const mid = document.createElementNS(NS, "line");
    mid.setAttribute("x1", 0); mid.setAttribute("x2", w); mid.setAttribute("y1", h / 2); mid.setAttribute("y2", h / 2);
    mid.setAttribute("class", "spark-zero");
    svg.appendChild(mid);
    const line = document.createElementNS(NS, "polyline");
    line.setAttribute("points", scores.map((s, i) => `${x(i).toFixed(1)},${y(s).toFixed(1)}`).join(" "));
    line.setAttribute("class", "spark-line");
    svg.appendChild(line);
    scores.forEach((s, i) => {
      const dot = document.createElementNS(NS, "circle");
      dot.setAttribute("cx", x(i).toFixed(1)); dot.setAttribute("cy", y(s).toFixed(1)); dot.setAttribute("r", 2);
      dot.setAttribute("class", s < -0.1 ? "spark-dot neg" : s > 0.1 ? "spark-dot pos" : "spark-dot");
      svg.appendChild(dot);
    });
    return svg;
  }

  // ---- Customer card ----
  let customerRequest = 0;
  async function loadCustomer() {
    const card = ui.customerCard;
    const id = st.customer, ticket = ++customerRequest;
    if (!id || !st.key) { card.hidden = true; return; }
    let data = null;
    try { data = await api(profilePath(id)); } catch (e) {
      if (ticket === customerRequest && e.status !== 404) { card.hidden = true; return; } // e.g. a wrong key: no card
    }
    if (ticket !== customerRequest) return;
    clear(card);
    card.hidden = false;
    const head = el("div", "cust-head");
    head.appendChild(el("strong", null, "客户 " + id));
    card.appendChild(head);
    const p = data && data.profile;
    if (!p) { card.appendChild(el("p", "muted", "无客户档案（按默认规则决策）")); return; }
    if (p.segment) head.appendChild(el("span", "badge seg", SEGMENT_ZH[p.segment] || p.segment));
    if (p.age_band) head.appendChild(el("span", "badge", p.age_band + " 岁"));
    const consent = el("div", "consent");
    consent.appendChild(el("span", "muted", "营销同意："));
    for (const ch of ["agent", "app_push", "sms", "phone"]) {
      const ok = !!(p.marketing_consent && p.marketing_consent[ch]);
      const c = el("span", "chip " + (ok ? "ok" : "no"), (ok ? "✓ " : "✗ ") + CHANNEL_ZH[ch]);
      c.title = ch;
      consent.appendChild(c);
    }
    card.appendChild(consent);
    if ((p.products_held || []).length) card.appendChild(el("div", "muted small", "持有产品：" + p.products_held.join("、")));
  }

  // ---- Feedback ----
  async function feedback(offerId, outcome, card) {
    const buttons = card.querySelectorAll("button.fb");
    buttons.forEach((b) => { b.disabled = true; });
    card.classList.add("busy");
    try {
      const customer = (st.view && st.view.customer_id) || st.customer;
      const res = await api(`${profilePath(customer)}/offers/${encodeURIComponent(offerId)}/feedback`,
        { method: "POST", body: { outcome } });
      toast("已记录");
      clearError();
      if (res && res.offers) {
        if (st.view) st.view.offers = res.offers;
        renderOffers(res.offers);
        renderNeeds(st.view ? st.view.needs : []);
      }
      resync(); // the whole view again, offers decided now
    } catch (e) {
      showError(e);
      buttons.forEach((b) => { b.disabled = false; });
      card.classList.remove("busy");
    }
  }

  // ---- Composer ----
  async function sendFromComposer() {
    const text = ui.text.value.trim();
    if (!text) { ui.text.focus(); return; }
    ui.text.value = "";
    try { await send(ui.speaker.value, text); } catch (_) {
      if (!ui.text.value) ui.text.value = text; // keep what the agent typed
    }
    ui.text.focus();
  }

  // "客户：…" / "坐席：…" / "C: …" / "A: …" pick the speaker of one line.
  function parseLine(line, fallback) {
    const m = /^\s*(客户|坐席|C|A)\s*[：:]\s*/i.exec(line);
    if (!m) return [fallback, line.trim()];
    const who = m[1].toUpperCase();
    return [who === "客户" || who === "C" ? "customer" : "agent", line.slice(m[0].length).trim()];
  }

  async function sendLines() {
    const lines = ui.text.value.split(/\r?\n/).filter((l) => l.trim());
    const fallback = ui.speaker.value;
    for (let i = 0; i < lines.length; i++) {
      const [speaker, text] = parseLine(lines[i], fallback);
      if (!text) continue;
      ui.text.value = lines.slice(i + 1).join("\n"); // what is left to send
      try { await send(speaker, text); } catch (_) {
        ui.text.value = lines.slice(i).join("\n"); // stop; the failed line stays first
        return;
      }
    }
  }

  async function maybeRunDemo() {
    if (st.demoStarted || !st.demoFlag) return;
    st.demoStarted = true;
    const conv = st.conversation;
    for (let i = 0; i < DEMO.length; i++) {
      if (conv !== st.conversation) return;
      try {
        // Fixed turn ids: running the demo twice on one conversation changes nothing.
        await send(DEMO[i][0], DEMO[i][1], `${conv}-demo-${i + 1}`);
      } catch (_) { return; }
    }
  }

  // ---- URL fragment and setup ----
  // The fragment keeps customer and conversation (so a reload resumes);
  // the key moves to sessionStorage and leaves the address bar.
  function rememberInUrl() {
    const p = new URLSearchParams();
    if (st.customer) p.set("customer", st.customer);
    if (st.conversation) p.set("conversation", st.conversation);
    history.replaceState(null, "", location.pathname + location.search + "#" + p.toString());
  }

  function init() {
    Object.assign(ui, {
      key: $("api-key"), customer: $("customer-id"), conversation: $("conversation-id"), setup: $("setup"),
      status: $("conn-status"), error: $("error"), errorText: $("error-text"), turns: $("turns"), text: $("turn-text"),
      speaker: $("speaker"), needs: $("needs"), offers: $("offers"), suppressed: $("suppressed"),
      showAll: $("show-all-suppressed"), banner: $("hardship-banner"), trend: $("trend"), toast: $("toast"),
      customerCard: $("customer-card"),
    });
    const frag = new URLSearchParams(location.hash.slice(1));
    st.demoFlag = frag.get("demo") === "1";
    ui.key.value = frag.get("key") || sessionStorage.getItem("xinsheng.key") || "";
    ui.customer.value = frag.get("customer") || "";
    ui.conversation.value = frag.get("conversation") || freshConversationId();
    document.body.dataset.ready = "0";
    document.body.dataset.turns = "0";

    // Enter in a field fires both "change" and "submit": coalesce into one connect.
    let connectSoon = null;
    const requestConnect = () => { clearTimeout(connectSoon); connectSoon = setTimeout(connect, 0); };
    ui.setup.addEventListener("submit", (e) => { e.preventDefault(); requestConnect(); });
    ui.customer.addEventListener("change", () => {
      // A conversation belongs to one customer: a different customer on a
      // conversation that already has turns gets a fresh conversation id.
      const v = ui.customer.value.trim();
      if (st.view && st.turns.length && st.view.customer_id !== v) ui.conversation.value = freshConversationId();
      requestConnect();
    });
    ui.conversation.addEventListener("change", requestConnect);
    $("new-conversation").addEventListener("click", () => { ui.conversation.value = freshConversationId(); requestConnect(); });
    $("error-close").addEventListener("click", clearError);
    $("send").addEventListener("click", sendFromComposer);
    $("send-lines").addEventListener("click", sendLines);
    ui.text.addEventListener("keydown", (e) => {
      // Enter sends; Shift+Enter is a newline; never while an IME is composing Chinese.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); sendFromComposer(); }
    });
    ui.showAll.addEventListener("click", () => {
      st.showAllSuppressed = !st.showAllSuppressed;
      renderSuppressed((st.view && st.view.offers && st.view.offers.suppressed) || []);
    });
    window.addEventListener("hashchange", () => {
      const p = new URLSearchParams(location.hash.slice(1));
      const k = p.get("key"), c = p.get("customer"), v = p.get("conversation");
      if (k) ui.key.value = k;
      if ((k && k !== st.key) || (c && c !== st.customer) || (v && v !== st.conversation)) {
        if (c) ui.customer.value = c;
        if (v) ui.conversation.value = v;
        st.demoFlag = p.get("demo") === "1";
        st.demoStarted = false;
        connect();
      }
    });

    // Test hook (see the brief): send resolves with the TurnResult or rejects with the error object.
    window.xinshengConsole = {
      send: (speaker, text) => send(speaker, text),
      state: () => st.view,
      connected: () => st.connected,
    };

    if (ui.key.value) connect();
    else { rememberInUrl(); showError({ code: "console.no_key", message_zh: "请填写 API 密钥后点击「开始/连接」" }); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
