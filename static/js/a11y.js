// Keyboard and screen-reader help for the htmx pages. Everything works without it; it only
// (1) puts focus somewhere sensible after htmx replaced the part of the page that held it,
// (2) reads out what an htmx update brought (a new message, a new notification, a milestone's
//     new status) through the polite live region of the base template, and
// (3) lets keyboard users scroll wide tables and long lists that scroll inside the page.
(function () {
  "use strict";

  var SCROLLERS = ".table-wrap, .timeline, .chat-log, .thread, [data-scroll-region]";
  var seen = new Set();
  var focusBefore = null;
  var clearing = 0;

  function markSeen(root) {
    root.querySelectorAll("[data-announce]").forEach(function (element) {
      seen.add(element.getAttribute("data-announce"));
    });
  }

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) {
      return;
    }
    // Empty first, then fill: screen readers announce a change, not a repeated value. Emptied
    // again a little later, so the read-out text does not linger as a hidden copy of the page's.
    window.clearTimeout(clearing);
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
      clearing = window.setTimeout(function () {
        region.textContent = "";
      }, 5000);
    }, 100);
  }

  function textOf(element) {
    var label = element.getAttribute("data-announce-text") || element.getAttribute("aria-label");
    return (label || element.textContent || "").replace(/\s+/g, " ").trim();
  }

  function announceNews() {
    var news = [];
    document.querySelectorAll("[data-announce]").forEach(function (element) {
      var key = element.getAttribute("data-announce");
      if (!seen.has(key)) {
        seen.add(key);
        news.push(textOf(element));
      }
    });
    announce(news.join(". "));
  }

  function focusOn(element) {
    if (!element) {
      return false;
    }
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return document.activeElement === element;
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  function restoreFocus(target) {
    if (!focusBefore || !focusLost()) {
      return;
    }
    var before = focusBefore;
    focusBefore = null;
    var summary = document.querySelector(".error-summary");
    if (summary && focusOn(summary)) {
      return;
    }
    // The same control again (the message box after sending), else the heading of the part
    // the action belonged to (the milestone after "Request Start"), else the new content.
    if (before.id && focusOn(document.getElementById(before.id))) {
      return;
    }
    var part = before.section && document.getElementById(before.section);
    if (part && focusOn(part.querySelector("h1, h2, h3, h4") || part)) {
      return;
    }
    var scope = target && target.isConnected ? target : document.getElementById("main");
    focusOn(scope.querySelector("h1, h2, h3") || scope);
  }

  function makeScrollersFocusable(root) {
    root.querySelectorAll(SCROLLERS).forEach(function (element) {
      var scrolls =
        element.scrollWidth > element.clientWidth + 1 ||
        element.scrollHeight > element.clientHeight + 1;
      if (scrolls && !element.hasAttribute("tabindex")) {
        element.setAttribute("tabindex", "0");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markSeen(document);
    makeScrollersFocusable(document);
    var summary = document.querySelector(".error-summary");
    if (summary) {
      focusOn(summary);
    }
  });

  window.addEventListener("resize", function () {
    makeScrollersFocusable(document);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    if (target && active && active !== document.body && target.contains(active)) {
      var parent = active.parentElement;
      var section = parent && parent.closest("[id]:not(form)");
      focusBefore = { id: active.id, section: section ? section.id : "" };
    } else {
      focusBefore = null;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    restoreFocus(event.detail.target);
    makeScrollersFocusable(document);
    announceNews();
  });
})();
