// Dropdown menus are <details> elements and work without JavaScript; this only closes an open
// one when you click elsewhere or press Escape.
(function () {
  "use strict";
  function openMenus() {
    return document.querySelectorAll("details.account-menu[open]");
  }
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openMenus().forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) {
        summary.focus();
      }
    });
  });
})();
