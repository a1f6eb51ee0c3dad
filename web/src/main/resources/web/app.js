// Sluice fleet dashboard. Everything shown comes from nodes and is untrusted: the DOM is built
// with createElement/textContent only (node text is never parsed as HTML), and the CSP forbids
// inline script.
"use strict";

(function () {
  const REFRESH_MS = 15000;
  const PAGE = 50;
  const SVG = "http://www.w3.org/2000/svg";

  const state = { offset: 0, total: 0, serverNow: Date.now(), fetchedAt: Date.now() };

  // The server's clock (it may run on a fixed --now), advanced by the time since the last fetch.
  function now() { return state.serverNow + (Date.now() - state.fetchedAt); }

  function $(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    return node;
  }

  function short(commit) { return commit ? commit.substring(0, 12) : "–"; }

  // A version's colour comes from its name alone (FNV-1a hash), so it stays the same from one
  // render to the next whatever other versions appear or go.
  function versionColor(version) {
    let h = 0x811c9dc5;
    for (const ch of String(version)) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    const hue = (h % 24) * 15;
    const light = (h >>> 8) % 2 ? 36 : 50;
    return `hsl(${hue}, 65%, ${light}%)`;
  }

  function swatch(version) {
    const box = el("span", null, "swatch");
    box.style.background = versionColor(version);
    box.dataset.version = version;
    return box;
  }

  // An instant, to the second, in the viewer's time zone: 2026-11-20 13:00:00 GMT+1.
  function when(iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    const pad = (n) => String(n).padStart(2, "0");
    const part = new Intl.DateTimeFormat(undefined, { timeZoneName: "short" }).formatToParts(d)
      .find((p) => p.type === "timeZoneName");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
      (part ? " " + part.value : "");
  }

  function timeEl(iso) {
    const node = el("time", when(iso));
    if (iso) {
      node.dateTime = iso;
      node.title = iso;
    }
    return node;
  }

  // Server text names instants in UTC (ISO-8601); show them in the viewer's zone too.
  function localize(text) {
    return String(text).replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g,
      (iso) => when(iso));
  }

  function percent(x) { return x === null || x === undefined ? "–" : (x * 100).toFixed(1) + " %"; }

  function ago(iso) {
    if (!iso) return "–";
    const seconds = Math.max(0, (now() - Date.parse(iso)) / 1000);
    if (seconds < 90) return Math.round(seconds) + " s ago";
    if (seconds < 5400) return Math.round(seconds / 60) + " min ago";
    if (seconds < 172800) return Math.round(seconds / 3600) + " h ago";
    return Math.round(seconds / 86400) + " days ago";
  }

  function duration(seconds) {
    if (seconds <= 0) return "over";
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return (d ? d + " d " : "") + (d || h ? h + " h " : "") + m + " min";
  }

  function isoDuration(text) {
    const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?$/.exec(text || "");
    if (!match) return text || "–";
    const parts = [];
    if (match[1]) parts.push(match[1] + " h");
    if (match[2]) parts.push(match[2] + " min");
    if (match[3]) parts.push(match[3] + " s");
    return parts.join(" ") || "0 s";
  }

  function row(cells) {
    const tr = el("tr");
    for (const cell of cells) {
      if (cell instanceof Node) {
        tr.appendChild(cell);
      } else {
        tr.appendChild(el("td", cell));
      }
    }
    return tr;
  }

  function td(text, className) { return el("td", text, className); }

  function fill(tbody, rows, columns, emptyText) {
    tbody.replaceChildren();
    if (rows.length === 0) {
      const empty = td(emptyText, "empty");
      empty.colSpan = columns;
      tbody.appendChild(el("tr")).appendChild(empty);
      return;
    }
    for (const r of rows) tbody.appendChild(r);
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || response.status + " " + response.statusText);
    return body;
  }

  // ---- fleet summary -----------------------------------------------------------------------

  function renderFleet(fleet) {
    state.serverNow = Date.parse(fleet.generatedAt);
    state.fetchedAt = Date.now();
    $("generated-at").replaceChildren(timeEl(fleet.generatedAt));
    $("total-nodes").textContent = fleet.totalNodes;
    $("active-nodes").textContent = fleet.activeNodes;
    $("stale-after").textContent = isoDuration(fleet.staleAfter);
    $("preprod-share").textContent = percent(fleet.preprod.share);
    $("preprod-target").textContent = percent(fleet.preprod.target);
    $("preprod-nodes").textContent = fleet.preprod.nodes;
    state.preprod = fleet.preprod;
    explainPreprod();
    const scale = Math.max(0.2, fleet.preprod.target * 2, (fleet.preprod.share || 0) * 1.25);
    $("preprod-fill").style.width = Math.min(100, ((fleet.preprod.share || 0) / scale) * 100) + "%";
    $("preprod-mark").style.left = Math.min(100, (fleet.preprod.target / scale) * 100) + "%";
    $("failures-total").textContent = fleet.failures.total;
    $("held-total").textContent = fleet.held.total;
    $("stale-total").textContent = fleet.stale.total;
    // Colour a card only when there is something to look at.
    $("failures-card").classList.toggle("bad", fleet.failures.total > 0);
    $("held-card").classList.toggle("warn", fleet.held.total > 0);
    $("stale-card").classList.toggle("warn", fleet.stale.total > 0);

    fill($("versions-table").tBodies[0], fleet.versions.map((v) => {
      const version = td(null);
      version.append(swatch(v.version), v.version || "–");
      return row([v.channel, version, td(short(v.commit), "mono"), td(v.nodes, "num")]);
    }), 4, "no reports yet");
    fill($("failures-table").tBodies[0], fleet.failures.byReason.map((f) => row([
      td(f.action, "action-" + f.action), f.code || "–", td(short(f.targetCommit), "mono"),
      td(f.nodes, "num"), td(f.example || "", "msg")])), 5, "no failures");
    fill($("held-table").tBodies[0], fleet.held.byReason.map((h) => row([
      h.code || "–", td(h.nodes, "num"), td(h.example || "", "msg")])), 3, "no held nodes");
    fill($("stale-table").tBodies[0], fleet.stale.nodes.map((n) => row([
      td(n.node, "mono"), n.channel, n.version || short(n.currentCommit), ago(n.lastSeen)])), 4,
      "every node reported recently");
  }

  // ---- adoption chart ----------------------------------------------------------------------

  function renderAdoption(history) {
    const container = $("adoption-charts");
    container.replaceChildren();
    const days = [];
    for (let d = new Date(history.from + "T00:00:00Z"); d <= new Date(history.to + "T00:00:00Z");
      d.setUTCDate(d.getUTCDate() + 1)) {
      days.push(d.toISOString().substring(0, 10));
    }
    const channels = [...new Set(history.points.map((p) => p.channel))].sort();
    if (channels.length === 0) {
      container.appendChild(el("p", "no reports in the last 30 days", "sub"));
      return;
    }
    const versions = [...new Set(history.points.map((p) => p.version))].sort();
    const color = versionColor;
    for (const channel of channels) {
      const box = el("div", null, "chart");
      box.appendChild(el("h3", channel));
      const width = 900, height = 180, left = 34, bottom = 18, top = 6;
      const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none",
        role: "img", "aria-label": "version share per day on " + channel });
      const plotH = height - bottom - top;
      const barW = (width - left) / days.length;
      for (const y of [0, 0.5, 1]) {
        const yy = top + plotH * (1 - y);
        chart.appendChild(svg("line", { x1: left, x2: width, y1: yy, y2: yy, stroke: "#d9dee7" }));
        const label = svg("text", { x: 2, y: yy + 3 });
        label.textContent = Math.round(y * 100) + "%";
        chart.appendChild(label);
      }
      const seen = new Set();
      days.forEach((day, i) => {
        const points = history.points.filter((p) => p.channel === channel && p.day === day);
        const total = points.reduce((sum, p) => sum + p.nodes, 0);
        let y = top + plotH;
        for (const p of points) {
          seen.add(p.version);
          const h = (p.nodes / total) * plotH;
          y -= h;
          const bar = svg("rect", { x: left + i * barW + 1, y: y, width: Math.max(1, barW - 2),
            height: h, fill: color(p.version) });
          const title = svg("title");
          title.textContent = `${day} ${p.version}: ${p.nodes} of ${total} nodes`;
          bar.appendChild(title);
          chart.appendChild(bar);
        }
        if ((i % 7 === 0 && i < days.length - 4) || i === days.length - 1) {
          const label = svg("text", { x: left + i * barW, y: height - 4 });
          label.textContent = day.substring(5);
          chart.appendChild(label);
        }
      });
      box.appendChild(chart);
      const legend = el("div", null, "legend");
      for (const v of versions.filter((v) => seen.has(v))) {
        const item = el("span");
        item.appendChild(swatch(v));
        item.appendChild(document.createTextNode(v));
        legend.appendChild(item);
      }
      box.appendChild(legend);
      container.appendChild(box);
    }
  }

  // ---- channels ----------------------------------------------------------------------------

  function since(mark) {
    if (!mark) return "";
    return " · since " + when(mark.time) + (mark.by ? " by " + mark.by : "");
  }

  function nodes(n) { return n === null || n === undefined ? "" : n + (n === 1 ? " node" : " nodes"); }

  // The rollout policy's state for one channel: pause, phased rollout, rollback, dead-ends, frozen.
  function policyState(card, channel) {
    if (channel.paused) {
      const pause = channel.pause || {};
      card.appendChild(el("div", "paused" + (pause.reason ? ": " + pause.reason : "") +
        since(pause.since), "state state-paused"));
    }
    const rollout = channel.rollout;
    if (rollout) {
      const box = el("div", null, "state state-rollout");
      box.appendChild(el("div", `phased rollout of ${rollout.ref} · ${rollout.state}`, "state-title"));
      const on = rollout.share === null || rollout.share === undefined ? "–"
        : `${percent(rollout.share)} of ${nodes(rollout.nodes)} on it`;
      box.appendChild(el("div", `${on} · ${percent(rollout.allowedShare)} allowed now`,
        "rollout-progress"));
      const meter = el("div", null, "meter");
      const bar = el("div", null, "fill");
      bar.style.width = Math.min(100, (rollout.share || 0) * 100) + "%";
      const mark = el("div", null, "mark");
      mark.style.left = Math.min(100, rollout.allowedShare * 100) + "%";
      meter.append(bar, mark);
      box.appendChild(meter);
      const times = el("div", null, "sub rollout-times");
      if (rollout.state === "scheduled") {
        times.append("starts ", timeEl(rollout.start), " · completes ", timeEl(rollout.completesAt));
      } else if (rollout.state === "active") {
        times.append("started ", timeEl(rollout.start), " · completes ", timeEl(rollout.completesAt));
      } else {
        times.append("completed ", timeEl(rollout.completesAt));
      }
      box.appendChild(times);
      card.appendChild(box);
    }
    const rollback = channel.rollback;
    if (rollback) {
      const box = el("div", null, "state state-rollback");
      box.appendChild(el("div", `rolled back ${rollback.from} → ${rollback.to}`, "state-title"));
      const at = el("div", null, "sub");
      at.append(timeEl(rollback.time), rollback.by ? " by " + rollback.by : "");
      box.appendChild(at);
      box.appendChild(el("div", "reason: " + rollback.reason, "rollback-reason"));
      card.appendChild(box);
    }
    if ((channel.deadends || []).length > 0) {
      const list = el("ul", null, "state state-deadends");
      for (const d of channel.deadends) {
        const still = d.nodes ? ` · ${nodes(d.nodes)} still on it` : "";
        list.appendChild(el("li", `dead-end ${d.ref}${d.commit ? " (" + short(d.commit) + ")" : ""}: ` +
          d.reason + still + since(d.since)));
      }
      card.appendChild(list);
    }
    if ((channel.frozen || []).length > 0) {
      const names = channel.frozen.map((f) => f.name + (f.nodes ? ` (${nodes(f.nodes)})` : ""));
      const frozen = el("div", "frozen: " + names.join(", "), "state state-frozen");
      frozen.title = channel.frozen.map((f) => f.name + since(f.since)).join("\n");
      card.appendChild(frozen);
    }
  }

  // Why the preprod share differs from the target: the weighted groups among the active nodes.
  function explainPreprod() {
    const box = $("preprod-explain");
    const lottery = state.lottery;
    const preprod = state.preprod;
    if (!box) return;
    if (!lottery || !preprod || preprod.share === null || preprod.share === undefined
      || lottery.expectedShare === null || lottery.expectedShare === undefined) {
      box.textContent = "";
      return;
    }
    const groups = lottery.groupWeights.filter((g) => g.nodes > 0)
      .map((g) => `group ${g.group} has weight ${g.weight.toFixed(2)} (${nodes(g.nodes)})`);
    box.textContent = `${percent(lottery.expectedShare)} expected, ${percent(preprod.share)} observed` +
      (groups.length ? ": " + groups.join("; ") : ": no weighted group among the active nodes");
  }

  function renderChannels(status) {
    const section = $("channels-section");
    section.hidden = false;
    const error = $("channels-error");
    error.hidden = !status.error;
    error.textContent = status.error || "";
    const cards = $("channel-cards");
    cards.replaceChildren();
    for (const channel of status.channels || []) {
      const card = el("div", null, "card channel-card");
      card.dataset.channel = channel.channel;
      card.appendChild(el("h3", channel.channel + " · " + channel.branch));
      const dl = el("dl");
      const item = (name, value, className) => {
        dl.appendChild(el("dt", name));
        const dd = el("dd", null, className);
        dd.append(value);
        dl.appendChild(dd);
        return dd;
      };
      item("commit", channel.commit ? short(channel.commit) : "branch missing", "mono");
      if (channel.tag) {
        item("tag", channel.tag, "tag").prepend(swatch(channel.tag));
      } else {
        item("tag", "untagged", "tag");
      }
      if (channel.newestRelease && channel.newestRelease !== channel.tag) {
        item("newest release", channel.newestRelease).prepend(swatch(channel.newestRelease));
      }
      if (channel.soakEndsAt) {
        const remaining = (Date.parse(channel.soakEndsAt) - now()) / 1000;
        item("soak", remaining > 0 ? duration(remaining) + " left" : "soaked");
        item("soak ends", timeEl(channel.soakEndsAt));
      }
      card.appendChild(dl);
      policyState(card, channel);
      renderHalt(card, channel.halt);
      if (channel.promotable !== undefined && channel.promotable !== null) {
        card.appendChild(el("div", channel.promotable ? "promotable" : "not promotable",
          "verdict " + (channel.promotable ? "ok" : "no")));
        const reasons = el("ul", null, "reasons");
        for (const reason of channel.reasons || []) reasons.appendChild(el("li", localize(reason)));
        card.appendChild(reasons);
      }
      cards.appendChild(card);
    }
    state.lottery = status.lottery || null;
    explainPreprod();
    const note = $("channels-note");
    note.replaceChildren();
    if (status.note) {
      note.append("Read from " + status.remote + " at ", timeEl(status.checkedAt),
        ". Note: " + status.note);
    } else if (status.remote) {
      note.append("Remote: " + status.remote);
    }
  }

  // ---- guard halt and notifications -------------------------------------------------------

  function renderHalt(card, halt) {
    if (!halt) return;
    const box = el("div", null, "halt");
    box.appendChild(el("strong", "halted by the guard (" + halt.action + ") " + ago(halt.at)));
    box.appendChild(el("div", halt.reason, "halt-reason"));
    box.appendChild(el("div", "since " + halt.at + " · commit " + short(halt.commit)
      + " · clear with channel-admin resume " + card.dataset.channel, "note"));
    card.classList.add("halted");
    card.appendChild(box);
  }

  async function refreshNotifications() {
    const section = $("notifications-section");
    // A fleet-web without notifications (no such route) has nothing to show: not an error.
    const response = await fetch("/api/notifications", { headers: { Accept: "application/json" } });
    if (response.status === 404) {
      section.hidden = true;
      return;
    }
    const status = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(status.error || response.status + " " + response.statusText);
    section.hidden = status.webhooks.length === 0;
    $("notifications-note").textContent = status.webhooks.join(", ")
      + " · " + status.queued + " queued" + (status.dropped ? " · " + status.dropped + " dropped" : "");
    fill($("notifications-table").tBodies[0], status.deliveries.map((d) => row([
      ago(d.at), d.kind, d.channel || "–", td(d.title, "msg"), d.webhook,
      td(d.outcome + (d.error ? " (" + d.error + ")" : ""), d.outcome === "delivered" ? "" : "action-failed"),
      td(String(d.attempts), "num")])), 7, "nothing sent yet");
  }

  // ---- node table --------------------------------------------------------------------------

  async function loadNodes() {
    const params = new URLSearchParams({ limit: PAGE, offset: state.offset });
    const q = $("node-search").value.trim();
    if (q) params.set("q", q);
    const name = $("node-name").value.trim();
    if (name) params.set("name", name);
    if ($("node-channel").value) params.set("channel", $("node-channel").value);
    if ($("node-action").value) params.set("action", $("node-action").value);
    const page = await getJson("/api/nodes?" + params);
    state.total = page.total;
    fill($("nodes-table").tBodies[0], page.nodes.map((n) => row([
      nodeLink(n.node, n.name, n.updaterVersion), n.channel, n.groups.join(", "), n.version || "–",
      td(short(n.currentCommit), "mono"), td(n.action, "action-" + n.action),
      td(n.reason ? n.message + " (" + n.reason.code + ")" : n.message, "msg"),
      ago(n.lastSeen)])), 8, "no matching nodes");
    const last = Math.min(state.offset + page.nodes.length, page.total);
    $("page-info").textContent = page.total === 0 ? "0 nodes"
      : `${state.offset + 1}–${last} of ${page.total}`;
    $("prev-page").disabled = state.offset === 0;
    $("next-page").disabled = page.next === null;
  }

  // A node is shown by its name (host name or --node-name) when it reports one, else by its id.
  function nodeLink(id, name, updaterVersion) {
    const cell = td(null, "mono");
    const button = el("button", name ? name + " · " + id.slice(0, 8) : id, "link");
    button.type = "button";
    button.title = id + (updaterVersion ? " · node-updater " + updaterVersion : "");
    button.addEventListener("click", () => showNode(id));
    cell.appendChild(button);
    return cell;
  }

  async function showNode(id) {
    const box = $("node-detail");
    box.hidden = false;
    $("node-detail-title").textContent = "Last report of " + id;
    try {
      const report = await getJson("/api/nodes/" + encodeURIComponent(id));
      $("node-detail-body").textContent = JSON.stringify(report, null, 2);
    } catch (e) {
      $("node-detail-body").textContent = "cannot load the report: " + e.message;
    }
  }

  // ---- refresh -----------------------------------------------------------------------------

  async function refresh() {
    try {
      const [fleet, adoption] = await Promise.all([getJson("/api/fleet"),
        getJson("/api/adoption?days=30")]);
      renderFleet(fleet);
      renderAdoption(adoption);
      await loadNodes();
      $("status").textContent = "live";
    } catch (e) {
      $("status").textContent = "error: " + e.message;
    }
    try {
      const response = await fetch("/api/channels");
      if (response.status !== 404) renderChannels(await response.json());
    } catch (e) {
      $("status").textContent = "channels: " + e.message;
    }
    try {
      await refreshNotifications();
    } catch (e) {
      $("status").textContent = "notifications: " + e.message;
    }
  }

  let searchTimer = null;
  function reloadNodes() {
    state.offset = 0;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => loadNodes().catch((e) => {
      $("status").textContent = "error: " + e.message;
    }), 200);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("node-search").addEventListener("input", reloadNodes);
    $("node-name").addEventListener("input", reloadNodes);
    $("node-channel").addEventListener("change", reloadNodes);
    $("node-action").addEventListener("change", reloadNodes);
    $("prev-page").addEventListener("click", () => {
      state.offset = Math.max(0, state.offset - PAGE);
      loadNodes();
    });
    $("node-detail-close").addEventListener("click", () => { $("node-detail").hidden = true; });
    $("next-page").addEventListener("click", () => {
      state.offset += PAGE;
      loadNodes();
    });
    refresh();
    setInterval(refresh, REFRESH_MS);
  });
})();
