// The emulator's inbox. The emulator computes what to show
// (GET /emulator/inbox: the conversations matching the filters, in pages and
// by campaign, the chosen conversation's messages, and the refused requests
// with identical ones collapsed), so the page stays fast at 100,000
// messages; the page asks again whenever GET /emulator/inbox/version moves
// on or a filter changes. One conversation is one business number and one
// customer: what the business sent, what the simulated customer wrote back,
// and a reply box to write as them. Every piece of message or request text
// goes in through textContent, and links are made only for http(s) URLs, so
// nothing a sender wrote is run.
"use strict";

(() => {
  const POLL_MS = 1000;
  const TICKS = { sent: "✓", delivered: "✓✓", read: "✓✓", failed: "✕", deleted: "⊘" };
  // The list entry that holds the refused requests.
  const REFUSED = "refused";

  // The emulator's last answer to GET /emulator/inbox.
  let view = null;
  let lastVersion = -1;
  let lastQuery = null;
  // Answers to older questions are dropped.
  let asked = 0;
  // What the user picked: null (the entry with the newest activity),
  // { kind: "refused" } or { kind: "conversation", from, to }.
  let selection = null;
  // undefined: every campaign; "": messages of no campaign; else its name.
  let campaign = undefined;
  // The first conversation of the page shown.
  let offset = 0;
  // The id of the message whose details are open, if any.
  let detailId = null;

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

  function count(number) {
    return Number(number).toLocaleString("en");
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

  // ---- asking the emulator -------------------------------------------------

  function filters() {
    return {
      api: document.getElementById("filter-api").value,
      outcome: document.getElementById("filter-outcome").value,
      search: document.getElementById("search").value.trim(),
    };
  }

  function filtering() {
    const filter = filters();
    return Boolean(filter.api || filter.outcome || filter.search || campaign !== undefined);
  }

  function query() {
    const filter = filters();
    const params = new URLSearchParams();
    if (filter.api) params.set("api", filter.api);
    if (filter.outcome) params.set("outcome", filter.outcome);
    if (filter.search) params.set("search", filter.search);
    if (campaign !== undefined) params.set("campaign", campaign);
    if (selection) {
      params.set("select", selection.kind);
      if (selection.kind === "conversation") {
        params.set("from", selection.from);
        params.set("to", selection.to);
      }
    }
    if (offset > 0) params.set("offset", String(offset));
    return params.toString();
  }

  async function refresh() {
    const question = query();
    const number = ++asked;
    const answer = JSON.parse(await fetchText("/emulator/inbox?" + question));
    if (number !== asked) return;
    lastQuery = question;
    lastVersion = answer.version;
    view = answer;
    render();
  }

  function refreshNow() {
    refresh().then(() => setConnection(true), (error) => setConnection(false, error.message));
  }

  async function poll() {
    try {
      const { version } = JSON.parse(await fetchText("/emulator/inbox/version"));
      setConnection(true);
      if (version !== lastVersion || query() !== lastQuery) await refresh();
    } catch (error) {
      setConnection(false, error.message);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // A message a customer wrote, in the shape of the conversation it joins:
  // `from` is the business number and `to` the customer, as for the
  // messages the business sent them.
  function asIncoming(message) {
    return {
      incoming: true,
      id: message.id,
      api: message.api,
      from: message.to,
      to: message.from,
      kind: message.content.type,
      body: message.summary,
      name: message.name,
      reply_to: message.reply_to,
      received_at: message.written_at,
      callback: message.callback,
    };
  }

  // ---- the page ------------------------------------------------------------

  function render() {
    if (!view) return;
    renderList();
    const chosen = view.selected;
    if (chosen.kind === "refused") {
      renderReplyBox(null);
      renderRefused(chosen);
    } else {
      renderChat(chosen.kind === "conversation" ? chosen : null);
    }
    renderDetail();
  }

  function anything() {
    return view.totals.messages + view.totals.written + view.totals.refused > 0;
  }

  function select(choice) {
    selection = choice;
    detailId = null;
    refreshNow();
  }

  function isSelected(from, to) {
    const chosen = view.selected;
    return chosen.kind === "conversation" && chosen.from === from && chosen.to === to;
  }

  // ---- the list ------------------------------------------------------------

  function renderList() {
    const nav = document.getElementById("conversations");
    nav.replaceChildren();
    if (view.campaigns.some((entry) => entry.campaign !== null) || campaign !== undefined) {
      nav.append(campaignBar());
    }
    if (view.refused.matching > 0) nav.append(refusedEntry());
    const page = view.conversations;
    if (page.total === 0 && view.refused.matching === 0) {
      nav.append(el("p", "empty", anything() ? "Nothing matches the filter." : "No conversations yet."));
      return;
    }
    if (page.offset > 0) nav.append(pageButton("newer", "↑ Newer conversations", page.offset - page.per_page));
    for (const summary of page.items) nav.append(conversationEntry(summary));
    const shownTo = page.offset + page.items.length;
    if (shownTo < page.total) {
      nav.append(pageButton("older", "↓ Older conversations (" + count(shownTo) + " of " + count(page.total) + " shown)", shownTo));
    }
  }

  // The campaigns among the matching messages, each with its counts; a
  // campaign is a `ref`'s part before its last ":" (`kaleyra send` writes
  // `<campaign>:<line>`).
  function campaignBar() {
    const bar = el("div", "campaigns");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Campaigns");
    const chip = (label, value, messages) => {
      const button = el("button", "campaign" + (campaign === value ? " selected" : ""));
      button.type = "button";
      button.dataset.campaign = value === undefined ? "*" : value;
      button.append(el("span", "campaign-name", label));
      if (messages !== null) button.append(el("span", "campaign-count", count(messages)));
      button.addEventListener("click", () => {
        campaign = value;
        offset = 0;
        selection = null;
        refreshNow();
      });
      return button;
    };
    bar.append(chip("All campaigns", undefined, null));
    for (const entry of view.campaigns) {
      const named = entry.campaign !== null;
      const button = chip(named ? entry.campaign : "No campaign", named ? entry.campaign : "", entry.messages);
      button.title = count(entry.messages) + " messages in " + count(entry.conversations) + " conversations";
      bar.append(button);
    }
    return bar;
  }

  function refusedEntry() {
    const item = el("button", "conversation refused-entry" + (view.selected.kind === "refused" ? " selected" : ""));
    item.type = "button";
    item.dataset.key = REFUSED;
    // Exact: every refusal since the start, unless a filter narrows the
    // count to those kept that match it.
    const total = filtering() ? view.refused.matching : view.totals.refused;
    const badge = el("span", "count refused-count", count(total));
    if (view.totals.refused > view.totals.refused_kept) {
      badge.title = count(view.totals.refused) + " refused in all; the last " + count(view.totals.refused_kept_at_most) + " are kept";
    }
    const latest = view.refused.newest;
    item.append(
      el("span", "number", "Refused requests"),
      badge,
      el("span", "preview", latest.code + " · " + route(latest.request)),
    );
    item.addEventListener("click", () => select({ kind: REFUSED }));
    return item;
  }

  function conversationEntry(summary) {
    const item = el("button", "conversation" + (isSelected(summary.from, summary.to) ? " selected" : ""));
    item.type = "button";
    item.dataset.key = summary.from + " → " + summary.to;
    item.dataset.to = summary.to;
    item.dataset.from = summary.from;
    item.append(
      el("span", "number", summary.to),
      el("span", "count", count(summary.count)),
      el("span", "business", "from " + summary.from + " · " + summary.api),
      el("span", "preview", summary.preview),
    );
    if (summary.campaign) item.append(el("span", "campaign-label", summary.campaign));
    item.addEventListener("click", () => select({ kind: "conversation", from: summary.from, to: summary.to }));
    return item;
  }

  function pageButton(kind, label, to) {
    const button = el("button", "page " + kind, label);
    button.type = "button";
    button.addEventListener("click", () => {
      offset = Math.max(0, to);
      refreshNow();
    });
    return button;
  }

  // ---- a conversation ------------------------------------------------------

  // The fault (/emulator/faults) a request met, shown beside it.
  function faultNote(fault) {
    const note = el("div", "fault", "⚡ " + fault.fault_id + (fault.random ? " (random)" : "") + ": " + fault.summary);
    note.dataset.fault = fault.fault_id;
    note.title = "Set through /emulator/faults; the request met this fault";
    return note;
  }

  // The conversation's messages, oldest first: what the business sent, and
  // what the customer wrote (of the same second, after what it answers).
  function timeline(chosen) {
    return chosen.written.map(asIncoming).concat(chosen.messages)
      .sort((a, b) => b.received_at - a.received_at)
      .reverse();
  }

  function renderChat(chosen) {
    const title = document.getElementById("chat-title");
    const pane = document.getElementById("messages");
    title.replaceChildren();
    pane.replaceChildren();
    renderReplyBox(chosen);
    if (chosen === null) {
      title.textContent = "Inbox";
      const text = anything()
        ? "Nothing matches the filter."
        : "No messages yet. Messages sent to the emulator appear here, and so do the requests it refuses.";
      pane.append(el("p", "empty", text));
      return;
    }
    title.append(
      el("span", "number", chosen.to),
      el("span", "from", "from " + chosen.from + " (" + chosen.api + ")"),
    );
    const list = timeline(chosen);
    if (chosen.total > list.length) {
      pane.append(el("p", "older-note", "The newest " + count(list.length) + " of " + count(chosen.total) + " messages; search to find older ones."));
    }
    for (const message of list) pane.append(bubble(message));
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

  // A message the simulated customer wrote, on the other side of the chat.
  function incomingBubble(message) {
    const wrap = el("article", "message incoming");
    wrap.dataset.id = message.id;
    const card = el("div", "bubble");
    const about = [message.api, message.kind];
    if (message.name) about.push(message.name);
    card.append(el("div", "about", about.join(" · ")));
    if (message.reply_to) card.append(el("div", "quoted", "↪ reply to " + message.reply_to));
    card.append(el("div", "body", message.body));
    const foot = el("div", "meta");
    foot.append(el("time", "time", clock(message.received_at)));
    const record = message.callback;
    const posted = el("span", "posted " + record.outcome, record.outcome === "posted" ? "posted" : record.outcome);
    posted.title = "incoming message to " + record.url + ": " + answer(record);
    foot.append(posted);
    card.append(foot);
    wrap.append(card);
    if (record.outcome !== "posted") {
      wrap.append(el("div", "callback-problem", "callback " + record.outcome + ": " + record.reason));
    }
    return wrap;
  }

  // The reply box: write to the business as the conversation's customer.
  // The emulator posts it to the Incoming URL (or the callback URL the
  // business used), in the business number's API shape.
  function renderReplyBox(chosen) {
    const box = document.getElementById("reply");
    box.hidden = chosen === null;
    if (chosen === null) return;
    box.dataset.customer = chosen.to;
    box.dataset.business = chosen.from;
  }

  async function sendReply(event) {
    event.preventDefault();
    const box = document.getElementById("reply");
    const input = document.getElementById("reply-text");
    const note = document.getElementById("reply-note");
    const text = input.value;
    if (!text.trim()) return;
    const customer = box.dataset.customer.replace(/^\+/, "");
    try {
      const response = await fetch("/emulator/customers/" + encodeURIComponent(customer) + "/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "text", text: text, to: box.dataset.business }),
      });
      if (response.ok) {
        input.value = "";
        note.textContent = "";
        refreshNow();
      } else {
        const answer = await response.json().catch(() => ({}));
        note.textContent = "Not sent: " + (answer.error || "HTTP " + response.status);
      }
    } catch (error) {
      note.textContent = "Not sent: " + error.message;
    }
  }

  function bubble(message) {
    if (message.incoming) return incomingBubble(message);
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

  // Identical refusals (same route, status, code and reasons) are one card
  // with their count; the newest of them is shown in full.
  function renderRefused(chosen) {
    const title = document.getElementById("chat-title");
    const pane = document.getElementById("messages");
    title.replaceChildren(
      el("span", "number", "Refused requests"),
      el("span", "from", "newest first, identical ones counted together; the emulator keeps the last " + count(view.totals.refused_kept_at_most)),
    );
    pane.replaceChildren();
    for (const group of chosen.groups) {
      const card = refusalCard(group.refusal);
      if (group.count > 1) {
        const repeat = el("div", "repeat", "×" + count(group.count) + " identical, since " + clock(group.oldest_at));
        repeat.dataset.count = String(group.count);
        repeat.title = "The newest: " + group.ids.join(", ") + (group.count > group.ids.length ? ", …" : "");
        card.querySelector(".refusal-top").append(repeat);
      }
      pane.append(card);
    }
    if (chosen.group_count > chosen.groups.length) {
      pane.append(el("p", "older-note", "The newest " + count(chosen.groups.length) + " of " + count(chosen.group_count) + " kinds of refusal; search to find others."));
    }
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
    const listed = view && view.selected.kind === "conversation" ? view.selected.messages : [];
    const message = detailId === null ? undefined : listed.find((candidate) => candidate.id === detailId);
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
      selection = null;
      campaign = undefined;
      offset = 0;
      detailId = null;
      refreshNow();
    });
    const form = document.getElementById("filters");
    form.addEventListener("submit", (event) => event.preventDefault());
    // A filter asks at once (the emulator searches, the page only draws);
    // typing in the search asks once the keys pause, not once per key.
    const SEARCH_PAUSE_MS = 120;
    let typing = null;
    const filtered = (event) => {
      offset = 0;
      clearTimeout(typing);
      if (event.target.id === "search") {
        typing = setTimeout(refreshNow, SEARCH_PAUSE_MS);
      } else {
        refreshNow();
      }
    };
    form.addEventListener("input", filtered);
    form.addEventListener("change", filtered);
    document.getElementById("reply").addEventListener("submit", sendReply);
    document.getElementById("detail-close").addEventListener("click", closeDetail);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeDetail();
    });
    poll();
  });
})();
