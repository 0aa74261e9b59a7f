// Post a Project: the skills list shows only the chosen category's skills (and any group with a
// skill already picked). Without JavaScript every category's group shows.
(function () {
  "use strict";
  document.querySelectorAll("select[data-filter-by]").forEach(function (select) {
    var source = document.getElementById(select.getAttribute("data-filter-by"));
    if (!source) {
      return;
    }
    function apply() {
      var chosen = source.value;
      select.querySelectorAll("optgroup[data-category]").forEach(function (group) {
        var picked = group.querySelector("option:checked") !== null;
        group.hidden = Boolean(chosen) && group.getAttribute("data-category") !== chosen && !picked;
      });
    }
    source.addEventListener("change", apply);
    apply();
  });
})();
