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
});
