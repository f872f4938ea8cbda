// Live preview, counters, autosave and Ctrl+S for the document editor.
// The server renders the preview and counts (one renderer, one way of counting).
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var msg = form.dataset;
  var previewTimer = null;
  var autosaveTimer = null;
  var lastKept = null;
  var previewSeq = 0;

  function draft() {
    var data = { title: form.title.value, lead: form.lead.value, body: form.body.value,
                 fields: {}, variants: {} };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      if (el.name.indexOf("fields-") === 0) { data.fields[el.name.slice(7)] = el.value; }
      if (el.name.indexOf("variants-") === 0) { data.variants[el.name.slice(9)] = el.value; }
    });
    return data;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function showCounts(result) {
    var s = result.stats;
    var text = s.words + " " + msg.msgWords + " · " + s.characters;
    if (result.limit) { text += " / " + result.limit; }
    text += " " + msg.msgChars + " · " + s.reading_minutes + " " + msg.msgMinutes;
    var counters = document.getElementById("counters");
    counters.textContent = text;
    var over = result.limit && s.characters > result.limit;
    counters.classList.toggle("over", !!over);
    if (over) { counters.textContent += " — " + msg.msgOver; }
    Object.keys(result.variants || {}).forEach(function (key) {
      var v = result.variants[key];
      var el = document.getElementById("count-" + key);
      if (!el) { return; }
      el.textContent = v.used + " / " + v.limit + (v.used > v.limit ? " — " + msg.msgOver : "");
      el.classList.toggle("over", v.used > v.limit);
    });
  }

  function refreshPreview() {
    var seq = ++previewSeq;
    var data = draft();
    document.getElementById("preview-title").textContent = data.title;
    post(msg.previewUrl, data).then(function (result) {
      if (seq !== previewSeq) { return; }  // a newer preview is on its way
      // The server returns HTML already sanitised by the publishing renderer.
      document.getElementById("preview-lead").innerHTML = result.lead_html;
      document.getElementById("preview-body").innerHTML = result.html;
      showCounts(result);
    }).catch(function () { /* keep the last preview; the next keystroke retries */ });
  }

  function keep() {
    var data = draft();
    var snapshot = JSON.stringify(data);
    if (snapshot === lastKept) { return; }
    data.base_revision_id = document.getElementById("base_revision_id").value;
    var status = document.getElementById("autosave-status");
    post(msg.autosaveUrl, data).then(function (result) {
      lastKept = snapshot;
      var time = new Date(result.saved_at).toLocaleTimeString(document.documentElement.lang,
        { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      status.textContent = msg.msgSaved + " " + time + (result.stale ? " — " + msg.msgStale : "");
      status.classList.toggle("over", result.stale);
    }).catch(function () {
      status.textContent = msg.msgFailed;
    });
  }

  form.addEventListener("input", function () {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 250);
    clearTimeout(autosaveTimer);
    autosaveTimer = setTimeout(keep, 2000);
  });
  form.addEventListener("submit", function () {
    clearTimeout(autosaveTimer);
  });
  // Ctrl+S (Cmd+S on a Mac) saves, as in other editors, instead of saving the web page.
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) { return; }
    if (event.key !== "s" && event.key !== "S") { return; }
    event.preventDefault();
    var save = document.getElementById("save");
    if (form.requestSubmit) { form.requestSubmit(save); } else { save.click(); }
  });
  lastKept = JSON.stringify(draft());
  refreshPreview();
})();
