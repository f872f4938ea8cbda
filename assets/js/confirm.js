// Forms with data-confirm="question" ask before they are sent: actions that are final or that
// take access away (archive, mark as published, stop sharing). Cancel keeps the page as it is.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // A button may ask its own question (one form, several actions: publish now, schedule).
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      (form && form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
