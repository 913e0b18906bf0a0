// A case page prints as a whole record: folded parts (<details>) open for printing and fold
// back afterwards. Loaded as a file (the CSP allows no inline scripts).
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (part) {
      part.open = true;
      opened.push(part);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (part) {
      part.open = false;
    });
    opened = [];
  });
})();
