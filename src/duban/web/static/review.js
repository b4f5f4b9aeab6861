// Review of an import draft: jump from an item to its source line; keep every form on the draft's
// current version (htmx swaps only the edited part, so other forms would carry an old one).
(function () {
  "use strict";

  function currentVersion() {
    var state = document.getElementById("draft-state");
    return state ? state.getAttribute("data-version") : null;
  }

  function showLine(n) {
    var source = document.getElementById("source");
    var line = document.getElementById("L" + n);
    if (!source || !line) return false;
    var hit = source.querySelectorAll(".ln.hit");
    for (var k = 0; k < hit.length; k++) hit[k].classList.remove("hit");
    line.classList.add("hit");
    source.scrollTop = line.offsetTop - source.offsetTop - source.clientHeight / 3;
    return true;
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.goto[data-line]");
    if (link && showLine(link.getAttribute("data-line"))) ev.preventDefault();
  });

  // capture phase: runs before htmx reads the form
  document.addEventListener("submit", function (ev) {
    var v = currentVersion();
    if (!v || !ev.target.querySelectorAll) return;
    var inputs = ev.target.querySelectorAll("input.draft-version");
    for (var k = 0; k < inputs.length; k++) inputs[k].value = v;
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    var m = /^#L(\d+)$/.exec(window.location.hash);
    if (m) showLine(m[1]);
  });
})();
