// The password check, k-anonymity style: SHA-1 here (WebCrypto), only the first 5 hex digits
// of the hash go to the server's range route, and the other 35 are compared in this page.
"use strict";
(function () {
  const form = document.getElementById("pw-form");
  const input = document.getElementById("pw");
  const out = document.getElementById("pw-result");
  if (!form || !input || !out) return;

  function show(state, title, lines) {
    out.hidden = false;
    out.dataset.state = state;
    out.className = "result " + ({ found: "verdict-dangerous", clean: "verdict-safe" }[state] || "");
    out.replaceChildren();
    const h = document.createElement("h2");
    h.textContent = title;
    out.append(h);
    for (const line of lines) {
      const p = document.createElement("p");
      p.textContent = line;
      out.append(p);
    }
  }

  async function sha1Hex(text) {
    const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0"))
      .join("").toUpperCase();
  }

  function tips(password) {
    const out = [];
    if (password.length < 12) out.push("It is short: 12 characters or more (or four random words) is much harder to guess.");
    return out;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = input.value;
    if (!password) return;
    if (!window.crypto || !crypto.subtle) {
      show("error", "This browser cannot hash here", ["Open this page over https or on this computer (localhost)."]);
      return;
    }
    show("working", "Checking…", []);
    const hash = await sha1Hex(password);
    const prefix = hash.slice(0, 5);
    const suffix = hash.slice(5);
    const sent = "Sent to this server: " + prefix + " (the first 5 of the 40 characters of the password's SHA-1 hash).";
    let response;
    try {
      response = await fetch("/api/v1/protect/password/range/" + prefix, {
        headers: { Accept: "text/plain" }, credentials: "omit", cache: "no-store",
      });
    } catch (err) {
      show("error", "The server could not be reached", [String(err)]);
      return;
    }
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch (err) { problem = null; }
      const detail = problem && problem.detail ? problem.detail : "HTTP " + response.status;
      const hint = problem && problem.hint ? problem.hint : "";
      show("error", "The breach data could not be searched", [detail, hint, sent].filter(Boolean));
      return;
    }
    const body = await response.text();
    let count = 0;
    for (const line of body.split("\n")) {
      const [s, c] = line.trim().split(":");
      if (s === suffix) count = Math.max(count, parseInt(c, 10) || 0);
    }
    if (count > 0) {
      show("found", "This password has leaked", [
        "It appears " + count.toLocaleString() + " times in the breach data. Stop using it, and change it wherever you used it, starting with your e-mail.",
        sent,
      ]);
    } else {
      show("clean", "Not found in the breach data", [
        "This server's breach data does not contain it. Keep it for one account only.",
        ...tips(password),
        sent,
      ]);
    }
  });
})();
