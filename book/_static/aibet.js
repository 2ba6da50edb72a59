/* The theme wires only the first sidebar toggle of each kind, and on a phone the book theme
   shows the second: the visible menu button did nothing. On narrow screens it now passes its
   click to the first, which opens the navigation drawer (wide screens keep their own toggle). */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 959.98px)");
  ["primary-toggle", "secondary-toggle"].forEach(function (kind) {
    var toggles = document.querySelectorAll("." + kind);
    for (var i = 1; i < toggles.length; i++) {
      toggles[i].addEventListener("click", function (event) {
        if (!narrow.matches) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        toggles[0].click();
      }, true);
    }
  });
})();
