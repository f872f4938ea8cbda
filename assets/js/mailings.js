// Send-outs by email: the panel counts the recipients of the audience chosen; the send-out's
// page asks for its progress every second and moves the bar until every row is settled.
(function () {
  "use strict";
  if (!window.fetch) return;
  function json(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; });
  }
  var form = document.querySelector("form[data-count]");
  if (form) {
    var out = form.querySelector(".mailing-count");
    // Answers can arrive out of order (ticking two boxes quickly): only the latest counts.
    var asked = 0;
    var count = function () {
      var params = new URLSearchParams();
      form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        params.append(box.name, box.value);
      });
      var mine = ++asked;
      json(form.getAttribute("data-count") + "?" + params).then(function (c) {
        if (c && mine === asked) out.textContent = c.text;
      });
    };
    form.addEventListener("change", count);
    count();
  }
  var panel = document.querySelector("[data-progress]");
  if (!panel) return;
  var bar = panel.querySelector("progress");
  var open = {scheduled: 1, overdue: 1, sending: 1, paused: 1};
  // The state the page was drawn in: when it changes (the worker starts, the send-out pauses
  // itself and says why, it finishes) the page is drawn again with its label, reason and buttons.
  var shown = panel.querySelector(".mailing-state").getAttribute("data-state");
  function tick() {
    json(panel.getAttribute("data-progress")).then(function (p) {
      if (!p) return window.setTimeout(tick, 1000);
      bar.max = p.total || 1;
      bar.value = p.settled;
      panel.querySelector(".mailing-settled").textContent = p.settled;
      Object.keys(p.counts).forEach(function (state) {
        var item = panel.querySelector("[data-state=" + state + "] span");
        if (item) item.textContent = p.counts[state];
      });
      if (p.state !== shown) window.location.reload();
      else if (open[p.state]) window.setTimeout(tick, 1000);
    }).catch(function () { window.setTimeout(tick, 1000); });
  }
  if (open[shown]) window.setTimeout(tick, 1000);
})();
