// The copy page of a text posted by hand: one "Copy" button per part of the text.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copyTarget);
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      source.select();
      var done = function () { button.textContent = button.dataset.copied || "✓"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(source.value).then(done, function () {});
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
  });
})();
