// The 打印 button of a record (templates/includes/print_button.html): shown once this script
// runs (without it the button could do nothing), it opens the browser's print dialog; the
// page prints on A4 through site.css section 20.
(function () {
  "use strict";
  function ready() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
