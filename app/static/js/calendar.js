// Editorial calendar: single-key shortcuts (P previous, N next, T today, M month, W week,
// A agenda) follow the links marked data-cal-key, unless the user is typing in a field.
// With no view asked, a phone shows the agenda (calendar.css): its link is then the current.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName))) { return; }
    var link = document.querySelector('a[data-cal-key="' + event.key.toLowerCase() + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
  function markAutoView(phone) {
    var views = document.querySelector("[data-cal-auto]");
    if (!views) { return; }
    var shown = phone ? "agenda" : "month";
    views.querySelectorAll("a[data-cal-view]").forEach(function (link) {
      if (link.getAttribute("data-cal-view") === shown) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var phone = window.matchMedia("(max-width: 600px)");
    markAutoView(phone.matches);
    phone.addEventListener("change", function (event) { markAutoView(event.matches); });
  });
})();
