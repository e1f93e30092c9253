// Live chat: enhances the server-rendered conversation page and the header's unread badge over the chat
// socket (protocol: docs/chat-protocol.md). Without this file, or when the socket cannot open, the page's
// plain form and refresh link keep working. Safe on every page: does nothing without [data-chat] or
// [data-chat-unread-badge]; runs once however often it is included.
(function () {
  "use strict";
  if (window.feriaChat) { return; }
  window.feriaChat = true;

  var section = document.querySelector("[data-chat]");
  var badge = document.querySelector("[data-chat-unread-badge]");
  if ((!section && !badge) || !("WebSocket" in window)) { return; }

  var list = section && section.querySelector("[data-chat-messages]");
  var form = section && section.querySelector("form[data-chat-form]");
  var statusLine = section && section.querySelector("[data-chat-status]");
  var conversation = section ? parseInt(section.getAttribute("data-chat-conversation"), 10) : 0;
  var mySide = section ? section.getAttribute("data-chat-side") : "";
  var me = section ? parseInt(section.getAttribute("data-chat-me"), 10) : 0;
  var path = (section && section.getAttribute("data-chat-socket")) || "/ws/chat/";
  var texts = {
    sending: "Sending…",
    not_sent: "Not sent yet: it goes out when the connection is back.",
    reconnecting: "Connection lost. Reconnecting…",
    typing: "%(name)s is typing…"
  };

  var socket = null;
  var everConnected = false;
  var attempts = 0;
  var heartbeatSeconds = 25;
  var lastFrameAt = 0;
  var watchdog = null;
  var pending = {}; // client_id -> send frame, until its ack
  var presenceText = statusLine ? statusLine.textContent : "";
  var typingTimer = null;
  var lastTypingSent = 0;
  var readSent = 0;
  var seenUpTo = 0; // the other side has read up to this id (read receipts)
  var seenText = (section && section.getAttribute("data-chat-seen-text")) || "Seen";
  // As the server writes them: the company's name after its staff's names, times in the person's time zone.
  var companyName = (section && section.getAttribute("data-chat-company")) || "";
  var timeZone = (section && section.getAttribute("data-chat-time-zone")) || undefined;

  function newClientId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) { crypto.getRandomValues(bytes); }
    else { for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // --- the page ---------------------------------------------------------------------------------------

  // The highest message id shown on the page (live messages and acks included): read marks go up to it.
  function lastId() {
    var highest = section ? parseInt(section.getAttribute("data-chat-last-id"), 10) || 0 : 0;
    if (list) {
      list.querySelectorAll("[data-message-id]").forEach(function (li) {
        highest = Math.max(highest, parseInt(li.getAttribute("data-message-id"), 10) || 0);
      });
    }
    return highest;
  }

  // The sync cursor: the page has every message of the conversation up to this id. It starts at what the
  // server rendered and moves forward ONLY from `messages` (sync) replies, never from a live `message` or an
  // `ack`: those can arrive above a broadcast that was lost (Redis down), and a cursor moved by them would
  // hide that gap from the heartbeat's `latest` check.
  var cursor = lastId();

  function advanceCursor(id) {
    if (id > cursor) {
      cursor = id;
      if (section) { section.setAttribute("data-chat-last-id", String(id)); }
    }
  }

  function showStatus(text) {
    if (statusLine) { statusLine.textContent = text || ""; }
  }

  function setUnread(count) {
    if (!badge) { return; }
    var counter = badge.querySelector("[data-chat-unread-count]");
    if (!counter) { return; }
    counter.textContent = String(Math.max(0, count));
    counter.classList.toggle("is-empty", count <= 0);
  }

  function unreadNow() {
    var counter = badge && badge.querySelector("[data-chat-unread-count]");
    return counter ? parseInt(counter.textContent, 10) || 0 : 0;
  }

  // Text with http(s) addresses made links; everything goes in as text nodes, never as HTML.
  function appendLinkified(parent, text) {
    var pattern = /\bhttps?:\/\/[^\s<>"']+/gi;
    var lines = text.split(/\r?\n/);
    lines.forEach(function (line, index) {
      if (index) { parent.appendChild(document.createElement("br")); }
      var position = 0;
      var match;
      pattern.lastIndex = 0;
      while ((match = pattern.exec(line)) !== null) {
        var url = match[0].replace(/[.,;:!?)\]]+$/, "");
        parent.appendChild(document.createTextNode(line.slice(position, match.index)));
        var link = document.createElement("a");
        link.href = url;
        link.rel = "noopener nofollow ugc";
        link.textContent = url;
        parent.appendChild(link);
        position = match.index + url.length;
        pattern.lastIndex = position;
      }
      parent.appendChild(document.createTextNode(line.slice(position)));
    });
  }

  function messageItem(message) {
    var li = document.createElement("li");
    li.className = "chat-message chat-message-" + message.sender.side +
      (message.sender.side === mySide ? " chat-message-mine" : "") + (message.hidden ? " chat-message-hidden" : "");
    li.id = "m" + message.id;
    li.setAttribute("data-message-id", String(message.id));
    li.setAttribute("data-sender-side", message.sender.side);
    li.setAttribute("data-sender-id", String(message.sender.id));
    var meta = document.createElement("p");
    meta.className = "chat-meta";
    var sender = document.createElement("span");
    sender.className = "chat-sender";
    sender.textContent = message.sender.name +
      (message.sender.side === "company" && companyName ? " · " + companyName : "");
    var time = document.createElement("time");
    time.setAttribute("datetime", message.created_at);
    var when = new Date(message.created_at);
    time.textContent = isNaN(when) ? "" : formatTime(when);
    meta.appendChild(sender);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(time);
    li.appendChild(meta);
    var body = document.createElement("p");
    body.className = "chat-body";
    appendLinkified(body, message.body || "");
    li.appendChild(body);
    return li;
  }

  function formatTime(when) {
    var options = { weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
    var lang = document.documentElement.lang || undefined;
    try {
      return when.toLocaleString(lang, Object.assign({ timeZone: timeZone }, options));
    } catch (error) { // a zone name this browser does not know: its own zone then
      return when.toLocaleString(lang, options);
    }
  }

  // The server's own rendering of one message (kinds other than text, hidden messages, report forms).
  function fetchFragment(message, replace) {
    var prefix = location.pathname.split("/")[1] || document.documentElement.lang || "en"; // /<lang>/chat/...
    var url = "/" + prefix + "/chat/conversations/" + message.conversation + "/messages/" + message.id + "/fragment/";
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var holder = document.createElement("template");
        holder.innerHTML = html.trim(); // our server's escaped HTML, as on the page itself
        var fresh = holder.content.querySelector("li[data-message-id]");
        if (fresh && replace && replace.parentNode) { replace.parentNode.replaceChild(fresh, replace); }
      })
      .catch(function () { /* the plain version stays */ });
  }

  function placeholderFor(message) {
    var li = document.createElement("li");
    li.className = "chat-message chat-message-" + message.sender.side;
    li.id = "m" + message.id;
    li.setAttribute("data-message-id", String(message.id));
    li.setAttribute("data-sender-side", message.sender.side);
    li.setAttribute("data-sender-id", String(message.sender.id));
    return li;
  }

  function insertInOrder(li, id) {
    var after = null;
    list.querySelectorAll("[data-message-id]").forEach(function (other) {
      if ((parseInt(other.getAttribute("data-message-id"), 10) || 0) > id && !after) { after = other; }
    });
    var empty = list.querySelector(".chat-empty");
    if (empty) { empty.remove(); }
    list.insertBefore(li, after);
  }

  function showMessage(message) {
    if (!list || message.conversation !== conversation) { return; }
    var pendingItem = list.querySelector('[data-client-id="' + cssEscape(message.client_id) + '"]');
    if (pendingItem && message.sender.id === me) { pendingItem.remove(); }
    var existing = document.getElementById("m" + message.id);
    if (existing && !message.hidden) { return; } // one message per id
    var li;
    if (message.kind === "text" && !message.hidden) {
      li = messageItem(message);
    } else {
      li = placeholderFor(message);
    }
    if (existing) { existing.parentNode.replaceChild(li, existing); } else { insertInOrder(li, message.id); }
    if (message.kind !== "text" || message.hidden || message.sender.side !== mySide) {
      fetchFragment(message, li); // gives kinds their card and the other side's messages their Report form
    }
    if (message.sender.id === me && message.id <= seenUpTo) { showSeen(); }
    if (li === list.lastElementChild) { li.scrollIntoView({ block: "nearest" }); }
  }

  // "Seen" under the newest of my messages the other side has read (as the server draws it on the page).
  function showSeen() {
    if (!list) { return; }
    var target = null;
    list.querySelectorAll('[data-message-id][data-sender-id="' + me + '"]').forEach(function (li) {
      if ((parseInt(li.getAttribute("data-message-id"), 10) || 0) <= seenUpTo) { target = li; }
    });
    if (!target || target.querySelector("[data-chat-seen]")) { return; }
    list.querySelectorAll("[data-chat-seen]").forEach(function (old) { old.remove(); });
    var mark = document.createElement("p");
    mark.className = "chat-seen small muted";
    mark.setAttribute("data-chat-seen", "");
    mark.textContent = seenText;
    var report = target.querySelector(".chat-report");
    target.insertBefore(mark, report);
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
  }

  function showPending(frame) {
    if (!list) { return; }
    var li = document.createElement("li");
    li.className = "chat-message chat-message-" + mySide + " chat-message-mine is-pending";
    li.setAttribute("data-client-id", frame.client_id);
    li.setAttribute("aria-busy", "true");
    var body = document.createElement("p");
    body.className = "chat-body";
    appendLinkified(body, frame.body);
    var state = document.createElement("p");
    state.className = "chat-pending small muted";
    state.textContent = texts.sending;
    li.appendChild(body);
    li.appendChild(state);
    var empty = list.querySelector(".chat-empty");
    if (empty) { empty.remove(); }
    list.appendChild(li);
    li.scrollIntoView({ block: "nearest" });
  }

  function markPendingState(clientId, text) {
    if (!list) { return; }
    var state = list.querySelector('[data-client-id="' + cssEscape(clientId) + '"] .chat-pending');
    if (state) { state.textContent = text; }
  }

  // --- the socket -------------------------------------------------------------------------------------

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function sync(after) {
    if (conversation) { send({ type: "sync", conversation: conversation, after: after }); }
  }

  function markRead() {
    if (!conversation || document.visibilityState !== "visible") { return; }
    var id = lastId();
    if (id > readSent && send({ type: "read", conversation: conversation, up_to: id })) { readSent = id; }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + location.host + path);
    } catch (error) {
      return; // blocked: the plain form stays
    }
    socket.addEventListener("open", function () { attempts = 0; });
    socket.addEventListener("message", function (event) {
      lastFrameAt = Date.now();
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      handle(frame);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      clearInterval(watchdog);
      if (event.code === 4003) { // blocked by a moderator: stay on the plain page
        if (form) { form.removeAttribute("data-chat-live"); }
        return;
      }
      if (!everConnected && attempts >= 2) { return; } // sockets never open here: the plain form it is
      if (form) { form.removeAttribute("data-chat-live"); }
      if (everConnected) { showStatus(texts.reconnecting); }
      attempts += 1;
      var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(attempts, 5)));
      setTimeout(connect, delay / 2 + Math.random() * delay / 2);
    });
  }

  function handle(frame) {
    switch (frame.type) {
      case "ready":
        everConnected = true;
        heartbeatSeconds = frame.heartbeat_seconds || heartbeatSeconds;
        if (frame.texts) { Object.keys(texts).forEach(function (k) { texts[k] = frame.texts[k] || texts[k]; }); }
        setUnread(frame.unread_total || 0);
        if (form) { form.setAttribute("data-chat-live", ""); }
        showStatus(presenceText);
        sync(cursor);
        document.dispatchEvent(new CustomEvent("feria:chat-ready"));
        Object.keys(pending).forEach(function (id) { send(pending[id]); }); // idempotent by client_id
        clearInterval(watchdog);
        watchdog = setInterval(function () {
          // No frame for three heartbeats: the connection is dead without having said so.
          if (socket && Date.now() - lastFrameAt > heartbeatSeconds * 3000) { socket.close(); }
        }, heartbeatSeconds * 1000);
        break;
      case "messages":
        if (frame.conversation !== conversation) { break; }
        frame.messages.forEach(showMessage);
        // A sync reply holds every message after `after` (ids commit in order), so the cursor may move.
        frame.messages.forEach(function (message) { advanceCursor(message.id); });
        if (frame.presence) { presenceText = frame.presence.text || presenceText; showStatus(presenceText); }
        if (frame.more && frame.messages.length) { sync(cursor); }
        markRead();
        break;
      case "message":
        if (frame.message.kind === "meeting") { // meeting lists refresh themselves (meetings.js)
          document.dispatchEvent(new CustomEvent("feria:meeting", { detail: frame.message.payload }));
        }
        if (frame.message.conversation === conversation) {
          showMessage(frame.message);
          markRead();
        } else if (frame.message.sender.id !== me) {
          setUnread(unreadNow() + 1);
        }
        break;
      case "ack":
        delete pending[frame.client_id];
        showMessage(frame.message);
        break;
      case "typing":
        if (frame.conversation !== conversation || frame.user.id === me) { break; }
        showStatus(texts.typing.replace("%(name)s", frame.user.name));
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typingTimer = null; showStatus(presenceText); }, 4000);
        break;
      case "read":
        if (frame.conversation !== conversation) { break; }
        if (frame.user === me) { readSent = Math.max(readSent, frame.up_to); }
        if (frame.side !== mySide && frame.up_to > seenUpTo) { seenUpTo = frame.up_to; showSeen(); }
        break;
      case "heartbeat":
        setUnread(frame.unread_total || 0);
        if (conversation && frame.latest && (frame.latest[String(conversation)] || 0) > cursor) {
          sync(cursor); // maybe a broadcast was missed: fetch from the cursor; what is shown already is kept once
        }
        if (conversation && frame.presence && frame.presence[String(conversation)]) {
          presenceText = frame.presence[String(conversation)].text || presenceText;
          if (!typingTimer) { showStatus(presenceText); }
        }
        break;
      case "error":
        if (frame.client_id && pending[frame.client_id]) {
          if (frame.code === "rate_limited") {
            var again = pending[frame.client_id];
            setTimeout(function () { send(again); }, (frame.retry_after || 1) * 1000);
          } else {
            delete pending[frame.client_id];
            markPendingState(frame.client_id, frame.message);
          }
        } else if (frame.code === "blocked") {
          showStatus(frame.message);
        }
        break;
    }
  }

  // --- the form ---------------------------------------------------------------------------------------

  if (form) {
    var textarea = form.querySelector("textarea[name=body]");
    var idField = form.querySelector("input[name=client_id]");
    form.addEventListener("submit", function (event) {
      if (!form.hasAttribute("data-chat-live") || !textarea || !idField) { return; } // plain post
      var body = textarea.value.trim();
      if (!body || body.length > 4000) { return; } // let the server explain
      event.preventDefault();
      var frame = { type: "send", conversation: conversation, client_id: idField.value || newClientId(), body: body };
      pending[frame.client_id] = frame;
      showPending(frame);
      if (!send(frame)) { markPendingState(frame.client_id, texts.not_sent); }
      textarea.value = "";
      idField.value = newClientId();
    });
    if (textarea) {
      textarea.addEventListener("input", function () {
        if (Date.now() - lastTypingSent > 3000 && send({ type: "typing", conversation: conversation })) {
          lastTypingSent = Date.now();
        }
      });
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { form.requestSubmit(); }
      });
    }
  }

  document.addEventListener("visibilitychange", markRead);
  connect();
})();
