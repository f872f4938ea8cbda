// Comments: "Quote selection" copies the passage selected in the document text into the
// comment form's quote field. Without JavaScript the field is filled in by hand.
(function () {
  "use strict";
  var button = document.getElementById("quote-selection");
  var quote = document.getElementById("comment-quote");
  var body = document.getElementById("comment-body");
  var article = document.querySelector(".docpage-main article.rendered");
  if (!button || !quote || !article) { return; }
  var selected = "";
  button.hidden = false;

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    var text = sel ? sel.toString().replace(/\s+/g, " ").trim() : "";
    var inside = sel && sel.rangeCount > 0 &&
      article.contains(sel.getRangeAt(0).commonAncestorContainer);
    if (inside && text) {
      selected = text.slice(0, 1000);
      button.disabled = false;
    } else if (!text) {
      button.disabled = !selected;
    }
  });

  button.addEventListener("click", function () {
    if (!selected) { return; }
    quote.value = selected;
    if (body) { body.focus(); }
  });
}());
