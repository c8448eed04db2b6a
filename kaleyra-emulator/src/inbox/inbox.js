// The emulator's inbox: polls /emulator/messages and /emulator/refused and
// draws one conversation per business number and customer, plus the requests
// the emulator refused. Every piece of message or request text goes in
// through textContent, and links are made only for http(s) URLs, so nothing a
// sender wrote is run.
"use strict";

(() => {
  const POLL_MS = 1000;
  const TICKS = { sent: "✓", delivered: "✓✓", read: "✓✓", failed: "✕" };
  // The list entry that holds the refused requests.
  const REFUSED = "refused";

  let messages = [];
  let refused = [];
  let selected = null;
  // Until an entry is picked, the one with the newest activity is shown.
  let pinned = false;
  // The id of the message whose details are open, if any.
  let detailId = null;
  let lastBodies = "";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function isHttpUrl(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:";
    } catch (_) {
      return false;
    }
  }

  function link(url, text) {
    if (!isHttpUrl(url)) return el("span", "url", text);
    const anchor = el("a", "url", text);
    anchor.href = url;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    return anchor;
  }

  function clock(seconds) {
    return new Date(seconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function setConnection(ok, detail) {
    const status = document.getElementById("connection");
    status.textContent = ok ? "live" : "emulator not reachable" + (detail ? " (" + detail + ")" : "");
    status.classList.toggle("down", !ok);
  }

  async function fetchText(path) {
    const response = await fetch(path, { cache: "no-store" });
    if (!response.ok) throw new Error(path + ": HTTP " + response.status);
    return response.text();
  }

  async function poll() {
    try {
      const [messageBody, refusedBody] = await Promise.all([
        fetchText("/emulator/messages"),
        fetchText("/emulator/refused"),
      ]);
      setConnection(true);
      const bodies = messageBody + "\n" + refusedBody;
      if (bodies !== lastBodies) {
        lastBodies = bodies;
        messages = JSON.parse(messageBody);
        refused = JSON.parse(refusedBody);
        render();
      }
    } catch (error) {
      setConnection(false, error.message);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // ---- filters -------------------------------------------------------------

  function filters() {
    return {
      api: document.getElementById("filter-api").value,
      outcome: document.getElementById("filter-outcome").value,
      search: document.getElementById("search").value.trim().toLowerCase(),
    };
  }

  function requestText(request) {
    if (!request) return [];
    return [request.method, request.path, request.query, request.content_type, request.body];
  }

  function faultText(fault) {
    if (!fault) return [];
    return [fault.fault_id, fault.summary, "fault"];
  }

  // The fault (/emulator/faults) a request met, shown beside it.
  function faultNote(fault) {
    const note = el("div", "fault", "⚡ " + fault.fault_id + (fault.random ? " (random)" : "") + ": " + fault.summary);
    note.dataset.fault = fault.fault_id;
    note.title = "Set through /emulator/faults; the request met this fault";
    return note;
  }

  function messageMatches(message, filter) {
    if (filter.outcome === "refused") return false;
    if (filter.api && message.api !== filter.api) return false;
    if (!filter.search) return true;
    const head = message.header || {};
    const parts = [
      message.id, message.from, message.to, message.kind, message.template_name, message.language,
      message.body, message.footer, head.text, head.url, head.caption, message.callback_url,
      ...message.params,
      ...message.buttons.flatMap((button) => [button.text, button.url, button.payload, button.id, button.phone_number]),
      ...requestText(message.request),
      ...faultText(message.fault),
    ];
    return parts.some((part) => part && String(part).toLowerCase().includes(filter.search));
  }

  function refusalMatches(refusal, filter) {
    if (filter.outcome === "accepted") return false;
    if (filter.api && refusal.api !== filter.api) return false;
    if (!filter.search) return true;
    const parts = [
      refusal.id, refusal.code, refusal.message, String(refusal.http_status),
      ...refusal.problems.flatMap((problem) => [problem.field, problem.reason]),
      ...requestText(refusal.request),
      ...faultText(refusal.fault),
    ];
    return parts.some((part) => part && String(part).toLowerCase().includes(filter.search));
  }

  // ---- the list ------------------------------------------------------------

  // A conversation is one business number with one customer: v1 and v2
  // numbers never share one.
  function conversationKey(message) {
    return message.from + " → " + message.to;
  }

  // Messages arrive newest first, so each group's first message is its newest
  // and the groups come in order of their latest message.
  function conversations(visible) {
    const groups = new Map();
    for (const message of visible) {
      const key = conversationKey(message);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(message);
    }
    return groups;
  }

  function render() {
    const filter = filters();
    const visible = messages.filter((message) => messageMatches(message, filter));
    const visibleRefused = refused.filter((refusal) => refusalMatches(refusal, filter));
    const groups = conversations(visible);
    const entries = new Set(groups.keys());
    if (visibleRefused.length > 0) entries.add(REFUSED);
    if (!pinned || !entries.has(selected)) {
      pinned = false;
      selected = newest(groups, visibleRefused);
    }
    renderList(groups, visibleRefused);
    if (selected === REFUSED) {
      renderRefused(visibleRefused);
    } else {
      renderChat(selected === null ? [] : groups.get(selected));
    }
    renderDetail();
  }

  // The entry with the newest activity; a conversation wins a tie.
  function newest(groups, visibleRefused) {
    const first = groups.size > 0 ? groups.keys().next().value : null;
    if (visibleRefused.length === 0) return first;
    if (first === null) return REFUSED;
    return visibleRefused[0].received_at > groups.get(first)[0].received_at ? REFUSED : first;
  }

  function preview(message) {
    if (message.body) return message.body.split("\n")[0];
    return message.template_name || message.kind;
  }

  function select(key) {
    selected = key;
    pinned = true;
    render();
  }

  function renderList(groups, visibleRefused) {
    const nav = document.getElementById("conversations");
    nav.replaceChildren();
    if (visibleRefused.length > 0) {
      const item = el("button", "conversation refused-entry" + (selected === REFUSED ? " selected" : ""));
      item.type = "button";
      item.dataset.key = REFUSED;
      const latest = visibleRefused[0];
      item.append(
        el("span", "number", "Refused requests"),
        el("span", "count refused-count", String(visibleRefused.length)),
        el("span", "preview", latest.code + " · " + route(latest.request)),
      );
      item.addEventListener("click", () => select(REFUSED));
      nav.append(item);
    }
    if (groups.size === 0 && visibleRefused.length === 0) {
      const filtered = messages.length + refused.length > 0;
      nav.append(el("p", "empty", filtered ? "Nothing matches the filter." : "No conversations yet."));
      return;
    }
    for (const [key, list] of groups) {
      const newestMessage = list[0];
      const item = el("button", "conversation" + (key === selected ? " selected" : ""));
      item.type = "button";
      item.dataset.key = key;
      item.dataset.to = newestMessage.to;
      item.dataset.from = newestMessage.from;
      item.append(
        el("span", "number", newestMessage.to),
        el("span", "count", String(list.length)),
        el("span", "business", "from " + newestMessage.from + " · " + newestMessage.api),
        el("span", "preview", preview(newestMessage)),
      );
      item.addEventListener("click", () => select(key));
      nav.append(item);
    }
  }

  // ---- a conversation ------------------------------------------------------

  function renderChat(list) {
    const title = document.getElementById("chat-title");
    const pane = document.getElementById("messages");
    title.replaceChildren();
    pane.replaceChildren();
    if (list.length === 0) {
      title.textContent = "Inbox";
      const text = messages.length + refused.length > 0
        ? "Nothing matches the filter."
        : "No messages yet. Messages sent to the emulator appear here, and so do the requests it refuses.";
      pane.append(el("p", "empty", text));
      return;
    }
    const first = list[0];
    title.append(
      el("span", "number", first.to),
      el("span", "from", "from " + first.from + " (" + first.api + ")"),
    );
    for (const message of list.slice().reverse()) {
      pane.append(bubble(message));
    }
    pane.scrollTop = pane.scrollHeight;
  }

  function header(message) {
    const head = message.header;
    if (!head) return null;
    if (head.type === "text") return el("div", "header-text", head.text);
    const media = el("div", "media " + head.type);
    const about = el("div", "media-about");
    about.append(el("span", "media-type", head.type));
    if (head.url) about.append(link(head.url, head.url));
    // A location header's place: its name, address and coordinates.
    if (head.type === "location" && head.text) about.append(el("span", "place", head.text));
    if (head.caption) about.append(el("span", "caption", head.caption));
    // A product header: the product it shows, from its catalog.
    if (head.product) about.append(el("span", "product", "🛍 " + head.product.product_retailer_id + " (catalog " + head.product.catalog_id + ")"));
    media.append(about);
    return media;
  }

  // A carousel's cards side by side, scrolled sideways as on the phone.
  // Their buttons are shown, not tapped: a tap names a button of the
  // message, not of a card.
  function carousel(cards) {
    const row = el("div", "carousel");
    cards.forEach((stored, position) => {
      const card = el("div", "card");
      card.dataset.card = String(position);
      const head = header(stored);
      if (head) card.append(head);
      if (stored.body) card.append(el("div", "body", stored.body));
      for (const button of stored.buttons) {
        const row = el("div", "button " + button.type, button.text);
        if (button.url) row.append(" ", link(button.url, button.url));
        if (button.payload) row.title = "payload: " + button.payload;
        card.append(row);
      }
      row.append(card);
    });
    return row;
  }

  function isTapKind(button) {
    return button.type === "quick_reply" || button.type === "reply";
  }

  // Quick-reply and reply buttons of a message with a callback URL can be
  // tapped as the customer would: the emulator posts the incoming message.
  function tap(message, button) {
    fetch("/emulator/messages/" + encodeURIComponent(message.id) + "/tap", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ button: button.index }),
    }).catch(() => {});
  }

  const NO_CALLBACK = "the message has no callback_url, so a tap would have nowhere to go.";

  function buttonRow(message, button) {
    const tapKind = isTapKind(button);
    const tappable = tapKind && Boolean(message.callback_url);
    const row = el(tapKind ? "button" : "div", "button " + button.type);
    if (tapKind) {
      row.type = "button";
      if (tappable) {
        row.addEventListener("click", () => tap(message, button));
      } else {
        row.disabled = true;
        row.classList.add("disabled");
      }
    }
    row.dataset.index = String(button.index);
    const icon = button.type === "url" ? "↗" : button.type === "phone_number" ? "☎"
      : button.type === "copy_code" ? "⧉" : button.type === "flow" ? "☰" : "↩";
    row.append(el("span", "button-icon", icon), el("span", "button-text", button.text));
    const details = [];
    if (button.url) details.push(button.url);
    if (button.phone_number) details.push(button.phone_number);
    if (button.payload) details.push("payload: " + button.payload);
    if (button.code && button.type === "copy_code") row.append(el("span", "button-code", button.code));
    if (button.code && button.type === "flow") details.push("flow token: " + button.code);
    if (button.id) details.push("id: " + button.id);
    if (button.thumbnail_product) row.append(el("span", "button-products", "🛍 " + button.thumbnail_product));
    if (button.products) row.append(productList(button.products));
    if (tappable) details.push("click to tap it as the customer");
    if (tapKind && !tappable) details.push("Can't be tapped: " + NO_CALLBACK);
    if (details.length > 0) row.title = details.join("\n");
    return row;
  }

  // A multi-product button's products: the thumbnail, then each titled
  // section with its retailer ids.
  function productList(products) {
    const list = el("div", "products");
    list.append(el("div", "products-thumbnail", "thumbnail: " + products.thumbnail));
    for (const section of products.sections) {
      const part = el("div", "products-section");
      part.append(el("div", "products-title", section.title));
      const ids = el("ul", "products-items");
      for (const id of section.product_retailer_ids) ids.append(el("li", "", id));
      part.append(ids);
      list.append(part);
    }
    return list;
  }

  // What the ticks say: with a callback URL, each status the emulator
  // reported; without one, the status advances but is reported nowhere, so
  // the ticks are grey and marked simulated.
  function ticks(message) {
    const reported = Boolean(message.callback_url);
    const mark = el("span", "ticks " + message.status + (reported ? "" : " simulated"), TICKS[message.status] || "");
    const wrap = el("span", "tick-state");
    wrap.append(mark);
    if (reported) {
      const posted = message.callbacks
        .filter((record) => !record.event.startsWith("tap"))
        .map((record) => record.event + ": " + answer(record));
      wrap.title = message.status + (posted.length > 0 ? "\ncallbacks: " + posted.join(", ") : "\nno callback posted yet");
    } else {
      wrap.append(el("span", "simulated-label", "simulated"));
      wrap.title = message.status + " (simulated): no callback_url, so no status was reported anywhere";
    }
    return wrap;
  }

  // A limited-time offer: its text, and when it ends (in the viewer's time).
  function offer(stored) {
    const box = el("div", "offer");
    box.append(el("span", "offer-text", "🏷 " + stored.text));
    if (stored.expiration_time_ms !== null && stored.expiration_time_ms !== undefined) {
      const ends = new Date(stored.expiration_time_ms);
      box.append(el("span", "offer-ends", "ends " + ends.toLocaleString()));
    }
    return box;
  }

  function bubble(message) {
    const wrap = el("article", "message");
    wrap.dataset.id = message.id;
    wrap.dataset.status = message.status;
    wrap.dataset.ticks = message.callback_url ? "reported" : "simulated";

    const card = el("div", "bubble");
    const about = [message.api, message.kind];
    if (message.template_name) about.push(message.template_name);
    if (message.language) about.push(message.language);
    card.append(el("div", "about", about.join(" · ")));
    if (message.reply_to) card.append(el("div", "quoted", "↪ reply to " + message.reply_to));

    const head = header(message);
    if (head) card.append(head);
    if (message.offer) card.append(offer(message.offer));
    card.append(el("div", "body", message.body));
    if (message.footer) card.append(el("div", "footer", message.footer));

    const foot = el("div", "meta");
    const open = el("button", "open-detail", "details");
    open.type = "button";
    open.title = "The raw request, the stored message and its callbacks";
    open.addEventListener("click", () => openDetail(message.id));
    foot.append(open, el("time", "time", clock(message.received_at)), ticks(message));
    card.append(foot);
    wrap.append(card);

    if (message.buttons.length > 0) {
      const buttons = el("div", "buttons");
      for (const button of message.buttons) buttons.append(buttonRow(message, button));
      wrap.append(buttons);
      if (!message.callback_url && message.buttons.some(isTapKind)) {
        wrap.append(el("div", "buttons-note", "Buttons can't be tapped: " + NO_CALLBACK));
      }
    }

    if (message.cards && message.cards.length > 0) wrap.append(carousel(message.cards));

    if (message.fault) wrap.append(faultNote(message.fault));

    const problems = message.callbacks.filter((record) => record.outcome !== "posted");
    if (problems.length > 0) {
      const last = problems[problems.length - 1];
      wrap.append(el("div", "callback-problem", "callback " + last.outcome + ": " + last.reason));
    }
    return wrap;
  }

  // ---- refused requests ----------------------------------------------------

  function route(request) {
    return request.method + " " + request.path;
  }

  function renderRefused(list) {
    const title = document.getElementById("chat-title");
    const pane = document.getElementById("messages");
    title.replaceChildren(
      el("span", "number", "Refused requests"),
      el("span", "from", "newest first; the emulator keeps the last 1,000"),
    );
    pane.replaceChildren();
    for (const refusal of list) pane.append(refusalCard(refusal));
    pane.scrollTop = 0;
  }

  function refusalCard(refusal) {
    const card = el("article", "refusal");
    card.dataset.id = refusal.id;
    card.dataset.code = refusal.code;
    card.dataset.api = refusal.api;
    const top = el("div", "refusal-top");
    top.append(el("span", "code", refusal.code));
    // A refusal before any route could word it has the status as its code;
    // a connection a fault reset got no answer (status 0).
    const status = refusal.http_status === 0 ? "no answer" : "HTTP " + refusal.http_status;
    if (refusal.code !== status) top.append(el("span", "http-status", status));
    top.append(el("span", "route", route(refusal.request)), el("time", "time", clock(refusal.received_at)));
    card.append(top, el("div", "refusal-message", refusal.message));
    if (refusal.fault) card.append(faultNote(refusal.fault));
    const reasons = el("ul", "problems");
    for (const problem of refusal.problems) {
      const item = el("li", "problem");
      item.append(el("code", "field", problem.field), el("span", "reason", problem.reason));
      reasons.append(item);
    }
    card.append(reasons, rawRequest(refusal.request));
    return card;
  }

  // The request as it arrived: route, content type and body, with plain
  // notes for what is not shown as received.
  function rawRequest(request) {
    const box = el("div", "raw-request");
    const line = route(request) + (request.query ? "?" + request.query : "");
    box.append(el("div", "raw-line", line));
    box.append(el("div", "raw-line", "Content-Type: " + (request.content_type || "(none)")));
    box.append(el("pre", "raw-body", request.body || "(empty body)"));
    const notes = [];
    if (request.truncated_bytes > 0) {
      notes.push("truncated: " + request.truncated_bytes + " bytes of " + request.body_bytes + " not shown");
    }
    if (request.redacted) notes.push("the API key in it is shown as [api-key redacted]");
    if (request.not_utf8) notes.push("the body is not UTF-8; invalid bytes are shown as �");
    notes.push("the api-key header is never kept");
    for (const note of notes) box.append(el("div", "raw-note", note));
    return box;
  }

  // ---- the detail view -----------------------------------------------------

  function openDetail(id) {
    detailId = id;
    renderDetail();
  }

  function closeDetail() {
    detailId = null;
    renderDetail();
  }

  function answer(record) {
    if (record.outcome === "posted") return "HTTP " + record.http_status;
    return record.outcome + " (" + record.reason + ")";
  }

  function section(titleText) {
    const part = el("section", "detail-section");
    part.append(el("h3", null, titleText));
    return part;
  }

  function renderDetail() {
    const panel = document.getElementById("detail");
    const body = document.getElementById("detail-body");
    const message = detailId === null ? undefined : messages.find((candidate) => candidate.id === detailId);
    if (!message) {
      detailId = null;
      panel.hidden = true;
      body.replaceChildren();
      return;
    }
    panel.hidden = false;
    panel.dataset.id = message.id;
    body.replaceChildren();

    const request = section("Request as received");
    request.classList.add("detail-request");
    if (message.request) {
      request.append(rawRequest(message.request));
    } else {
      request.append(el("p", "empty", "Not recorded."));
    }

    const stored = section("Stored message");
    stored.classList.add("detail-stored");
    const shown = Object.assign({}, message);
    delete shown.request;
    delete shown.callbacks;
    stored.append(el("pre", "raw-body", JSON.stringify(shown, null, 2)));

    const posted = section("Callbacks");
    posted.classList.add("detail-callbacks");
    if (!message.callback_url) {
      posted.append(el("p", "empty", "No callback_url: nothing was posted, and the ticks are simulated."));
    } else if (message.callbacks.length === 0) {
      posted.append(el("p", "empty", "None posted yet; they go to " + message.callback_url + "."));
    }
    for (const record of message.callbacks) {
      const item = el("div", "callback " + record.outcome);
      const top = el("div", "callback-top");
      top.append(
        el("time", "time", clock(record.at)),
        el("span", "event", record.event),
        el("span", "answer", answer(record)),
      );
      item.append(top, el("div", "callback-url", record.url), el("pre", "raw-body", record.payload));
      posted.append(item);
    }
    body.append(request, stored, posted);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("clear").addEventListener("click", async () => {
      await Promise.all([
        fetch("/emulator/messages", { method: "DELETE" }),
        fetch("/emulator/refused", { method: "DELETE" }),
      ]);
      lastBodies = "";
      selected = null;
      pinned = false;
      detailId = null;
    });
    const form = document.getElementById("filters");
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", render);
    form.addEventListener("change", render);
    document.getElementById("detail-close").addEventListener("click", closeDetail);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeDetail();
    });
    render();
    poll();
  });
})();
