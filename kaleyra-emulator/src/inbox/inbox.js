// The emulator's inbox: polls /emulator/messages and draws one conversation
// per recipient. Every piece of message text goes in through textContent, and
// links are made only for http(s) URLs, so nothing a sender wrote is run.
"use strict";

(() => {
  const POLL_MS = 1000;
  const TICKS = { sent: "✓", delivered: "✓✓", read: "✓✓" };

  let messages = [];
  let selected = null;
  // Until a conversation is picked, the newest one is shown.
  let pinned = false;
  let lastBody = "";

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

  function setConnection(ok, detail) {
    const status = document.getElementById("connection");
    status.textContent = ok ? "live" : "emulator not reachable" + (detail ? " (" + detail + ")" : "");
    status.classList.toggle("down", !ok);
  }

  async function poll() {
    try {
      const response = await fetch("/emulator/messages", { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const body = await response.text();
      setConnection(true);
      if (body !== lastBody) {
        lastBody = body;
        messages = JSON.parse(body);
        render();
      }
    } catch (error) {
      setConnection(false, error.message);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // Messages arrive newest first, so each group's first message is its newest
  // and the groups come in order of their latest message.
  function conversations() {
    const groups = new Map();
    for (const message of messages) {
      if (!groups.has(message.to)) groups.set(message.to, []);
      groups.get(message.to).push(message);
    }
    return groups;
  }

  function render() {
    const groups = conversations();
    if (!pinned || !groups.has(selected)) {
      pinned = false;
      selected = groups.size > 0 ? groups.keys().next().value : null;
    }
    renderList(groups);
    renderChat(selected === null ? [] : groups.get(selected));
  }

  function preview(message) {
    if (message.body) return message.body.split("\n")[0];
    return message.template_name || message.kind;
  }

  function renderList(groups) {
    const nav = document.getElementById("conversations");
    nav.replaceChildren();
    if (groups.size === 0) {
      nav.append(el("p", "empty", "No conversations yet."));
      return;
    }
    for (const [to, list] of groups) {
      const item = el("button", "conversation" + (to === selected ? " selected" : ""));
      item.type = "button";
      item.dataset.to = to;
      item.append(
        el("span", "number", to),
        el("span", "count", String(list.length)),
        el("span", "preview", preview(list[0])),
      );
      item.addEventListener("click", () => {
        selected = to;
        pinned = true;
        render();
      });
      nav.append(item);
    }
  }

  function renderChat(list) {
    const title = document.getElementById("chat-title");
    const pane = document.getElementById("messages");
    title.replaceChildren();
    pane.replaceChildren();
    if (list.length === 0) {
      title.textContent = "Inbox";
      pane.append(el("p", "empty", "No messages yet. Messages sent to the emulator appear here."));
      return;
    }
    title.append(el("span", "number", selected), el("span", "from", "from " + list[0].from));
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
    if (head.caption) about.append(el("span", "caption", head.caption));
    media.append(about);
    return media;
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

  function buttonRow(message, button) {
    const tappable = (button.type === "quick_reply" || button.type === "reply") && message.callback_url;
    const row = el(tappable ? "button" : "div", "button " + button.type);
    if (tappable) {
      row.type = "button";
      row.addEventListener("click", () => tap(message, button));
    }
    row.dataset.index = String(button.index);
    const icon = button.type === "url" ? "↗ " : button.type === "phone_number" ? "☎ " : "↩ ";
    row.append(el("span", "button-icon", icon.trim()), el("span", "button-text", button.text));
    const details = [];
    if (button.url) details.push(button.url);
    if (button.phone_number) details.push(button.phone_number);
    if (button.payload) details.push("payload: " + button.payload);
    if (button.id) details.push("id: " + button.id);
    if (tappable) details.push("click to tap it as the customer");
    if (details.length > 0) row.title = details.join("\n");
    return row;
  }

  function bubble(message) {
    const wrap = el("article", "message");
    wrap.dataset.id = message.id;
    wrap.dataset.status = message.status;

    const card = el("div", "bubble");
    const about = [message.api, message.kind];
    if (message.template_name) about.push(message.template_name);
    if (message.language) about.push(message.language);
    card.append(el("div", "about", about.join(" · ")));
    if (message.reply_to) card.append(el("div", "quoted", "↪ reply to " + message.reply_to));

    const head = header(message);
    if (head) card.append(head);
    card.append(el("div", "body", message.body));
    if (message.footer) card.append(el("div", "footer", message.footer));

    const foot = el("div", "meta");
    const time = new Date(message.received_at * 1000);
    foot.append(
      el("time", "time", time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })),
      el("span", "ticks " + message.status, TICKS[message.status] || ""),
    );
    foot.title = message.id + " · " + message.status;
    card.append(foot);
    wrap.append(card);

    if (message.buttons.length > 0) {
      const buttons = el("div", "buttons");
      for (const button of message.buttons) buttons.append(buttonRow(message, button));
      wrap.append(buttons);
    }

    const problems = message.callbacks.filter((record) => record.outcome !== "posted");
    if (problems.length > 0) {
      const last = problems[problems.length - 1];
      wrap.append(el("div", "callback-problem", "callback " + last.outcome + ": " + last.reason));
    }
    return wrap;
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("clear").addEventListener("click", async () => {
      await fetch("/emulator/messages", { method: "DELETE" });
      lastBody = "";
      selected = null;
      pinned = false;
    });
    render();
    poll();
  });
})();
