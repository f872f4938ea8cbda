// The member pages: the import's progress bar (polls the progress endpoint until the import
// ends, then reloads to show the result) and a segment's live member count while editing.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (box && box.getAttribute("data-state") === "running") {
    var bar = document.getElementById("import-bar");
    var poll = function () {
      fetch(box.getAttribute("data-url"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (p) {
          bar.value = p.percent;
          if (p.state === "running") { window.setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }
  var form = document.getElementById("segment-form");
  if (form) {
    var out = document.getElementById("segment-count");
    // Answers can arrive out of order (ticking two boxes quickly): only the latest counts.
    var asked = 0;
    var update = function (event) {
      if (event && event.target && event.target.name === "name") return;
      var params = new URLSearchParams(new FormData(form));
      params.delete("csrf_token");
      params.delete("name");
      var mine = ++asked;
      fetch(form.getAttribute("data-count-url") + "?" + params.toString(), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (p) { if (mine === asked && typeof p.count === "number") { out.textContent = p.count; } });
    };
    form.addEventListener("change", update);
  }
})();
