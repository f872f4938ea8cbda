// The publishing panel while a text is going out: ask the server every few seconds whether
// the worker has sent it, and show the page again once it has (with its links or errors).
(function () {
  "use strict";
  var panel = document.querySelector("[data-poll]");
  if (!panel || !window.fetch) return;
  var url = panel.getAttribute("data-poll");
  var tries = 0;
  function check() {
    tries += 1;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status && !status.going_out) {
          window.location.reload();
        } else if (tries < 60) {
          window.setTimeout(check, 3000);
        }
      })
      .catch(function () { if (tries < 60) window.setTimeout(check, 3000); });
  }
  window.setTimeout(check, 2000);
})();
