// Preview links: a "Copy" button for the link that is shown once.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-button]");
  var source = document.querySelector("[data-copy-source]");
  if (!button || !source) return;
  button.hidden = false;
  source.addEventListener("focus", function () { source.select(); });
  button.addEventListener("click", function () {
    source.select();
    var done = function () { button.textContent = button.dataset.copied || "✓"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(source.value).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  });
})();
