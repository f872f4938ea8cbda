// Decision trail: a print button (the page's print CSS makes it a clean PDF from the browser).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
