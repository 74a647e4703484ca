// The investigation page, while the agent works: follow the run's server-sent events and add
// each step to the list as it happens; when the run has ended, reload, and the server sends the
// report (or the reason it stopped). Without JavaScript a <noscript> refresh does the same.
"use strict";
(function () {
  const box = document.getElementById("investigation-progress");
  if (!box || typeof EventSource === "undefined") return;
  const steps = document.getElementById("steps");
  const none = document.getElementById("no-steps");
  const title = document.getElementById("progress-title");
  const kinds = ["started", "plan", "model_turn", "tool_call", "tool_result", "guard", "proposal",
    "note", "report"];
  const source = new EventSource(box.dataset.eventsUrl);
  let ended = false;

  function add(event) {
    let item;
    try {
      item = JSON.parse(event.data);
    } catch (err) {
      return;
    }
    if (steps.querySelector('li[data-seq="' + item.seq + '"]')) return; // shown already
    const li = document.createElement("li");
    li.dataset.seq = String(item.seq);
    li.dataset.kind = String(item.kind);
    li.textContent = String(item.text || item.kind);
    steps.appendChild(li);
    if (none) none.remove();
    box.dataset.state = "running";
    if (title) title.textContent = item.kind === "report" ? "Writing the report…" : "Investigating…";
  }

  kinds.forEach(function (kind) { source.addEventListener(kind, add); });
  source.addEventListener("end", function () {
    ended = true;
    source.close();
    location.reload();
  });
  source.onerror = function () {
    // The browser reconnects by itself (with Last-Event-ID) unless the server refused the
    // stream; then the page is asked for again, and says what happened.
    if (!ended && source.readyState === EventSource.CLOSED) {
      setTimeout(function () { location.reload(); }, 1500);
    }
  };
})();
