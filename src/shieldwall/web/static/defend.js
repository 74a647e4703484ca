// The upload status page: ask for the run's progress every second and show it; when the run
// has ended, reload, and the server sends the page on (to the run's incidents, or the reason
// it did not run). Without JavaScript, a <noscript> meta refresh does the same, less often.
"use strict";
(function () {
  const box = document.getElementById("upload-progress");
  if (!box) return;
  const url = box.dataset.statusUrl;
  const title = document.getElementById("progress-title");
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function show(s) {
    box.dataset.state = s.state;
    if (title) title.textContent = s.state === "queued" ? "Waiting for its turn…" : "Running the rules…";
    if (bar) {
      bar.max = Math.max(s.bytes, 1);
      bar.value = Math.min(s.bytes_done, bar.max);
    }
    if (text) {
      text.textContent = s.files_done + " of " + plural(s.files, "file") + " read · " +
        plural(s.events_read, "event");
    }
  }

  async function poll() {
    try {
      const answer = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!answer.ok) {
        location.reload();
        return;
      }
      const s = await answer.json();
      if (s.state !== "queued" && s.state !== "running") {
        location.reload();
        return;
      }
      show(s);
    } catch (err) {
      // The server did not answer this time (restarting, or the network): ask again.
    }
    setTimeout(poll, 1000);
  }

  setTimeout(poll, 400);
})();
