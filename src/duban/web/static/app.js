// duban: small behaviours shared by every page (no inline scripts: the CSP forbids them).
document.addEventListener("DOMContentLoaded", function () {
  // Confirm before destructive buttons: <button data-confirm="确定删除？">
  document.body.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  }, true);
  // <a data-back>: back to the previous page (a javascript: link would be refused by the CSP);
  // opened directly, with nowhere to go back to, the link's own href (the start page)
  document.body.addEventListener("click", function (ev) {
    var el = ev.target.closest("a[data-back]");
    if (el && window.history.length > 1) {
      ev.preventDefault();
      window.history.back();
    }
  });
  // <button data-print>: the browser's print dialog (the page's print CSS lays it out on A4)
  document.body.addEventListener("click", function (ev) {
    if (ev.target.closest("[data-print]")) {
      window.print();
    }
  });
});
